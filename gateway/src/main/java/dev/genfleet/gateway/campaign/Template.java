package dev.genfleet.gateway.campaign;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.DefaultMustacheVisitor;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;
import com.github.mustachejava.MustacheVisitor;
import com.github.mustachejava.TemplateContext;
import com.github.mustachejava.reflect.SimpleObjectHandler;
import com.github.mustachejava.util.Wrapper;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A campaign template: Mustache (mustache.java) restricted to plain {@code {{name}}} variables.
 *
 * <p>Safe mode: the compiler's visitor refuses sections, inverted sections, partials, template
 * inheritance, unescaped ({@code {{{x}}}}, {@code {{&x}}}) and comment tags, pragmas and delimiter
 * changes when the template is parsed, so no recipient value can ever act as code. Values are looked
 * up by their whole name in plain maps (no dot paths, no method calls, no lambdas), inserted verbatim
 * (no HTML escaping: prompts are not HTML) and never rendered again. A variable missing from both the
 * recipient's {@code vars} and the campaign's {@code params} refuses that one rendering with its name.
 */
public final class Template {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,63}");
    private static final Pattern DELIMITER_CHANGE = Pattern.compile("\\{\\{\\s*=");

    /** The outcome of one rendering: text, or the missing variable's name. */
    public record Rendered(String text, String missing) {
        public boolean ok() {
            return missing == null;
        }
    }

    private final Mustache mustache;
    private final List<String> variables;

    private Template(Mustache mustache, List<String> variables) {
        this.mustache = mustache;
        this.variables = List.copyOf(variables);
    }

    /** Parses; the error message says what is wrong and where. */
    public static Template parse(String source) {
        var m = DELIMITER_CHANGE.matcher(source);
        if (m.find()) {
            throw new IllegalArgumentException("delimiter changes are not allowed; found at character " + m.start());
        }
        List<String> variables = new ArrayList<>();
        SafeFactory factory = new SafeFactory(variables);
        try {
            return new Template(
                    factory.compile(new StringReader(source), "campaign-template"),
                    variables.stream().distinct().toList());
        } catch (MustacheException e) {
            Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : e;
            String message = cause instanceof IllegalArgumentException ? cause.getMessage() : describe(e);
            throw new IllegalArgumentException(message, e);
        }
    }

    public List<String> variables() {
        return variables;
    }

    /** Renders with recipient values first, then campaign-wide values. */
    public Rendered render(Map<String, String> vars, Map<String, String> shared) {
        for (String name : variables) {
            if (!vars.containsKey(name) && !shared.containsKey(name)) {
                return new Rendered(null, name);
            }
        }
        Map<String, String> scope = new HashMap<>(shared);
        scope.putAll(vars);
        StringWriter out = new StringWriter();
        mustache.execute(out, List.of(scope));
        return new Rendered(out.toString(), null);
    }

    private static String describe(MustacheException e) {
        String message = e.getMessage() == null ? "malformed template" : e.getMessage();
        // mustache.java appends "@[name:line]"; keep the reason, not the internal template name
        return message.replace("campaign-template", "template");
    }

    /** A factory whose compiler only accepts literal text and escaped variables. */
    private static final class SafeFactory extends DefaultMustacheFactory {
        private final List<String> variables;

        SafeFactory(List<String> variables) {
            this.variables = variables;
            setObjectHandler(new WholeNameLookup());
        }

        @Override
        public void encode(String value, Writer writer) {
            try {
                writer.write(value); // prompts are plain text: no HTML escaping
            } catch (IOException e) {
                throw new MustacheException("cannot write", e);
            }
        }

        @Override
        public java.io.Reader getReader(String resourceName) {
            throw new IllegalArgumentException("partials are not allowed");
        }

        @Override
        public MustacheVisitor createMustacheVisitor() {
            return new DefaultMustacheVisitor(this) {
                @Override
                public void value(TemplateContext tc, String variable, boolean encoded) {
                    String name = variable.strip();
                    if (!encoded) {
                        throw refuse("unescaped variables ({{{" + name + "}}} or {{&" + name + "}})", tc);
                    }
                    if (!NAME.matcher(name).matches()) {
                        throw refuse(
                                "'{{" + abbreviate(variable) + "}}' (names are letters, digits, '_', '.', '-')", tc);
                    }
                    variables.add(name);
                    super.value(tc, name, true);
                }

                @Override
                public void iterable(TemplateContext tc, String variable, Mustache mustache) {
                    throw refuse("sections ({{#" + abbreviate(variable) + "}})", tc);
                }

                @Override
                public void notIterable(TemplateContext tc, String variable, Mustache mustache) {
                    throw refuse("inverted sections ({{^" + abbreviate(variable) + "}})", tc);
                }

                @Override
                public void partial(TemplateContext tc, String variable, String indent) {
                    throw refuse("partials ({{>" + abbreviate(variable) + "}})", tc);
                }

                @Override
                public void dynamicPartial(TemplateContext tc, String variable, String indent) {
                    throw refuse("partials", tc);
                }

                @Override
                public void extend(TemplateContext tc, String variable, Mustache mustache) {
                    throw refuse("template inheritance", tc);
                }

                @Override
                public void name(TemplateContext tc, String variable, Mustache mustache) {
                    throw refuse("template inheritance", tc);
                }

                @Override
                public void checkName(TemplateContext tc, String variable, Mustache mustache) {
                    throw refuse("template inheritance", tc);
                }

                @Override
                public void comment(TemplateContext tc, String comment) {
                    throw refuse("comments ({{!…}})", tc);
                }

                @Override
                public void pragma(TemplateContext tc, String pragma, String args) {
                    throw refuse("pragmas", tc);
                }
            };
        }

        private static IllegalArgumentException refuse(String what, TemplateContext tc) {
            return new IllegalArgumentException(
                    "only {{variable}} tags are allowed; found " + what + " on line " + tc.line());
        }
    }

    /** Looks a tag up by its whole name in the map scopes; never calls methods on values. */
    private static final class WholeNameLookup extends SimpleObjectHandler {
        @Override
        public Wrapper find(String name, List<Object> scopes) {
            return s -> {
                for (int i = s.size() - 1; i >= 0; i--) {
                    if (s.get(i) instanceof Map<?, ?> map && map.containsKey(name)) {
                        return map.get(name);
                    }
                }
                return null;
            };
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
