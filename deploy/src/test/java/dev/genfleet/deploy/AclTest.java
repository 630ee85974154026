package dev.genfleet.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Each component's KafkaUser allows what it does (per the AsyncAPI operations) and nothing more. */
class AclTest {

    /** Kafka's ACL operations; Strimzi's model does not reject an unknown one, so this does. */
    private static final Set<String> OPERATIONS = Set.of(
            "Read",
            "Write",
            "Create",
            "Delete",
            "Alter",
            "Describe",
            "ClusterAction",
            "AlterConfigs",
            "DescribeConfigs",
            "IdempotentWrite",
            "All");

    static Stream<Path> examplesWithUsers() {
        return Chart.examples().stream()
                .filter(p -> !Chart.render(p).ofKind("KafkaUser").isEmpty());
    }

    /** "Read topic genfleet.results" style grants of one user; prefix patterns end in '*'. */
    private static Set<String> grants(Map<String, Object> user) {
        Set<String> grants = new HashSet<>();
        for (Map<String, Object> acl : Tree.maps(user, "spec.authorization.acls")) {
            String name = Tree.str(acl, "resource.name")
                    + ("prefix".equals(Tree.str(acl, "resource.patternType")) ? "*" : "");
            for (Object op : (List<?>) acl.get("operations")) {
                assertTrue(OPERATIONS.contains(op.toString()), "unknown ACL operation " + op);
                assertFalse("All".equals(op), "All is never least privilege");
                grants.add(op + " " + Tree.str(acl, "resource.type") + " " + name);
            }
            assertTrue(acl.get("type") == null || "allow".equals(acl.get("type")), "deny rules are not used");
        }
        return grants;
    }

    private static boolean allows(Set<String> grants, String op, String type, String name) {
        return grants.stream().anyMatch(g -> {
            String[] p = g.split(" ", 3);
            return p[0].equals(op)
                    && p[1].equals(type)
                    && (p[2].endsWith("*") ? name.startsWith(p[2].substring(0, p[2].length() - 1)) : p[2].equals(name));
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examplesWithUsers")
    void shouldLetTheGatewaySubmitAndReadBackJobsButNeverJoinAWorkerGroup(Path values) {
        Rendered r = Chart.render(values);
        Map<String, Object> t = Tree.map(r.values(), "topics");
        Set<String> g = grants(r.one("KafkaUser", Chart.RELEASE + "-gateway"));
        for (Map<String, Object> pool : r.pools()) {
            for (String priority : List.of("interactive", "bulk")) {
                String topic = t.get("jobsPrefix") + pool.get("name").toString() + "." + priority;
                assertTrue(allows(g, "Write", "topic", topic), topic);
                // a job record is its SUBMITTED fact in the status view and tells webhooks which jobs asked
                assertTrue(allows(g, "Read", "topic", topic), "the status view reads " + topic);
            }
        }
        assertTrue(allows(g, "Write", "topic", (String) t.get("audit")));
        assertTrue(allows(g, "Write", "topic", (String) t.get("control")));
        for (String read : List.of("audit", "results", "models")) {
            assertTrue(allows(g, "Read", "topic", (String) t.get(read)), read);
        }
        assertFalse(allows(g, "Read", "topic", (String) t.get("deadLetters")), "the DLQ is for operators");
        assertFalse(allows(g, "Write", "topic", (String) t.get("results")), "only workers produce results");
        assertTrue(allows(g, "Read", "group", "genfleet-gateway-view-0b4c"), "the status view's groups");
        assertFalse(
                allows(g, "Read", "group", "genfleet-worker-text-interactive"),
                "the gateway never takes a worker's jobs");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examplesWithUsers")
    void shouldLetAWorkerPoolReadOnlyItsJobsAndNeverWriteControl(Path values) {
        Rendered r = Chart.render(values);
        Map<String, Object> t = Tree.map(r.values(), "topics");
        for (Map<String, Object> pool : r.pools()) {
            String name = (String) pool.get("name");
            String user = Chart.RELEASE + "-worker-" + name;
            Set<String> g = grants(r.one("KafkaUser", user));
            for (String priority : List.of("interactive", "bulk")) {
                String topic = t.get("jobsPrefix") + name + "." + priority;
                assertTrue(allows(g, "Read", "topic", topic));
                assertTrue(allows(g, "Read", "group", "genfleet-worker-" + name + "-" + priority));
                assertFalse(allows(g, "Write", "topic", topic), "a worker must not enqueue jobs");
                // a pod's transactional ids: <pod name>-interactive|bulk, pod name = <deployment>-<hash>-<id>
                assertTrue(allows(g, "Write", "transactionalId", user + "-7d9f-x2k4q-" + priority));
            }
            // the second bulk lane's producer
            assertTrue(allows(g, "Write", "transactionalId", user + "-7d9f-x2k4q-bulk-2"));
            for (Map<String, Object> other : r.pools()) {
                if (!other.get("name").equals(name)) {
                    assertFalse(
                            allows(
                                    g,
                                    "Read",
                                    "topic",
                                    t.get("jobsPrefix") + other.get("name").toString() + ".interactive"),
                            name + " reads the jobs of " + other.get("name"));
                }
            }
            assertTrue(allows(g, "Read", "topic", (String) t.get("control")));
            assertTrue(allows(g, "Read", "group", "genfleet-worker-control-" + user + "-7d9f-x2k4q"));
            assertFalse(allows(g, "Write", "topic", (String) t.get("control")), name + " can write control");
            for (String write : List.of("results", "audit", "deadLetters", "models")) {
                assertTrue(allows(g, "Write", "topic", (String) t.get(write)), write);
            }
            assertFalse(allows(g, "Read", "topic", (String) t.get("results")));
            assertFalse(g.stream().anyMatch(x -> x.contains(" cluster ")), "no cluster-wide grants");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examplesWithUsers")
    void shouldLetKedaOnlyDescribe(Path values) {
        Rendered r = Chart.render(values);
        Set<String> g = grants(r.one("KafkaUser", Chart.RELEASE + "-keda"));
        assertTrue(g.stream().allMatch(x -> x.startsWith("Describe ")), g::toString);
        assertEquals(4 * r.pools().size(), g.size(), "two topics and two groups per pool");
    }
}
