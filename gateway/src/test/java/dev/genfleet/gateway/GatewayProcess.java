package dev.genfleet.gateway;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged gateway ({@code target/quarkus-app/quarkus-run.jar}, prod profile) as a separate JVM on
 * a free loopback port: a second replica for tests and the benchmark. {@link #close()} stops it
 * (SIGTERM, then kill).
 */
public final class GatewayProcess implements AutoCloseable {

    /** The module's build directory, from the module (tests) or from the repository root (exec:java). */
    public static final Path TARGET =
            Files.isDirectory(Path.of("gateway", "target")) && !Files.isDirectory(Path.of("target", "quarkus-app"))
                    ? Path.of("gateway", "target")
                    : Path.of("target");

    public static final Path JAR = TARGET.resolve("quarkus-app/quarkus-run.jar");

    private final Process process;
    private final int port;
    private final int managementPort;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private GatewayProcess(Process process, int port, int managementPort) {
        this.process = process;
        this.port = port;
        this.managementPort = managementPort;
    }

    /**
     * Starts a gateway against {@code bootstrap}; {@code settings} are extra {@code -D} options
     * ({@code name=value}), e.g. API key hashes. Output goes to {@code log}.
     */
    public static GatewayProcess start(String bootstrap, Path log, List<String> jvmOptions, List<String> settings)
            throws IOException {
        return start(bootstrap, log, jvmOptions, settings, Files.createTempDirectory(TARGET, "gateway-process-state"));
    }

    /** As above, with the Kafka Streams state directory {@code state} (a restart reuses it). */
    public static GatewayProcess start(
            String bootstrap, Path log, List<String> jvmOptions, List<String> settings, Path state) throws IOException {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(JAR + " is missing: run 'mvn package' first (Failsafe runs after it)");
        }
        int port = freePort();
        int managementPort = freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-Dquarkus.http.port=" + port);
        command.add("-Dquarkus.management.port=" + managementPort);
        command.add("-Dkafka.bootstrap.servers=" + bootstrap);
        command.add("-Dquarkus.kafka-streams.bootstrap-servers=" + bootstrap);
        command.add("-Dkafka-streams.state.dir=" + state.toAbsolutePath());
        command.add("-Dquarkus.log.category.\"io.quarkus.opentelemetry.runtime.exporter\".level=OFF");
        command.add("-Dquarkus.log.category.\"org.apache.kafka\".level=WARN");
        for (String s : settings) {
            command.add("-D" + s);
        }
        command.add("-jar");
        command.add(JAR.toString());
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new GatewayProcess(p, port, managementPort);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    public String base() {
        return "http://127.0.0.1:" + port;
    }

    public boolean alive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** The management interface (health, metrics), on its own port as in production. */
    public String managementBase() {
        return "http://127.0.0.1:" + managementPort;
    }

    /**
     * Status and body of a GET; status 0 when the process does not answer (yet). {@code /q/health} and
     * {@code /q/metrics} go to the management port, everything else to the API's.
     */
    public Answer get(String path, String authorization) {
        String base = path.startsWith("/q/health") || path.startsWith("/q/metrics") ? managementBase() : base();
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", authorization)
                .GET());
    }

    public Answer post(String path, String authorization, String contentType, HttpRequest.BodyPublisher body) {
        return send(HttpRequest.newBuilder(URI.create(base() + path))
                .header("Authorization", authorization)
                .header("Content-Type", contentType)
                .POST(body));
    }

    /** A POST with extra headers (e.g. {@code Idempotency-Key}). */
    public Answer post(
            String path,
            String authorization,
            String contentType,
            HttpRequest.BodyPublisher body,
            java.util.Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path))
                .header("Authorization", authorization)
                .header("Content-Type", contentType)
                .POST(body);
        headers.forEach(b::header);
        return send(b);
    }

    /** Kills the process at once (SIGKILL): no shutdown hook, no flush, no goodbye. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r =
                    http.send(request.timeout(Duration.ofMinutes(10)).build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body());
        } catch (IOException e) {
            return new Answer(0, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(0, "interrupted");
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    public record Answer(int status, String body) {}
}
