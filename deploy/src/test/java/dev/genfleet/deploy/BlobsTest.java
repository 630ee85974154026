package dev.genfleet.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The claim-check blob store in the chart (values {@code blobs}; worker/README.md, "Claim check"): where it is on,
 * one ReadWriteMany volume (the chart's claim or the operator's) is mounted read-only in the gateway and read-write in
 * the pools {@code blobs.pools} names, with {@code genfleet.gateway.blobs.dir} and {@code genfleet.worker.blobs.dir}
 * pointing at it; where it is off (the default), no such volume, claim or setting anywhere.
 */
class BlobsTest {

    static final Path NEW_CLAIM = Path.of("src/test/resources/variants/blobs-new-claim.yaml");
    static final Path EXISTING_CLAIM = Path.of("src/test/resources/variants/blobs-existing-claim.yaml");
    static final String MOUNT = "/var/lib/genfleet/blobs";

    static Stream<Path> examples() {
        return Chart.examples().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void shouldMountTheStoreOnlyWhereItIsOnAndOnlyInTheNamedPools(Path values) {
        Rendered r = Chart.render(values);
        boolean on = Boolean.TRUE.equals(Tree.get(r.values(), "blobs.enabled"));
        List<?> pools = on ? (List<?>) Tree.get(r.values(), "blobs.pools") : List.of();
        Map<String, Object> gateway = pod(r, Chart.RELEASE + "-gateway");
        assertEquals(on, mounts(gateway) != null, "gateway");
        assertEquals(on, env(gateway).containsKey("GENFLEET_GATEWAY_BLOBS_DIR"), "gateway");
        for (Map<String, Object> pool : r.pools()) {
            Map<String, Object> worker = pod(r, Chart.RELEASE + "-worker-" + pool.get("name"));
            boolean expected = pools.contains(pool.get("name"));
            assertEquals(expected, mounts(worker) != null, "pool " + pool.get("name"));
            assertEquals(expected, env(worker).containsKey("GENFLEET_WORKER_BLOBS_DIR"), "pool " + pool.get("name"));
        }
        if (!on) {
            assertTrue(r.ofKind("PersistentVolumeClaim").isEmpty(), "no claim without the store");
        }
    }

    @Test
    void shouldMakeAReadWriteManyClaimAndShareItBetweenTheGatewayAndTheImagePool() {
        Rendered r = Chart.render(NEW_CLAIM);
        Map<String, Object> claim = r.one("PersistentVolumeClaim", Chart.RELEASE + "-blobs");
        assertEquals(List.of("ReadWriteMany"), Tree.get(claim, "spec.accessModes"));
        assertEquals("nfs-client", Tree.str(claim, "spec.storageClassName"));
        assertEquals("20Gi", Tree.str(claim, "spec.resources.requests.storage"));
        assertEquals("keep", Tree.map(claim, "metadata.annotations").get("helm.sh/resource-policy"));

        Map<String, Object> gateway = pod(r, Chart.RELEASE + "-gateway");
        assertEquals(Map.of("name", "blobs", "mountPath", MOUNT, "readOnly", true), mounts(gateway));
        assertEquals(MOUNT, env(gateway).get("GENFLEET_GATEWAY_BLOBS_DIR"));
        assertEquals(Chart.RELEASE + "-blobs", claimOf(gateway));

        Map<String, Object> image = pod(r, Chart.RELEASE + "-worker-image");
        assertEquals(Map.of("name", "blobs", "mountPath", MOUNT), mounts(image), "the image pool writes");
        assertEquals(MOUNT, env(image).get("GENFLEET_WORKER_BLOBS_DIR"));
        assertEquals("131072", env(image).get("GENFLEET_WORKER_BLOBS_INLINE_MAX_BYTES"));
        assertEquals(Chart.RELEASE + "-blobs", claimOf(image));

        Map<String, Object> text = pod(r, Chart.RELEASE + "-worker-text");
        assertNull(mounts(text), "the text pool writes no images");
        assertFalse(env(text).containsKey("GENFLEET_WORKER_BLOBS_DIR"));
    }

    @Test
    void shouldUseTheOperatorsClaimAndMakeNone() {
        Rendered r = Chart.render(EXISTING_CLAIM);
        assertTrue(r.ofKind("PersistentVolumeClaim").isEmpty());
        assertEquals("genfleet-shared-blobs", claimOf(pod(r, Chart.RELEASE + "-gateway")));
        assertEquals("genfleet-shared-blobs", claimOf(pod(r, Chart.RELEASE + "-worker-image")));
        assertEquals(
                "262144", env(pod(r, Chart.RELEASE + "-worker-image")).get("GENFLEET_WORKER_BLOBS_INLINE_MAX_BYTES"));
    }

    @Test
    void shouldRefuseAPoolThatDoesNotExist(@TempDir Path dir) throws IOException {
        Path values = dir.resolve("blobs-unknown-pool.yaml");
        Files.writeString(values, "blobs:\n  enabled: true\n  pools: [video]\n");
        Exception e = assertThrows(Exception.class, () -> Chart.render(values));
        assertTrue(e.getMessage().contains("blobs.pools"), e.getMessage());
    }

    /** The pod spec of a StatefulSet. */
    private static Map<String, Object> pod(Rendered r, String statefulSet) {
        return Tree.map(r.one("StatefulSet", statefulSet), "spec.template.spec");
    }

    /** The container's mount of the volume {@code blobs}, or null. */
    private static Map<String, Object> mounts(Map<String, Object> pod) {
        return Tree.maps(Tree.maps(pod, "containers").get(0), "volumeMounts").stream()
                .filter(m -> "blobs".equals(m.get("name")))
                .findFirst()
                .orElse(null);
    }

    private static String claimOf(Map<String, Object> pod) {
        return Tree.maps(pod, "volumes").stream()
                .filter(v -> "blobs".equals(v.get("name")))
                .map(v -> Tree.str(v, "persistentVolumeClaim.claimName"))
                .findFirst()
                .orElse(null);
    }

    private static Map<String, Object> env(Map<String, Object> pod) {
        Map<String, Object> env = new LinkedHashMap<>();
        for (Map<String, Object> e : Tree.maps(Tree.maps(pod, "containers").get(0), "env")) {
            env.put((String) e.get("name"), e.get("value"));
        }
        return env;
    }
}
