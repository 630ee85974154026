package dev.genfleet.deploy;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds what a lenient typed model swallowed. fabric8 and Strimzi models keep unknown fields (and, in
 * fabric8, values of the wrong type) in {@code additionalProperties} instead of failing; this walks the
 * loaded object graph by reflection and reports every non-empty one with its path. Pure reflection, so the
 * same walker serves fabric8 8 in the test class loader and Strimzi / fabric8 7.4 in their own.
 */
final class ModelWalker {

    static void walk(Object node, String path, List<String> problems) {
        walk(node, path, problems, new IdentityHashMap<>());
    }

    private static void walk(Object node, String path, List<String> problems, Map<Object, Boolean> seen) {
        if (node == null || seen.put(node, Boolean.TRUE) != null) {
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, path + "." + k, problems, seen));
            return;
        }
        if (node instanceof Collection<?> list) {
            int i = 0;
            for (Object e : list) {
                walk(e, path + "[" + i++ + "]", problems, seen);
            }
            return;
        }
        Class<?> type = node.getClass();
        String name = type.getName();
        if (type.isEnum() || !(name.startsWith("io.fabric8.") || name.startsWith("io.strimzi."))) {
            return;
        }
        for (Method m : type.getMethods()) {
            if (m.getParameterCount() != 0
                    || Modifier.isStatic(m.getModifiers())
                    || !m.getName().startsWith("get")
                    || m.getReturnType().isPrimitive()
                    || m.getDeclaringClass() == Object.class) {
                continue;
            }
            Object value;
            try {
                value = m.invoke(node);
            } catch (ReflectiveOperationException | RuntimeException e) {
                continue;
            }
            if (m.getName().equals("getAdditionalProperties")) {
                if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    problems.add(path + ": not in " + type.getSimpleName() + ": " + extra.keySet());
                }
                continue;
            }
            String field =
                    Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4);
            walk(value, path + "." + field, problems, seen);
        }
    }

    private ModelWalker() {}
}
