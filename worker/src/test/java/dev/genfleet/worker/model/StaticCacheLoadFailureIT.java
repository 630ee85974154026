package dev.genfleet.worker.model;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genfleet.testkit.KafkaBrokers;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged worker, told to host a {@code static-kv} export that breaks the contract (a growing cache
 * layout): it refuses the model at load and stays unready, and {@code /q/health/ready} names the file and
 * the rule. A process of its own, like {@code WorkerModelLoadFailureIT}: a second Quarkus app in the test
 * JVM would share DJL's engine registry with the first.
 */
class StaticCacheLoadFailureIT {

    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");

    @TempDir
    Path temp;

    @Test
    void shouldStayUnreadyAndNameTheFileAndTheRule() throws Exception {
        assertTrue(Files.isRegularFile(JAR), JAR.toAbsolutePath() + " missing: run the package phase first");
        Path dir = Files.createDirectories(temp.resolve("broken-kv").resolve("1"));
        try (var files = Files.list(StaticCacheFamilyTest.COPY_GPT_KV)) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        Path config = dir.resolve("config.json");
        Files.writeString(
                config,
                Files.readString(config)
                        .replace("slots,layers,kv,kv_heads,context,head_size", "batch,heads,sequence,head_size"));
        String pool = "broken-kv" + UUID.randomUUID().toString().substring(0, 6);
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path log = temp.resolve("worker.log");
        Process worker = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx512m",
                        "-Dai.djl.offline=true",
                        "-Dkafka.bootstrap.servers=" + KafkaBrokers.bootstrapServers(),
                        "-Dgenfleet.worker.id=" + pool + "-w",
                        "-Dgenfleet.worker.pool=" + pool,
                        "-Dgenfleet.worker.models=broken-kv",
                        "-Dgenfleet.worker.model-dir=" + temp.toAbsolutePath(),
                        "-Dquarkus.http.port=0",
                        "-Dquarkus.management.port=" + port,
                        "-jar",
                        JAR.toString()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            AtomicReference<HttpResponse<String>> ready = new AtomicReference<>();
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        try {
                            ready.set(http.send(
                                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString()));
                            return ready.get().body().contains("\"error\"");
                        } catch (IOException e) {
                            return false; // not listening yet
                        }
                    });
            String body = ready.get().body();
            assertEquals(503, ready.get().statusCode(), body);
            assertTrue(body.contains(config.toAbsolutePath().toString()), "names the file: " + body);
            assertTrue(body.contains("cache layout must be"), "names the rule: " + body);
            assertTrue(worker.isAlive(), "unready, not dead");
        } finally {
            worker.destroyForcibly();
            worker.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
