package dev.genfleet.deploy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A recursive-descent parser for PromQL, following the grammar of Prometheus' {@code promql/parser}
 * (operator precedence, vector matching, aggregations with {@code by}/{@code without} before or after the
 * arguments, range and subquery selectors, {@code offset}). No PromQL parser for Java is published on Maven
 * Central, and the build is offline, so this one is small and strict: it accepts the language's syntax, knows
 * the function and aggregation names, compiles every regular expression (matchers and {@code label_replace})
 * and returns the metric names an expression reads. It does not type-check (a range vector where an instant
 * vector belongs passes), which Prometheus would catch when it loads the rule.
 */
final class PromQl {

    /** Prometheus' functions (promql/parser/functions.go), the ones a rule may call. */
    static final Set<String> FUNCTIONS = Set.of(
            "abs",
            "absent",
            "absent_over_time",
            "acos",
            "acosh",
            "asin",
            "asinh",
            "atan",
            "atanh",
            "avg_over_time",
            "ceil",
            "changes",
            "clamp",
            "clamp_max",
            "clamp_min",
            "cos",
            "cosh",
            "count_over_time",
            "day_of_month",
            "day_of_week",
            "day_of_year",
            "days_in_month",
            "deg",
            "delta",
            "deriv",
            "exp",
            "floor",
            "histogram_avg",
            "histogram_count",
            "histogram_fraction",
            "histogram_quantile",
            "histogram_stddev",
            "histogram_stdvar",
            "histogram_sum",
            "holt_winters",
            "hour",
            "idelta",
            "increase",
            "irate",
            "label_join",
            "label_replace",
            "last_over_time",
            "ln",
            "log10",
            "log2",
            "mad_over_time",
            "max_over_time",
            "min_over_time",
            "minute",
            "month",
            "pi",
            "predict_linear",
            "present_over_time",
            "quantile_over_time",
            "rad",
            "rate",
            "resets",
            "round",
            "scalar",
            "sgn",
            "sin",
            "sinh",
            "sort",
            "sort_desc",
            "sqrt",
            "stddev_over_time",
            "stdvar_over_time",
            "sum_over_time",
            "tan",
            "tanh",
            "time",
            "timestamp",
            "vector",
            "year");

    static final Set<String> AGGREGATIONS = Set.of(
            "sum",
            "avg",
            "count",
            "min",
            "max",
            "group",
            "stddev",
            "stdvar",
            "topk",
            "bottomk",
            "count_values",
            "quantile",
            "limitk",
            "limit_ratio");

    private static final Set<String> PARAMETRIC =
            Set.of("topk", "bottomk", "count_values", "quantile", "limitk", "limit_ratio");

    /** Binary operators by precedence, lowest first; {@code ^} is right-associative. */
    private static final List<Set<String>> LEVELS = List.of(
            Set.of("or"),
            Set.of("and", "unless"),
            Set.of("==", "!=", "<=", "<", ">=", ">"),
            Set.of("+", "-"),
            Set.of("*", "/", "%", "atan2"),
            Set.of("^"));

    private static final Set<String> KEYWORDS = Set.of(
            "by",
            "without",
            "on",
            "ignoring",
            "group_left",
            "group_right",
            "bool",
            "offset",
            "and",
            "or",
            "unless",
            "atan2");

    private static final Pattern TOKEN = Pattern.compile("\\s*(?:(?<dur>(?:\\d+(?:ms|[smhdwy]))+(?![a-zA-Z0-9_:]))"
            + "|(?<num>(?:0x[0-9a-fA-F]+|(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?|Inf|NaN)(?![a-zA-Z0-9_:.]))"
            + "|(?<str>\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`)"
            + "|(?<id>[a-zA-Z_:][a-zA-Z0-9_:]*)"
            + "|(?<op>=~|!~|==|!=|<=|>=|[-+*/%^<>=(){}\\[\\],:@]))");

    private record Token(String kind, String text) {}

    private final List<Token> tokens = new ArrayList<>();
    private final Set<String> metrics = new LinkedHashSet<>();
    private int at;

    /** The metric names {@code expr} reads; throws {@link IllegalArgumentException} where it does not parse. */
    static Set<String> metrics(String expr) {
        PromQl p = new PromQl(expr);
        p.expr(0);
        if (p.at != p.tokens.size()) {
            throw p.error("unexpected " + p.peek().text());
        }
        return p.metrics;
    }

    private PromQl(String expr) {
        String src = expr.replaceAll("#[^\n]*", "");
        Matcher m = TOKEN.matcher(src);
        int pos = 0;
        while (pos < src.length()) {
            if (src.substring(pos).isBlank()) {
                break;
            }
            if (!m.find(pos) || m.start() != pos) {
                throw new IllegalArgumentException(
                        "cannot read '" + src.substring(pos).strip() + "'");
            }
            for (String kind : List.of("dur", "num", "str", "id", "op")) {
                if (m.group(kind) != null) {
                    tokens.add(new Token(kind, m.group(kind)));
                }
            }
            pos = m.end();
        }
    }

