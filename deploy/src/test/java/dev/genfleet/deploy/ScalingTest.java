package dev.genfleet.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genfleet.schemas.TopicCatalog;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** KEDA watches exactly what each pool consumes, with the README's arithmetic; GPU pools get GPUs. */
class ScalingTest {

    static Stream<Path> examples() {
        return Chart.examples().stream();
    }

    private static String worker(Map<String, Object> pool) {
        return Chart.RELEASE + "-worker-" + pool.get("name");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void shouldWatchExactlyTheTopicsAndGroupsEachPoolConsumes(Path values) {
        Rendered r = Chart.render(values);
        for (Map<String, Object> pool : r.pools()) {
            if (!Boolean.TRUE.equals(Tree.get(pool, "scaling.enabled"))) {
                continue;
            }
            String name = (String) pool.get("name");
            Map<String, Object> so = r.one("ScaledObject", worker(pool));
            assertEquals(worker(pool), Tree.str(so, "spec.scaleTargetRef.name"));
            // the pool's StatefulSet (stable worker ids), not a Deployment of that name
            assertEquals("StatefulSet", Tree.str(so, "spec.scaleTargetRef.kind"));
            assertEquals("apps/v1", Tree.str(so, "spec.scaleTargetRef.apiVersion"));
            r.one("StatefulSet", worker(pool));
            Set<String> watched = new TreeSet<>();
            for (Map<String, Object> t : Tree.maps(so, "spec.triggers")) {
                watched.add(Tree.str(t, "metadata.topic") + " <- " + Tree.str(t, "metadata.consumerGroup"));
            }
            // what the worker consumes: worker/src/main/resources/application.properties
            String prefix = Tree.str(r.values(), "topics.jobsPrefix");
            assertEquals(
                    new TreeSet<>(Set.of(
                            prefix + name + ".interactive <- genfleet-worker-" + name + "-interactive",
                            prefix + name + ".bulk <- genfleet-worker-" + name + "-bulk")),
                    watched);
        }
        assertEquals(
                r.pools().stream()
                        .filter(p -> Boolean.TRUE.equals(Tree.get(p, "scaling.enabled")))
                        .count(),
                r.ofKind("ScaledObject").size(),
                "one ScaledObject per scaled pool, no strays");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void shouldDeriveLagThresholdsFromBatchSizeAndThroughput(Path values) {
        Rendered r = Chart.render(values);
        for (Map<String, Object> pool : r.pools()) {
            if (!Boolean.TRUE.equals(Tree.get(pool, "scaling.enabled"))) {
                continue;
            }
            double perReplica = Tree.num(pool, "batch.maxSize") / Tree.num(pool, "batchSeconds");
            for (Map<String, Object> t : Tree.maps(r.one("ScaledObject", worker(pool)), "spec.triggers")) {
                String priority = (String) t.get("name");
                double target = Tree.num(pool, "scaling." + priority + "TargetSeconds");
                long expected = Math.max(1, (long) Math.ceil(perReplica * target));
                assertEquals(
                        String.valueOf(expected),
                        Tree.str(t, "metadata.lagThreshold"),
                        pool.get("name") + " " + priority);
                assertEquals(
                        String.valueOf((long) Tree.num(pool, "scaling.activationLagThreshold")),
                        Tree.str(t, "metadata.activationLagThreshold"));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void shouldScaleFromZeroWithoutCommittedOffsetsAndNeverBeyondPartitions(Path values) {
        Rendered r = Chart.render(values);
        Map<String, Integer> partitions = new java.util.HashMap<>();
        TopicCatalog.load()
                .topics(r.pools().stream().map(p -> (String) p.get("name")).toList())
                .forEach(t -> partitions.put(t.name(), t.partitions()));
        for (Map<String, Object> so : r.ofKind("ScaledObject")) {
            int max = (int) Tree.num(so, "spec.maxReplicaCount");
            int min = (int) Tree.num(so, "spec.minReplicaCount");
            assertTrue(min >= 0 && min <= max, "min " + min + " max " + max);
            for (Map<String, Object> t : Tree.maps(so, "spec.triggers")) {
                // kedacore/keda#2033: no committed offset must read as lag, not as zero
                assertEquals("earliest", Tree.str(t, "metadata.offsetResetPolicy"));
                assertEquals("false", Tree.str(t, "metadata.scaleToZeroOnInvalidOffset"));
                assertEquals("false", Tree.str(t, "metadata.allowIdleConsumers"));
                int p = partitions.get(Tree.str(t, "metadata.topic"));
                assertTrue(
                        max <= p,
                        Tree.str(so, "metadata.name") + ": maxReplicaCount " + max + " > " + p + " partitions");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void shouldGiveGpuPoolsGpusCudaAndGpuNodesAndCpuPoolsNone(Path values) {
        Rendered r = Chart.render(values);
        for (Map<String, Object> pool : r.pools()) {
            Map<String, Object> pod = Tree.map(r.one("StatefulSet", worker(pool)), "spec.template.spec");
            Map<String, Object> container = Tree.maps(pod, "containers").get(0);
            Map<String, Object> limits = Tree.map(container, "resources.limits");
            Map<String, String> env = env(container);
            int gpu = (int) Tree.num(pool, "gpu");
            if (gpu > 0) {
                assertEquals(gpu, ((Number) limits.get("nvidia.com/gpu")).intValue(), pool.get("name") + " GPU limit");
                assertEquals("2.7.1", env.get("PYTORCH_VERSION"));
                assertEquals("cu128", env.get("PYTORCH_FLAVOR"));
                assertNotNull(env.get("PYTORCH_LIBRARY_PATH"));
                assertTrue(Tree.str(container, "image").endsWith("-cuda"), "CUDA image for " + pool.get("name"));
                assertFalse(Tree.map(pod, "nodeSelector").isEmpty(), "GPU pool without a node selector");
                assertTrue(Tree.maps(pod, "tolerations").stream().anyMatch(t -> "nvidia.com/gpu".equals(t.get("key"))));
            } else {
                assertNull(limits.get("nvidia.com/gpu"));
                assertNull(env.get("PYTORCH_LIBRARY_PATH"), "a CPU pool uses the libtorch from Maven Central");
                assertFalse(Tree.str(container, "image").endsWith("-cuda"));
                assertEquals("cpu", env.get("GENFLEET_WORKER_DEVICE"));
            }
            assertEquals("true", env.get("DJL_OFFLINE"));
            assertEquals(pool.get("name"), env.get("GENFLEET_WORKER_POOL"));
            assertEquals(String.join(",", (List<String>) pool.get("models")), env.get("GENFLEET_WORKER_MODELS"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void shouldGiveWorkersTimeToFinishTheWorstBatchAndDrain(Path values) {
        Rendered r = Chart.render(values);
        for (Map<String, Object> pool : r.pools()) {
            Map<String, Object> pod = Tree.map(r.one("StatefulSet", worker(pool)), "spec.template.spec");
            Map<String, Object> container = Tree.maps(pod, "containers").get(0);
            double worst = Tree.num(pool, "worstBatchSeconds");
            double drain = Tree.num(pool, "drainTimeoutSeconds");
            double grace = Tree.num(pod, "terminationGracePeriodSeconds");
            double preStop = Double.parseDouble(((List<?>) Tree.get(container, "lifecycle.preStop.exec.command"))
                    .get(1)
                    .toString());
            assertTrue(grace > preStop + worst + drain, pool.get("name") + ": grace " + grace);
            assertTrue(drain >= worst, "a drain shorter than a batch cuts the batch off");
            assertEquals((long) drain + "s", env(container).get("GENFLEET_WORKER_DRAIN_TIMEOUT"));
            String shutdown = env(container).get("QUARKUS_SHUTDOWN_TIMEOUT");
            assertTrue(Long.parseLong(shutdown.replace("s", "")) > drain, "Quarkus must wait for the drain");
            assertTrue(
                    Long.parseLong(shutdown.replace("s", "")) + preStop < grace, "the kubelet must wait for Quarkus");
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> env(Map<String, Object> container) {
        Map<String, String> env = new java.util.HashMap<>();
        for (Map<String, Object> e : Tree.maps(container, "env")) {
            env.put(
                    (String) e.get("name"),
                    e.get("value") == null
                            ? "<from " + e.get("valueFrom") + ">"
                            : e.get("value").toString());
        }
        return env;
    }
}
