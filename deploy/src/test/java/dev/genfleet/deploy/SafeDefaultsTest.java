package dev.genfleet.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What an install gets without asking: per-tenant limits on, and a gateway that may reach only DNS, Kafka,
 * webhook receivers outside private and cluster ranges (so a tenant's webhook URL cannot probe the cluster, the
 * node network or cloud metadata) and, only where one is named, the OpenTelemetry collector (TelemetryTest).
 */
class SafeDefaultsTest {

    static final List<String> NEVER_REACHABLE =
            List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "127.0.0.0/8");

    static Stream<Path> examples() {
        return Chart.examples().stream();
    }

    @Test
    void shouldTurnTenantLimitsOnByDefault() {
        Rendered r = Chart.render(Chart.dir().resolve("values.yaml"));
        String config = Tree.str(r.one("ConfigMap", Chart.RELEASE + "-gateway"), "data");
        Map<String, Object> limits = Tree.map(r.values(), "gateway.tenantLimits");
        for (String key : List.of("requestsPerSecond", "maxQueued", "burst")) {
            assertTrue(((Number) limits.get(key)).doubleValue() > 0, key + " must be on by default");
        }
        assertTrue(config.contains("genfleet.gateway.limits.requests-per-second=" + limits.get("requestsPerSecond")));
        assertTrue(config.contains("genfleet.gateway.limits.burst=" + limits.get("burst")));
        assertTrue(config.contains("genfleet.gateway.limits.max-queued=" + limits.get("maxQueued")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void shouldSetEachTenantLimitOnce(Path values) {
        String config = Tree.str(Chart.render(values).one("ConfigMap", Chart.RELEASE + "-gateway"), "data");
        for (String key : List.of("requests-per-second", "burst", "max-queued")) {
            String line = "genfleet.gateway.limits." + key + "=";
            assertEquals(config.indexOf(line), config.lastIndexOf(line), "one line for " + key);
            assertTrue(config.contains(line), key);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void shouldLetTheGatewayReachOnlyDnsKafkaPublicWebhookReceiversAndANamedCollector(Path values) {
        Rendered r = Chart.render(values);
        if (!Boolean.TRUE.equals(Tree.get(r.values(), "networkPolicy.enabled"))) {
            return;
        }
        Map<String, Object> np = r.one("NetworkPolicy", Chart.RELEASE + "-gateway");
        assertTrue(((List<?>) Tree.get(np, "spec.policyTypes")).contains("Egress"), "the gateway's egress is limited");
        Set<Object> kafkaPorts = kafkaPorts(r);
        Map<String, Object> collector = TelemetryTest.collectorRule(r);
        boolean dns = false;
        boolean kafka = false;
        boolean webhooks = false;
        for (Map<String, Object> rule : Tree.maps(np, "spec.egress")) {
            Set<Object> ports = new HashSet<>();
            Tree.maps(rule, "ports").forEach(p -> ports.add(p.get("port")));
            List<Map<String, Object>> to = Tree.maps(rule, "to");
            if (ports.equals(Set.of(53))) {
                dns = true;
            } else if (rule.equals(collector)) {
                continue; // exactly the rule TelemetryTest checks: the collector's port, at telemetry.collectorTo
            } else if (!ports.isEmpty() && kafkaPorts.containsAll(ports)) {
                kafka = true;
            } else {
                // anything else goes only to ipBlocks that exclude private, loopback, link-local and cluster ranges
                assertFalse(to.isEmpty(), "an egress rule to anywhere: " + rule);
                for (Map<String, Object> peer : to) {
                    assertTrue(peer.containsKey("ipBlock") && peer.size() == 1, "not an ipBlock: " + peer);
                    String cidr = Tree.str(peer, "ipBlock.cidr");
                    List<String> except = new ArrayList<>();
                    ((List<?>) Tree.get(peer, "ipBlock.except")).forEach(e -> except.add(e.toString()));
                    List<String> clusterCidrs = new ArrayList<>();
                    ((List<?>) Tree.get(r.values(), "networkPolicy.gatewayEgress.clusterCIDRs"))
                            .forEach(c -> clusterCidrs.add(c.toString()));
                    if (cidr.equals("0.0.0.0/0")) {
                        assertTrue(except.containsAll(NEVER_REACHABLE), except::toString);
                        clusterCidrs.stream()
                                .filter(c -> !c.contains(":"))
                                .forEach(c -> assertTrue(except.contains(c)));
                        webhooks = true;
                    } else {
                        assertEquals("::/0", cidr);
                        assertTrue(except.containsAll(List.of("fc00::/7", "fe80::/10")), except::toString);
                        clusterCidrs.stream().filter(c -> c.contains(":")).forEach(c -> assertTrue(except.contains(c)));
                    }
                }
            }
        }
        assertTrue(dns && kafka && webhooks, "DNS " + dns + ", Kafka " + kafka + ", webhooks " + webhooks);
    }

    /** The ports the gateway reaches Kafka on: 9093 of the chart's cluster, or the bootstrap servers' ports. */
    private static Set<Object> kafkaPorts(Rendered r) {
        Set<Object> ports = new HashSet<>();
        if ("strimzi".equals(Tree.str(r.values(), "kafka.mode"))) {
            ports.add(9093);
            return ports;
        }
        for (String server :
                Tree.str(r.values(), "kafka.external.bootstrapServers").split(",")) {
            ports.add(Integer.parseInt(
                    server.substring(server.lastIndexOf(':') + 1).trim()));
        }
        return ports;
    }
}