    private void expr(int level) {
        if (level == LEVELS.size()) {
            unary();
            return;
        }
        expr(level + 1);
        while (at < tokens.size() && LEVELS.get(level).contains(peek().text())) {
            String op = next().text();
            if (LEVELS.get(2).contains(op) && is("bool")) {
                next();
            }
            if (is("on") || is("ignoring")) {
                next();
                labels();
                if (is("group_left") || is("group_right")) {
                    next();
                    if (is("(")) {
                        labels();
                    }
                }
            }
            expr(op.equals("^") ? level : level + 1);
        }
    }

    private void unary() {
        if (is("-") || is("+")) {
            next();
            unary();
            return;
        }
        primary();
        while (is("[") || is("offset") || is("@")) {
            if (is("[")) {
                next();
                expect("dur");
                if (is(":")) { // subquery
                    next();
                    if (peek().kind().equals("dur")) {
                        next();
                    }
                }
                expect("]");
            } else if (is("offset")) {
                next();
                if (is("-")) {
                    next();
                }
                expect("dur");
            } else {
                next();
                if (!peek().kind().equals("num") && !is("start") && !is("end")) {
                    throw error("a timestamp after @");
                }
                next();
                if (is("(")) {
                    expect("(");
                    expect(")");
                }
            }
        }
    }

    private void primary() {
        Token t = peek();
        if (t.text().equals("(")) {
            next();
            expr(0);
            expect(")");
        } else if (t.kind().equals("num") || t.kind().equals("str")) {
            next();
        } else if (t.text().equals("{")) {
            matchers();
        } else if (t.kind().equals("id") && AGGREGATIONS.contains(t.text()) && lookahead("(", "by", "without")) {
            aggregation();
        } else if (t.kind().equals("id") && lookahead("(") && !KEYWORDS.contains(t.text())) {
            call();
        } else if (t.kind().equals("id") && !KEYWORDS.contains(t.text())) {
            metrics.add(next().text());
            if (is("{")) {
                matchers();
            }
        } else {
            throw error("unexpected " + t.text());
        }
    }

    private void aggregation() {
        String op = next().text();
        boolean grouped = false;
        if (is("by") || is("without")) {
            next();
            labels();
            grouped = true;
        }
        expect("(");
        if (PARAMETRIC.contains(op)) {
            expr(0);
            expect(",");
        }
        expr(0);
        expect(")");
        if (!grouped && (is("by") || is("without"))) {
            next();
            labels();
        }
    }

    private void call() {
        String name = next().text();
        if (!FUNCTIONS.contains(name)) {
            throw error("no function " + name);
        }
        expect("(");
        List<String> strings = new ArrayList<>();
        if (!is(")")) {
            do {
                if (peek().kind().equals("str") && lookaheadAt(1, ",", ")")) {
                    strings.add(unquote(peek().text()));
                }
                expr(0);
            } while (is(",") && next() != null);
        }
        expect(")");
        if (name.equals("label_replace")) {
            if (strings.size() != 4) {
                throw error("label_replace takes a vector and four strings");
            }
            regex("^(?:" + strings.get(3) + ")$");
        }
    }

    private void matchers() {
        expect("{");
        while (!is("}")) {
            if (!peek().kind().equals("id") && !peek().kind().equals("str")) {
                throw error("a label name");
            }
            next();
            String op = next().text();
            if (!Set.of("=", "!=", "=~", "!~").contains(op)) {
                throw error("a matcher operator, not " + op);
            }
            Token value = expect("str");
            if (op.endsWith("~")) {
                regex("^(?:" + unquote(value.text()) + ")$");
            }
            if (!is(",")) {
                break;
            }
            next();
        }
        expect("}");
    }

    private void labels() {
        expect("(");
        while (!is(")")) {
            if (!peek().kind().equals("id")) {
                throw error("a label name");
            }
            next();
            if (!is(",")) {
                break;
            }
            next();
        }
        expect(")");
    }

    private void regex(String re) {
        try {
            Pattern.compile(re);
        } catch (PatternSyntaxException e) {
            throw error("bad regular expression " + re + ": " + e.getDescription());
        }
    }

    private static String unquote(String s) {
        String body = s.substring(1, s.length() - 1);
        return s.startsWith("`") ? body : body.replaceAll("\\\\(.)", "$1");
    }

    private boolean lookahead(String... texts) {
        return lookaheadAt(1, texts);
    }

    private boolean lookaheadAt(int ahead, String... texts) {
        if (at + ahead >= tokens.size()) {
            return false;
        }
        return List.of(texts).contains(tokens.get(at + ahead).text());
    }

    private boolean is(String text) {
        return at < tokens.size() && tokens.get(at).text().equals(text);
    }

    private Token peek() {
        if (at >= tokens.size()) {
            throw error("unexpected end");
        }
        return tokens.get(at);
    }

    private Token next() {
        Token t = peek();
        at++;
        return t;
    }

    private Token expect(String kindOrText) {
        Token t = peek();
        if (!t.kind().equals(kindOrText) && !t.text().equals(kindOrText)) {
            throw error("expected " + kindOrText + " but found " + t.text());
        }
        at++;
        return t;
    }

    private IllegalArgumentException error(String message) {
        StringBuilder where = new StringBuilder();
        for (int i = 0; i < tokens.size(); i++) {
            where.append(i == at ? " ⟨" : " ").append(tokens.get(i).text()).append(i == at ? "⟩" : "");
        }
        return new IllegalArgumentException(message + " at:" + where);
    }
}
