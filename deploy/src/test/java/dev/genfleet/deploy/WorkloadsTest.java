package dev.genfleet.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every workload has probes, resources, a PDB; the gateway is a StatefulSet with its HPA, a replica id from the pod
 * name and a volume per replica for its state; workers (StatefulSets too, see {@link WorkerIdentityTest}) take no
 * inbound traffic.
 */
class WorkloadsTest {

    static Stream<Path> examples() {
        return Chart.examples().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void shouldGiveEveryWorkloadProbesResourcesAndAPdb(Path values) {
        Rendered r = Chart.render(values);
        assertEquals(List.of(), r.ofKind("Deployment"), "every workload has a stable identity");
        List<Map<String, Object>> workloads = r.ofKind("StatefulSet");
        assertEquals(r.pools().size() + 1, workloads.size(), "one StatefulSet per worker pool, and the gateway");
        for (Map<String, Object> d : workloads) {
            String name = Tree.str(d, "metadata.name");
            Map<String, Object> podLabels = Tree.map(d, "spec.template.metadata.labels");
            assertTrue(
                    podLabels
                            .entrySet()
                            .containsAll(
                                    Tree.map(d, "spec.selector.matchLabels").entrySet()),
                    name + ": selector does not match its pods");
            for (Map<String, Object> c : Tree.maps(d, "spec.template.spec.containers")) {
                for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
                    assertNotNull(Tree.get(c, probe + ".httpGet.path"), name + " has no " + probe);
                }
                assertEquals("/q/health/ready", Tree.str(c, "readinessProbe.httpGet.path"));
                assertEquals("/q/health/live", Tree.str(c, "livenessProbe.httpGet.path"));
                assertNotNull(Tree.get(c, "resources.requests.cpu"), name + " requests no CPU");
                assertNotNull(Tree.get(c, "resources.requests.memory"), name + " requests no memory");
                assertNotNull(Tree.get(c, "resources.limits.memory"), name + " has no memory limit");
                assertNotNull(Tree.get(c, "lifecycle.preStop"), name + " has no preStop");
                assertEquals(Boolean.TRUE, Tree.get(c, "securityContext.readOnlyRootFilesystem"));
            }
            long pdbs = r.ofKind("PodDisruptionBudget").stream()
                    .filter(p -> podLabels
                            .entrySet()
                            .containsAll(
                                    Tree.map(p, "spec.selector.matchLabels").entrySet()))
                    .count();
            assertEquals(1, pdbs, name + " needs exactly one PodDisruptionBudget");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void shouldScaleTheGatewayOnCpuAndServeItThroughItsService(Path values) {
        Rendered r = Chart.render(values);
        String gateway = Chart.RELEASE + "-gateway";
        Map<String, Object> d = r.one("StatefulSet", gateway);
        if (Boolean.TRUE.equals(Tree.get(r.values(), "gateway.autoscaling.enabled"))) {
            Map<String, Object> hpa = r.one("HorizontalPodAutoscaler", gateway);
            assertEquals(gateway, Tree.str(hpa, "spec.scaleTargetRef.name"));
            assertEquals("StatefulSet", Tree.str(hpa, "spec.scaleTargetRef.kind"));
            assertEquals("cpu", Tree.str(Tree.maps(hpa, "spec.metrics").get(0), "resource.name"));
            assertEquals(null, Tree.get(d, "spec.replicas"), "the HPA owns replicas");
        }
        Map<String, Object> svc = r.one("Service", gateway);
        assertTrue(Tree.map(d, "spec.template.metadata.labels")
                .entrySet()
                .containsAll(Tree.map(svc, "spec.selector").entrySet()));
        String config = Tree.str(r.one("ConfigMap", gateway), "data").toString();
        assertTrue(config.contains("genfleet.gateway.create-topics=false"), "Strimzi owns topics in a cluster");
        assertTrue(config.contains("quarkus.http.host=0.0.0.0"));
        assertTrue(config.contains("genfleet.gateway.auth.keys-file=/etc/genfleet/api-keys/keys"));
        var mounts = Tree.maps(Tree.maps(d, "spec.template.spec.containers").get(0), "volumeMounts");
        assertTrue(mounts.stream().anyMatch(m -> "/etc/genfleet/api-keys".equals(m.get("mountPath"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void shouldGiveEachGatewayReplicaAnIdentityAndAVolumeForItsState(Path values) {
        Rendered r = Chart.render(values);
        String gateway = Chart.RELEASE + "-gateway";
        Map<String, Object> sts = r.one("StatefulSet", gateway);
        String config = Tree.str(r.one("ConfigMap", gateway), "data").toString();
        assertTrue(config.contains("kafka-streams.state.dir=/var/lib/genfleet/streams"), config);
        assertTrue(config.contains("genfleet.gateway.view.replica-id=${POD_NAME}"), "the pod name is the replica id");
        Map<String, Object> container =
                Tree.maps(sts, "spec.template.spec.containers").get(0);
        assertTrue(
                Tree.maps(container, "env").stream()
                        .anyMatch(e -> "POD_NAME".equals(e.get("name"))
                                && "metadata.name".equals(Tree.get(e, "valueFrom.fieldRef.fieldPath"))),
                "POD_NAME from the pod's name");
        assertTrue(
                Tree.maps(container, "volumeMounts").stream()
                        .anyMatch(m -> "state".equals(m.get("name"))
                                && "/var/lib/genfleet/streams".equals(m.get("mountPath"))),
                "the state volume holds kafka-streams.state.dir");
        List<Map<String, Object>> claims = Tree.maps(sts, "spec.volumeClaimTemplates");
        assertEquals(
                List.of("state"),
                claims.stream().map(c -> Tree.get(c, "metadata.name")).toList());
        assertNotNull(Tree.get(claims.get(0), "spec.resources.requests.storage"));
        assertFalse(
                Tree.maps(sts, "spec.template.spec.volumes").stream().anyMatch(v -> "state".equals(v.get("name"))),
                "the state is the claim's, not an emptyDir");
        Map<String, Object> governing = r.one("Service", Tree.str(sts, "spec.serviceName"));
        assertEquals("None", Tree.str(governing, "spec.clusterIP"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void shouldLetNothingIntoWorkersButTheMetricsScrape(Path values) {
        Rendered r = Chart.render(values);
        if (!Boolean.TRUE.equals(Tree.get(r.values(), "networkPolicy.enabled"))) {
            assertTrue(r.ofKind("NetworkPolicy").isEmpty());
            return;
        }
        Map<String, Object> np = r.one("NetworkPolicy", Chart.RELEASE + "-worker");
        assertEquals("worker", Tree.map(np, "spec.podSelector.matchLabels").get("app.kubernetes.io/component"));
        assertTrue(((List<?>) Tree.get(np, "spec.policyTypes")).containsAll(List.of("Ingress", "Egress")));
        List<Map<String, Object>> ingress = Tree.maps(np, "spec.ingress");
        assertEquals(1, ingress.size());
        assertFalse(Tree.maps(ingress.get(0), "from").isEmpty(), "metrics ingress must name its sources");
        List<Map<String, Object>> ports = Tree.maps(ingress.get(0), "ports");
        assertEquals(
                List.of("management"), ports.stream().map(p -> p.get("port")).toList());
        for (Map<String, Object> pool : r.pools()) {
            Map<String, Object> d = r.one("StatefulSet", Chart.RELEASE + "-worker-" + pool.get("name"));
            var containerPorts =
                    Tree.maps(Tree.maps(d, "spec.template.spec.containers").get(0), "ports");
            assertEquals(
                    List.of(8081, 9000),
                    containerPorts.stream().map(p -> p.get("containerPort")).toList());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void shouldServeHealthAndMetricsOnAManagementPortThePublicServiceDoesNotExpose(Path values) {
        Rendered r = Chart.render(values);
        for (String component : List.of("gateway", "worker")) {
            String config = Tree.str(r.one("ConfigMap", Chart.RELEASE + "-" + component), "data");
            assertTrue(config.contains("quarkus.management.port=9000\n"), component + ": " + config);
            assertTrue(
                    config.contains("quarkus.management.host=0.0.0.0\n"), component + " must listen for the kubelet");
        }
        for (Map<String, Object> d : r.ofKind("StatefulSet")) {
            Map<String, Object> c =
                    Tree.maps(d, "spec.template.spec.containers").get(0);
            assertTrue(
                    Tree.maps(c, "ports").stream()
                            .anyMatch(p -> "management".equals(p.get("name"))
                                    && Integer.valueOf(9000).equals(p.get("containerPort"))),
                    Tree.str(d, "metadata.name") + " names no management port 9000");
            for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
                assertEquals(
                        "management", Tree.get(c, probe + ".httpGet.port"), Tree.str(d, "metadata.name") + " " + probe);
            }
        }
        Map<String, Object> publicService = r.one("Service", Chart.RELEASE + "-gateway");
        assertEquals(
                List.of("http"),
                Tree.maps(publicService, "spec.ports").stream()
                        .map(p -> p.get("targetPort"))
                        .toList(),
                "the public Service exposes the API only, never health or metrics");
        if (Boolean.TRUE.equals(Tree.get(r.values(), "networkPolicy.enabled"))) {
            Map<String, Object> np = r.one("NetworkPolicy", Chart.RELEASE + "-gateway");
            for (Map<String, Object> rule : Tree.maps(np, "spec.ingress")) {
                boolean management =
                        Tree.maps(rule, "ports").stream().anyMatch(p -> "management".equals(p.get("port")));
                if (management) {
                    assertFalse(Tree.maps(rule, "from").isEmpty(), "the management port must name who may scrape it");
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void shouldScrapeEveryComponent(Path values) {
        Rendered r = Chart.render(values);
        if (!Boolean.TRUE.equals(Tree.get(r.values(), "monitoring.serviceMonitors.enabled"))) {
            return;
        }
        for (String component : List.of("gateway", "worker")) {
            Map<String, Object> sm = r.one("ServiceMonitor", Chart.RELEASE + "-" + component);
            assertEquals("/q/metrics", Tree.str(Tree.maps(sm, "spec.endpoints").get(0), "path"));
            assertEquals("management", Tree.str(Tree.maps(sm, "spec.endpoints").get(0), "port"));
            Map<String, Object> selector = Tree.map(sm, "spec.selector.matchLabels");
            assertFalse(
                    r.ofKind("Service").stream()
                            .filter(s ->
                                    Tree.map(s, "metadata.labels").entrySet().containsAll(selector.entrySet()))
                            .filter(s -> Tree.maps(s, "spec.ports").stream()
                                    .anyMatch(p -> "management".equals(p.get("name"))))
                            .toList()
                            .isEmpty(),
                    component + " ServiceMonitor selects no Service");
        }
        assertEquals(
                r.pools().size(),
                r.ofKind("Service").stream()
                        .filter(s -> Tree.str(s, "metadata.name").endsWith("-metrics"))
                        .count(),
                "one metrics Service per pool");
    }
}
