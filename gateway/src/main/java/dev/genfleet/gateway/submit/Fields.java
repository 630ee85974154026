package dev.genfleet.gateway.submit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.genfleet.gateway.refusal.Refusal;
import dev.genfleet.gateway.refusal.Refused;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Typed reads of a JSON tree that collect every offending field instead of stopping at the first,
 * so a client sees all its mistakes in one problem document.
 */
public final class Fields {

    private final List<Refusal.FieldError> errors = new ArrayList<>();

    public List<Refusal.FieldError> errors() {
        return errors;
    }

    public void error(String field, String message) {
        errors.add(new Refusal.FieldError(field, message));
    }

    /** Refuses the request with the collected errors ({@link Refusal.Invalid}), if any. */
    public void throwIfAny() {
        if (!errors.isEmpty()) {
            throw Refused.invalid(errors);
        }
    }

    public void onlyKnown(JsonNode object, String path, Set<String> known) {
        Iterator<String> names = object.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                error(path + name, "unknown field");
            }
        }
    }

    public String string(JsonNode parent, String name, String path, boolean required, int min, int max) {
        JsonNode n = parent.get(name);
        if (n == null || n.isNull()) {
            if (required) {
                error(path + name, "required");
            }
            return null;
        }
        if (!n.isTextual()) {
            error(path + name, "must be a string");
            return null;
        }
        String s = n.textValue();
        int length = s.codePointCount(0, s.length());
        if (length < min) {
            error(path + name, min == 1 ? "must not be empty" : "must have at least " + min + " characters");
            return null;
        }
        if (length > max) {
            error(path + name, "must have at most " + max + " characters (has " + length + ")");
            return null;
        }
        return s;
    }

    public Long integer(JsonNode parent, String name, String path, long min, long max) {
        JsonNode n = parent.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            error(path + name, "must be an integer in [" + min + ", " + max + "]");
            return null;
        }
        long v = n.longValue();
        if (v < min || v > max) {
            error(path + name, "must be in [" + min + ", " + max + "] (got " + v + ")");
            return null;
        }
        return v;
    }

    public Double number(JsonNode parent, String name, String path, double min, double max) {
        JsonNode n = parent.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isNumber()) {
            error(path + name, "must be a number in [" + min + ", " + max + "]");
            return null;
        }
        double v = n.doubleValue();
        if (!(v >= min && v <= max)) {
            error(path + name, "must be in [" + min + ", " + max + "]");
            return null;
        }
        return v;
    }

    public Boolean bool(JsonNode parent, String name, String path) {
        JsonNode n = parent.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isBoolean()) {
            error(path + name, "must be true or false");
            return null;
        }
        return n.booleanValue();
    }

    /** One of {@code allowed}, or null when absent. */
    public String oneOf(JsonNode parent, String name, String path, List<String> allowed) {
        JsonNode n = parent.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual() || !allowed.contains(n.textValue())) {
            error(
                    path + name,
                    "must be one of "
                            + String.join(
                                    ", ",
                                    allowed.stream().map(a -> "\"" + a + "\"").toList()));
            return null;
        }
        return n.textValue();
    }

    public JsonNode object(JsonNode parent, String name, String path, boolean required) {
        JsonNode n = parent.get(name);
        if (n == null || n.isNull()) {
            if (required) {
                error(path + name, "required");
            }
            return null;
        }
        if (!n.isObject()) {
            error(path + name, "must be an object");
            return null;
        }
        return n;
    }

    public List<String> strings(JsonNode parent, String name, String path, int maxItems, int maxLength) {
        JsonNode n = parent.get(name);
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            error(path + name, "must be an array of strings");
            return List.of();
        }
        if (n.size() > maxItems) {
            error(path + name, "must have at most " + maxItems + " items");
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            JsonNode item = n.get(i);
            if (!item.isTextual()
                    || item.textValue().isEmpty()
                    || item.textValue().length() > maxLength) {
                error(
                        path + name + "[" + i + "]",
                        "must be a non-empty string of at most " + maxLength + " characters");
            } else {
                out.add(item.textValue());
            }
        }
        return out;
    }

    /** A flat string → string map (metadata, template variables). */
    public Map<String, String> stringMap(
            JsonNode parent, String name, String path, int maxEntries, int maxKey, int maxValue) {
        JsonNode n = object(parent, name, path, false);
        if (n == null) {
            return Map.of();
        }
        if (n.size() > maxEntries) {
            error(path + name, "must have at most " + maxEntries + " entries");
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        var it = n.fields();
        while (it.hasNext()) {
            var e = it.next();
            JsonNode v = e.getValue();
            if (e.getKey().isEmpty() || e.getKey().length() > maxKey) {
                error(path + name, "keys must have 1 to " + maxKey + " characters");
            } else if (v.isTextual() && v.textValue().length() <= maxValue) {
                out.put(e.getKey(), v.textValue());
            } else if (v.isNumber() || v.isBoolean()) {
                out.put(e.getKey(), v.asText());
            } else {
                error(path + name + "." + e.getKey(), "must be a string of at most " + maxValue + " characters");
            }
        }
        return out;
    }
}
