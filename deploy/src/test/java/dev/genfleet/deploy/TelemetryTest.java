package dev.genfleet.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * OpenTelemetry in the chart: where {@code telemetry.otlpEndpoint} names a collector, the gateway and every worker
 * pool get the OTLP traces endpoint and protocol, and both NetworkPolicies one egress rule to it (its port, at
 * {@code telemetry.collectorTo}); where none is named, no OTel setting and no such rule, so the applications
 * install no exporter (gateway/README.md, "Telemetry").
 */
class TelemetryTest {

    static final String ENDPOINT = "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";
    static final String PROTOCOL = "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_PROTOCOL";
    static final Path COLLECTOR = Path.of("src/test/resources/variants/telemetry-collector.yaml");

    static Stream<Path> examples() {
        return Chart.examples().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void shouldSetTheExporterOnlyWhereACollectorIsNamed(Path values) {
        Rendered r = Chart.render(values);
        String endpoint = Tree.str(r.values(), "telemetry.otlpEndpoint");
        for (Map<String, Object> container : applicationContainers(r)) {
            Map<String, Object> env = env(container);
            if (endpoint == null || endpoint.isEmpty()) {
                assertTrue(
                        env.keySet().stream().noneMatch(k -> k.contains("OTEL")),
                        "no collector, no OTel setting: " + env.keySet());
            } else {
                assertEquals(endpoint, env.get(ENDPOINT), container.get("name").toString());
                assertEquals(Tree.str(r.values(), "telemetry.otlpProtocol"), env.get(PROTOCOL));
            }
        }
    }

    @Test
    void shouldPointTheGatewayAndEveryWorkerPoolAtTheNamedCollector() {
        Rendered r = Chart.render(COLLECTOR);
        List<Map<String, Object>> containers = applicationContainers(r);
        assertEquals(1 + r.pools().size(), containers.size(), "the gateway and one container per pool");
        for (Map<String, Object> container : containers) {
            assertEquals(
                    "http://otel-collector.observability.svc:4318",
                    env(container).get(ENDPOINT));
            assertEquals("http/protobuf", env(container).get(PROTOCOL));
        }
        Map<String, Object> rule = collectorRule(r);
        assertNotNull(rule);
        assertEquals(List.of(Map.of("port", 4318, "protocol", "TCP")), rule.get("ports"));
        assertEquals(Tree.get(r.values(), "telemetry.collectorTo"), rule.get("to"));
        for (String policy : List.of(Chart.RELEASE + "-gateway", Chart.RELEASE + "-worker")) {
            assertTrue(
                    Tree.maps(r.one("NetworkPolicy", policy), "spec.egress").contains(rule),
                    policy + " reaches the collector");
        }
    }

    @Test
    void shouldAddNoEgressRuleWithoutACollector() {
        assertNull(collectorRule(Chart.render(Chart.dir().resolve("values.yaml"))));
    }

    @Test
    void shouldRefuseAnEndpointThatIsNotAUrl(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path values = dir.resolve("bad-endpoint.yaml");
        Files.writeString(values, "telemetry:\n  otlpEndpoint: otel-collector:4317\n");
        Exception e = assertThrows(Exception.class, () -> Chart.render(values));
        assertTrue(e.getMessage().contains("telemetry.otlpEndpoint"), e.getMessage());
    }

    /**
     * The egress rule to the named collector as the chart should render it (its port from the URL, else 80/443 by
     * scheme; at {@code telemetry.collectorTo} if set), or null when no collector is named.
     */
    static Map<String, Object> collectorRule(Rendered r) {
        String endpoint = Tree.str(r.values(), "telemetry.otlpEndpoint");
        if (endpoint == null || endpoint.isEmpty()) {
            return null;
        }
        java.net.URI uri = java.net.URI.create(endpoint);
        int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("ports", List.of(Map.of("port", port, "protocol", "TCP")));
        Object to = Tree.get(r.values(), "telemetry.collectorTo");
        if (to instanceof List<?> peers && !peers.isEmpty()) {
            rule.put("to", to);
        }
        return rule;
    }

    private static List<Map<String, Object>> applicationContainers(Rendered r) {
        List<Map<String, Object>> containers = new ArrayList<>();
        containers.add(Tree.maps(r.one("StatefulSet", Chart.RELEASE + "-gateway"), "spec.template.spec.containers")
                .get(0));
        for (Map<String, Object> pool : r.pools()) {
            containers.add(Tree.maps(
                            r.one("StatefulSet", Chart.RELEASE + "-worker-" + pool.get("name")),
                            "spec.template.spec.containers")
                    .get(0));
        }
        return containers;
    }

    private static Map<String, Object> env(Map<String, Object> container) {
        Map<String, Object> env = new LinkedHashMap<>();
        for (Map<String, Object> e : Tree.maps(container, "env")) {
            env.put(e.get("name").toString(), e.get("value"));
        }
        return env;
    }
}
