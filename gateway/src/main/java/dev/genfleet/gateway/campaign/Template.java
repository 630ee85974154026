package dev.genfleet.gateway.campaign;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A logic-less template: literal text and {@code {{name}}} variables, nothing else. Sections,
 * partials, lambdas, unescaped or triple braces, comments and delimiter changes are refused when the
 * template is parsed, so no recipient value can ever act as code: values are inserted verbatim and
 * never rendered again (a value containing {@code {{x}}} stays literal). A missing variable refuses
 * that one rendering with a reason.
 */
public final class Template {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,63}");

    private sealed interface Part permits Literal, Variable {}

    private record Literal(String text) implements Part {}

    private record Variable(String name) implements Part {}

    /** The outcome of one rendering: text, or the missing variable's name. */
    public record Rendered(String text, String missing) {
        public boolean ok() {
            return missing == null;
        }
    }

    private final List<Part> parts;
    private final List<String> variables;

    private Template(List<Part> parts) {
        this.parts = List.copyOf(parts);
        this.variables = parts.stream().filter(p -> p instanceof Variable).map(p -> ((Variable) p).name()).distinct()
                .toList();
    }

    /** Parses; the error message says what is wrong and where. */
    public static Template parse(String source) {
        List<Part> parts = new ArrayList<>();
        int i = 0;
        while (i < source.length()) {
            int open = source.indexOf("{{", i);
            if (open < 0) {
                parts.add(new Literal(source.substring(i)));
                break;
            }
            if (open > i) {
                parts.add(new Literal(source.substring(i, open)));
            }
            int close = source.indexOf("}}", open + 2);
            if (close < 0) {
                throw new IllegalArgumentException("unclosed '{{' at character " + open);
            }
            String name = source.substring(open + 2, close).strip();
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("only {{variable}} tags are allowed (letters, digits, '_', '.', '-');"
                        + " found '{{" + abbreviate(source.substring(open + 2, close)) + "}}' at character " + open);
            }
            parts.add(new Variable(name));
            i = close + 2;
        }
        return new Template(parts);
    }

    public List<String> variables() {
        return variables;
    }

    /** Renders with recipient values first, then campaign-wide values. */
    public Rendered render(Map<String, String> vars, Map<String, String> shared) {
        StringBuilder out = new StringBuilder();
        for (Part p : parts) {
            if (p instanceof Literal l) {
                out.append(l.text());
            } else {
                String name = ((Variable) p).name();
                String value = Optional.ofNullable(vars.get(name)).orElse(shared.get(name));
                if (value == null) {
                    return new Rendered(null, name);
                }
                out.append(value);
            }
        }
        return new Rendered(out.toString(), null);
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
