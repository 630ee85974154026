package dev.genfleet.worker.model;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genfleet.worker.consume.CatalogTopicsResource;
import dev.genfleet.worker.consume.ModelHost;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A worker asked to host a {@code static-kv} model that breaks the contract (here: a growing cache
 * layout) refuses it at load and stays unready, and its health output names the file and the rule.
 */
@QuarkusTest
@TestProfile(StaticCacheLoadFailureIT.BrokenExport.class)
@QuarkusTestResource(value = CatalogTopicsResource.class, restrictToAnnotatedClass = false)
class StaticCacheLoadFailureIT {

    /** A copy of copy-gpt-kv whose config.json states a growing cache, in a model folder of its own. */
    public static final class BrokenExport implements QuarkusTestProfile {

        static final Path ROOT = brokenCopy();

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "genfleet.worker.pool", "broken-kv",
                    "genfleet.worker.id", "broken-kv-worker",
                    "genfleet.worker.model-dir", ROOT.toString(),
                    "genfleet.worker.models", "broken-kv");
        }

        private static Path brokenCopy() {
            try {
                Path root = Files.createTempDirectory("broken-kv");
                Path dir = Files.createDirectories(root.resolve("broken-kv").resolve("1"));
                try (var files = Files.list(StaticCacheFamilyTest.COPY_GPT_KV)) {
                    for (Path f : files.toList()) {
                        Files.copy(f, dir.resolve(f.getFileName()));
                    }
                }
                Path config = dir.resolve("config.json");
                Files.writeString(
                        config,
                        Files.readString(config)
                                .replace(
                                        "slots,layers,kv,kv_heads,context,head_size",
                                        "batch,heads,sequence,head_size"));
                return root;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Inject
    ModelHost host;

    @Test
    void shouldStayUnreadyAndNameTheFileAndTheRule() {
        assertTrue(host.ready().isCompletedExceptionally(), "the load must have been refused");
        given().when()
                .get("/q/health/ready")
                .then()
                .statusCode(503)
                .body(containsString(
                        BrokenExport.ROOT.resolve("broken-kv/1/config.json").toString()))
                .body(containsString("cache layout must be"));
        assertFalse(host.isReady());
    }
}
