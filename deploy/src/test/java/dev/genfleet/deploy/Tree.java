package dev.genfleet.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reading parsed YAML by dotted path ({@code spec.template.spec.containers}). */
final class Tree {

    static Object get(Object root, String path) {
        Object node = root;
        for (String part : path.split("\\.")) {
            if (!(node instanceof Map<?, ?> map)) {
                return null;
            }
            node = map.get(part);
        }
        return node;
    }

    /** As {@link #get} but a key may itself hold dots when written in brackets: {@code data.[a.b]}. */
    static Object at(Object root, List<String> keys) {
        Object node = root;
        for (String key : keys) {
            if (!(node instanceof Map<?, ?> map)) {
                return null;
            }
            node = map.get(key);
        }
        return node;
    }

    static String str(Object root, String path) {
        Object v = get(root, path);
        return v == null ? null : v.toString();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object root, String path) {
        Object v = get(root, path);
        return v instanceof Map ? (Map<String, Object>) v : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> maps(Object root, String path) {
        Object v = get(root, path);
        List<Map<String, Object>> out = new ArrayList<>();
        if (v instanceof List<?> list) {
            list.forEach(e -> out.add((Map<String, Object>) e));
        }
        return out;
    }

    static double num(Object root, String path) {
        Object v = get(root, path);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        throw new IllegalArgumentException(path + " is not a number: " + v);
    }

    private Tree() {}
}
