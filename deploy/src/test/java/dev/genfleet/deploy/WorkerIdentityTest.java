package dev.genfleet.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genfleet.testkit.KafkaAcls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each worker pool is a StatefulSet, so a pod that replaces a dead one keeps its name, hence its worker id and its
 * transactional ids ({@code <id>-interactive|bulk|bulk-2}, worker/src/main/resources/application.properties): its
 * producers abort the predecessor's open transactions when they start. Every id any pod of the pool can have is
 * covered by the pool's ACLs, KEDA scales the StatefulSet, and {@code transaction.timeout.ms} comes from values.
 */
class WorkerIdentityTest {

    /** The worker's transactional producers, by the suffix of their transactional id. */
    static final List<String> PRODUCERS = List.of("interactive", "bulk", "bulk-2");

    static Stream<Path> examples() {
        return Chart.examples().stream();
    }

    private static String worker(Map<String, Object> pool) {
        return Chart.RELEASE + "-worker-" + pool.get("name");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void shouldRunEachPoolAsAStatefulSetWithoutOrderingOrVolumes(Path values) {
        Rendered r = Chart.render(values);
        for (Map<String, Object> pool : r.pools()) {
            Map<String, Object> sts = r.one("StatefulSet", worker(pool));
            assertEquals("Parallel", Tree.str(sts, "spec.podManagementPolicy"), "KEDA starts replicas together");
            assertEquals("RollingUpdate", Tree.str(sts, "spec.updateStrategy.type"));
            assertNull(Tree.get(sts, "spec.volumeClaimTemplates"), "workers keep nothing on disk");
            Map<String, Object> governing = r.one("Service", Tree.str(sts, "spec.serviceName"));
            assertEquals("None", Tree.str(governing, "spec.clusterIP"), "the governing Service is headless");
            assertTrue(Tree.map(sts, "spec.template.metadata.labels")
                    .entrySet()
                    .containsAll(Tree.map(governing, "spec.selector").entrySet()));
            if (Boolean.TRUE.equals(Tree.get(pool, "scaling.enabled"))) {
                assertNull(Tree.get(sts, "spec.replicas"), "KEDA's HPA owns the replicas");
                Map<String, Object> so = r.one("ScaledObject", worker(pool));
                assertEquals("apps/v1", Tree.str(so, "spec.scaleTargetRef.apiVersion"));
                assertEquals("StatefulSet", Tree.str(so, "spec.scaleTargetRef.kind"));
                assertEquals(worker(pool), Tree.str(so, "spec.scaleTargetRef.name"));
            } else {
                assertEquals(Tree.num(pool, "replicas"), Tree.num(sts, "spec.replicas"));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void shouldDeriveTheWorkerIdFromTheStatefulSetPodName(Path values) {
        Rendered r = Chart.render(values);
        for (Map<String, Object> pool : r.pools()) {
            List<Map<String, Object>> env = env(r, pool);
            int podName = indexOf(env, "POD_NAME");
            int workerId = indexOf(env, "GENFLEET_WORKER_ID");
            assertTrue(podName >= 0 && workerId > podName, "POD_NAME must be defined before GENFLEET_WORKER_ID");
            assertEquals("metadata.name", Tree.str(env.get(podName), "valueFrom.fieldRef.fieldPath"));
            String id = (String) env.get(workerId).get("value");
            assertTrue(id.endsWith("$(POD_NAME)"), id);
            // <statefulset>-<ordinal> is unique among live pods and the same for the pod that replaces it
            String pod0 = workerId(r, pool, 0);
            assertTrue(pod0.endsWith(worker(pool) + "-0"), pod0);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void shouldSetTheTransactionTimeoutFromValuesWithinTheBrokersMaximum(Path values) {
        Rendered r = Chart.render(values);
        for (Map<String, Object> pool : r.pools()) {
            Object own = pool.get("transactionTimeoutMs");
            double expected =
                    own != null ? ((Number) own).doubleValue() : Tree.num(r.values(), "workers.transactionTimeoutMs");
            String rendered = ScalingTest.env(container(r, pool)).get("GENFLEET_WORKER_TRANSACTION_TIMEOUT_MS");
            assertNotNull(rendered, pool.get("name") + " has no GENFLEET_WORKER_TRANSACTION_TIMEOUT_MS");
            assertEquals((long) expected, Long.parseLong(rendered));
            if (!r.ofKind("Kafka").isEmpty()) {
                Object max = Tree.at(
                        r.ofKind("Kafka").get(0), List.of("spec", "kafka", "config", "transaction.max.timeout.ms"));
                long brokerMax = max == null ? 900_000 : ((Number) max).longValue();
                assertTrue(expected <= brokerMax, "the broker refuses a producer above transaction.max.timeout.ms");
            }
        }
    }

    @Test
    void shouldRefuseATransactionTimeoutTheBrokerWouldRefuse() throws Exception {
        Path values = Files.createTempFile("genfleet-tx-timeout-", ".yaml");
        Files.writeString(values, "workers:\n  transactionTimeoutMs: 1800000\n");
        Exception e = assertThrows(Exception.class, () -> Chart.render(values));
        assertTrue(e.getMessage().contains("transaction.max.timeout.ms"), e::getMessage);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void shouldCoverTheTransactionalIdsAndControlGroupOfEveryPodWithThePoolsAcls(Path values) {
        Rendered r = Chart.render(values);
        List<AclBinding> checked = new ArrayList<>();
        for (Map<String, Object> pool : r.pools()) {
            List<AclBinding> acls = acls(r, pool);
            if (acls == null) {
                continue; // PLAINTEXT or SSL without client certificates: no principal, no ACLs to match
            }
            checked.addAll(acls);
            int pods = (int) Math.max(Tree.num(pool, "replicas"), Tree.num(pool, "scaling.maxReplicas"));
            for (int ordinal = 0; ordinal < pods; ordinal++) {
                String id = workerId(r, pool, ordinal);
                for (String producer : PRODUCERS) {
                    String txId = id + "-" + producer;
                    for (AclOperation op : List.of(AclOperation.WRITE, AclOperation.DESCRIBE)) {
                        assertTrue(
                                allows(acls, op, ResourceType.TRANSACTIONAL_ID, txId),
                                pool.get("name") + ": " + op + " transactionalId " + txId + " in " + r);
                    }
                }
                String control = "genfleet-worker-control-" + id;
                assertTrue(allows(acls, AclOperation.READ, ResourceType.GROUP, control), control + " in " + r);
            }
        }
        boolean plaintext = r.valuesFile().getFileName().toString().equals("external-plaintext.yaml");
        assertTrue(plaintext || !checked.isEmpty(), "every example but the plaintext one authenticates its workers");
    }

    /** The pool's grants: its rendered KafkaUser's, else acls.yaml's for the configured external user. */
    private static List<AclBinding> acls(Rendered r, Map<String, Object> pool) {
        String protocol =
                r.ofKind("Kafka").isEmpty() ? Tree.str(r.values(), "kafka.external.securityProtocol") : "SASL_SSL";
        boolean mtls =
                "SSL".equals(protocol) && Boolean.TRUE.equals(Tree.get(r.values(), "kafka.external.tlsClientAuth"));
        if (!protocol.startsWith("SASL_") && !mtls) {
            return null;
        }
        String user = r.ofKind("KafkaUser").stream()
                .map(u -> Tree.str(u, "metadata.name"))
                .filter(worker(pool)::equals)
                .findFirst()
                .orElseGet(() -> {
                    Map<String, Object> users = Tree.map(r.values(), "kafka.external.usernames.workers");
                    return (String) users.getOrDefault(pool.get("name"), users.get("default"));
                });
        @SuppressWarnings("unchecked")
        Map<String, String> topics = (Map<String, String>) (Map<?, ?>) Tree.map(r.values(), "topics");
        List<String> pools = r.pools().stream().map(p -> (String) p.get("name")).toList();
        return KafkaAcls.load(Chart.dir().resolve("acls.yaml"))
                .bindings("worker", user, (String) pool.get("name"), pools, topics);
    }

    private static boolean allows(List<AclBinding> acls, AclOperation op, ResourceType type, String name) {
        return acls.stream()
                .anyMatch(b -> b.entry().operation() == op
                        && b.pattern().resourceType() == type
                        && (b.pattern().patternType() == PatternType.PREFIXED
                                ? name.startsWith(b.pattern().name())
                                : name.equals(b.pattern().name())));
    }

    /** The worker id of the pool's pod with this ordinal: the env value with the pod's name filled in. */
    static String workerId(Rendered r, Map<String, Object> pool, int ordinal) {
        String value = (String)
                env(r, pool).get(indexOf(env(r, pool), "GENFLEET_WORKER_ID")).get("value");
        return value.replace("$(POD_NAME)", worker(pool) + "-" + ordinal);
    }

    private static Map<String, Object> container(Rendered r, Map<String, Object> pool) {
        return Tree.maps(r.one("StatefulSet", worker(pool)), "spec.template.spec.containers")
                .get(0);
    }

    private static List<Map<String, Object>> env(Rendered r, Map<String, Object> pool) {
        return Tree.maps(container(r, pool), "env");
    }

    private static int indexOf(List<Map<String, Object>> env, String name) {
        for (int i = 0; i < env.size(); i++) {
            if (name.equals(env.get(i).get("name"))) {
                return i;
            }
        }
        return -1;
    }
}
