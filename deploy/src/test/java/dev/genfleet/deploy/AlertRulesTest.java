package dev.genfleet.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The chart's alert rules: each has a runbook in this module's README, each expression parses as PromQL and
 * reads only metrics that exist — the apps' Micrometer meters (found in the gateway's and worker's sources)
 * or the exporters the README names — and the worker groups they watch are the ones the chart deploys.
 */
class AlertRulesTest {

    private static final Path README = Path.of("README.md");
    private static final List<Path> APP_SOURCES =
            List.of(Path.of("../gateway/src/main/java"), Path.of("../worker/src/main/java"));
    private static final Pattern HEADING = Pattern.compile("^(#{2,6})\\s+(.+?)\\s*$", Pattern.MULTILINE);
    private static final Pattern METRIC_ROW =
            Pattern.compile("^\\|\\s*`([a-zA-Z_:][a-zA-Z0-9_:]*)`", Pattern.MULTILINE);

    private static final Rendered DEFAULTS = Chart.render(Chart.dir().resolve("values.yaml"));

    private static List<Map<String, Object>> alerts(Rendered rendered) {
        List<Map<String, Object>> alerts = new ArrayList<>();
        for (Map<String, Object> rule : rendered.ofKind("PrometheusRule")) {
            for (Map<String, Object> group : Tree.maps(rule, "spec.groups")) {
                alerts.addAll(Tree.maps(group, "rules"));
            }
        }
        return alerts;
    }

    @Test
    void shouldShipOneRuleWithTheFleetsAlertsWhenEnabled() {
        assertEquals(1, DEFAULTS.ofKind("PrometheusRule").size(), "one PrometheusRule in the default install");
        Set<String> names = new TreeSet<>();
        alerts(DEFAULTS).forEach(a -> names.add((String) a.get("alert")));
        assertEquals(
                new TreeSet<>(List.of(
                        "GenfleetQueueAgeHigh",
                        "GenfleetQueueNotDraining",
                        "GenfleetJobsDeadLettered",
                        "GenfleetWebhookBacklog",
                        "GenfleetWebhookDeliveriesFailing",
                        "GenfleetWebhooksWaitingForView",
                        "GenfleetStatusViewBehind",
                        "GenfleetWorkersUnavailable")),
                names);
        for (Map<String, Object> alert : alerts(DEFAULTS)) {
            assertTrue(Tree.map(alert, "labels").containsKey("severity"), alert.get("alert") + " has no severity");
            assertTrue(Tree.map(alert, "annotations").containsKey("summary"), alert.get("alert") + " has no summary");
        }
    }

    @Test
    void shouldRenderNoRuleWhenDisabled() {
        Rendered plain = Chart.render(Path.of("src/test/resources/variants/external-plaintext.yaml"));
        assertEquals(List.of(), plain.ofKind("PrometheusRule"));
    }

    @Test
    void shouldLinkEveryAlertToItsRunbookInTheReadme() throws IOException {
        String base = Tree.str(DEFAULTS.values(), "monitoring.prometheusRules.runbookBaseUrl");
        Map<String, String> runbooks = runbooks();
        for (Map<String, Object> alert : alerts(DEFAULTS)) {
            String name = (String) alert.get("alert");
            String url = Tree.str(alert, "annotations.runbook_url");
            assertTrue(url != null && url.startsWith(base + "#"), name + ": runbook_url " + url + " not under " + base);
            String anchor = url.substring(url.indexOf('#') + 1);
            assertTrue(
                    runbooks.containsKey(anchor),
                    name + ": no heading with anchor #" + anchor + " under \"## Runbooks\" in deploy/README.md");
            assertEquals(name, runbooks.get(anchor), "the runbook's heading is the alert's name");
        }
        Set<String> alertNames = new TreeSet<>();
        alerts(DEFAULTS).forEach(a -> alertNames.add((String) a.get("alert")));
        assertEquals(alertNames, new TreeSet<>(runbooks.values()), "a runbook for every alert, and none for none");
    }

    @Test
    void shouldParseEveryExpressionAndReadOnlyMetricsThatExist() throws IOException {
        Set<String> listed = listedMetrics();
        String code = appSources();
        for (Map<String, Object> alert : alerts(DEFAULTS)) {
            String name = (String) alert.get("alert");
            Set<String> metrics;
            try {
                metrics = PromQl.metrics((String) alert.get("expr"));
            } catch (IllegalArgumentException e) {
                throw new AssertionError(name + ": " + e.getMessage(), e);
            }
            assertTrue(!metrics.isEmpty(), name + " reads no metric");
            for (String metric : metrics) {
                assertTrue(
                        listed.contains(metric),
                        name + " reads " + metric
                                + ", which deploy/README.md (\"Metrics the alerts read\") does not list");
                if (metric.startsWith("genfleet_")) {
                    assertTrue(
                            meterNames(metric).stream().anyMatch(m -> code.contains("\"" + m + "\"")),
                            name + " reads " + metric + ", but no gateway or worker meter is named "
                                    + meterNames(metric));
                }
            }
            String forValue = Tree.str(alert, "for");
            assertTrue(forValue == null || forValue.matches("(\\d+(ms|[smhdwy]))+"), name + ": for " + forValue);
        }
    }

    @Test
    void shouldWatchTheWorkerGroupsTheChartDeploysAndThatTheExporterExports() {
        Pattern group = Pattern.compile("genfleet-worker-(.+)-(interactive|bulk)");
        Map<String, Object> exporter = Tree.map(DEFAULTS.ofKind("Kafka").get(0), "spec.kafkaExporter");
        Pattern groups = Pattern.compile((String) exporter.get("groupRegex"));
        Pattern topics = Pattern.compile((String) exporter.get("topicRegex"));
        List<String> triggered = new ArrayList<>();
        for (Map<String, Object> scaled : DEFAULTS.ofKind("ScaledObject")) {
            for (Map<String, Object> trigger : Tree.maps(scaled, "spec.triggers")) {
                String consumerGroup = Tree.str(trigger, "metadata.consumerGroup");
                Matcher m = group.matcher(consumerGroup);
                assertTrue(m.matches(), consumerGroup + " is not what the queue alerts parse");
                assertTrue(
                        DEFAULTS.pools().stream().anyMatch(p -> p.get("name").equals(m.group(1))),
                        consumerGroup + ": pool label " + m.group(1));
                assertTrue(groups.matcher(consumerGroup).find(), "the Kafka Exporter skips " + consumerGroup);
                assertTrue(
                        topics.matcher(Tree.str(trigger, "metadata.topic")).find(),
                        "the Kafka Exporter skips " + Tree.str(trigger, "metadata.topic"));
                triggered.add(consumerGroup);
            }
        }
        assertTrue(!triggered.isEmpty());
        assertTrue(groups.matcher("genfleet-gateway-webhooks").find(), "GenfleetWebhookBacklog reads that group");
        for (String topic : List.of("topics.audit", "topics.results")) {
            String name = Tree.str(DEFAULTS.values(), topic);
            assertTrue(topics.matcher(name).find(), "the webhook group reads " + name);
        }
        assertTrue(!topics.matcher("genfleet.control").find(), "the exporter's topic filter is anchored");
    }

    @Test
    void shouldTakeThresholdsFromValues() {
        Map<String, Object> r = Tree.map(DEFAULTS.values(), "monitoring.prometheusRules");
        Map<String, String> exprs = new LinkedHashMap<>();
        alerts(DEFAULTS)
                .forEach(a -> exprs.merge((String) a.get("alert"), (String) a.get("expr"), (x, y) -> x + "\n" + y));
        assertTrue(exprs.get("GenfleetQueueAgeHigh").contains("> " + num(r, "queueAge.interactiveSeconds")));
        assertTrue(exprs.get("GenfleetQueueAgeHigh").contains("> " + num(r, "queueAge.bulkSeconds")));
        assertTrue(exprs.get("GenfleetStatusViewBehind").endsWith("> " + num(r, "statusView.offsetsBehind")));
        assertTrue(exprs.get("GenfleetWebhookBacklog").endsWith("> " + num(r, "webhookBacklog.records")));
        assertTrue(exprs.get("GenfleetJobsDeadLettered").contains("[" + Tree.str(r, "deadLetters.window") + "]"));
        assertTrue(exprs.get("GenfleetWebhookDeliveriesFailing")
                .contains("[" + Tree.str(r, "webhookFailures.window") + "]"));
        assertTrue(exprs.get("GenfleetWebhookDeliveriesFailing").endsWith("> " + num(r, "webhookFailures.max")));
        assertTrue(exprs.get("GenfleetWorkersUnavailable").contains("statefulset=~\"genfleet-worker-.+\""));
    }

    @Test
    void shouldRejectWhatPrometheusRejects() {
        for (String bad : List.of(
                "sum(rate(foo[5m])",
                "rate(foo[5x])",
                "foo{bar=\"baz\"",
                "foo{bar=~\"(\"}",
                "no_such_function(foo)",
                "sum by (a (foo)",
                "foo >",
                "label_replace(foo, \"a\", \"$1\", \"b\")",
                "foo bar")) {
            assertThrows(IllegalArgumentException.class, () -> PromQl.metrics(bad), bad);
        }
        assertEquals(
                Set.of("a", "b", "c"),
                PromQl.metrics("sum without (x) (rate(a{l!~\"x.*\"}[5m] offset 1h)) / on (y) group_left (z) "
                        + "max(b) by (y) > bool 0 unless c ^ 2 ^ -1"));
    }

    /** The runbook headings under "## Runbooks", by their GitHub anchor. */
    private static Map<String, String> runbooks() throws IOException {
        String readme = Files.readString(README);
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = HEADING.matcher(readme);
        boolean inRunbooks = false;
        while (m.find()) {
            int level = m.group(1).length();
            if (level == 2) {
                inRunbooks = m.group(2).equals("Runbooks");
            } else if (inRunbooks && level == 3) {
                out.put(anchor(m.group(2)), m.group(2));
            }
        }
        return out;
    }

    /** GitHub's heading anchor: lower case, punctuation dropped, spaces as hyphens. */
    static String anchor(String heading) {
        return heading.toLowerCase(Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{N} _-]", "")
                .replace(' ', '-');
    }

    /** The metric names in the first column of the README's "Metrics the alerts read" table. */
    private static Set<String> listedMetrics() throws IOException {
        String readme = Files.readString(README);
        int start = readme.indexOf("Metrics the alerts read");
        assertTrue(start >= 0, "deploy/README.md has no \"Metrics the alerts read\" table");
        int end = readme.indexOf("\n#", start);
        Set<String> out = new LinkedHashSet<>();
        Matcher m = METRIC_ROW.matcher(readme.substring(start, end < 0 ? readme.length() : end));
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** Micrometer names that Prometheus would export as {@code metric}: dots for underscores, suffixes off. */
    private static List<String> meterNames(String metric) {
        List<String> out = new ArrayList<>();
        out.add(metric);
        for (String suffix : List.of(
                "_total",
                "_seconds_count",
                "_seconds_sum",
                "_seconds_max",
                "_seconds_bucket",
                "_count",
                "_sum",
                "_max",
                "_bucket")) {
            if (metric.endsWith(suffix)) {
                out.add(metric.substring(0, metric.length() - suffix.length()));
            }
        }
        return out.stream().map(n -> n.replace('_', '.')).toList();
    }

    private static String appSources() {
        StringBuilder all = new StringBuilder();
        for (Path root : APP_SOURCES) {
            assertTrue(Files.isDirectory(root), root + " not found: run the test from the deploy module");
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                    all.append(Files.readString(file)).append('\n');
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return all.toString();
    }

    private static String num(Map<String, Object> root, String path) {
        double v = Tree.num(root, path);
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
