package dev.genfleet.gateway.restart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.genfleet.gateway.GatewayProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A packaged gateway process with a fixed replica id and state directory, and what its readiness says about the
 * status view: ready or not, how it started ({@code OWN_STATE} or {@code REPLAY}), records read, offsets behind.
 */
final class RestartedGateway {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String KEY = "Bearer test-key-a";

    static final List<String> SETTINGS = List.of(
            "genfleet.gateway.auth.keys.d9943771ce3d24dd99ff1540b5fbd84b8ecd8d58caa009cf2a13a1d54913d5f4=tenant-a",
            "genfleet.gateway.webhooks.enabled=false",
            "genfleet.gateway.create-topics-partitions=2");

    private RestartedGateway() {}

    static GatewayProcess start(String bootstrap, Path state, String replica, Path log) throws IOException {
        List<String> settings = new java.util.ArrayList<>(SETTINGS);
        settings.add("genfleet.gateway.view.replica-id=" + replica);
        return GatewayProcess.start(bootstrap, log, List.of("-Xmx512m"), settings, state);
    }

    /** The status view's readiness: status and data; null while the process does not answer. */
    static View view(GatewayProcess gateway) {
        GatewayProcess.Answer a = gateway.get("/q/health/ready", "Bearer none");
        if (a.status() == 0) {
            return null;
        }
        try {
            for (JsonNode check : JSON.readTree(a.body()).path("checks")) {
                if ("status-view".equals(check.path("name").asText())) {
                    JsonNode d = check.path("data");
                    return new View(
                            a.status() == 200,
                            "UP".equals(check.path("status").asText()),
                            d.path("start").asText(),
                            d.path("records_read").asLong(-1),
                            d.path("offsets_behind").asLong(-1));
                }
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Waits until the gateway is ready (all checks) and returns the seconds since {@code startNanos}; fails when the
     * process exits or {@code maxSeconds} pass.
     */
    static double awaitReady(GatewayProcess gateway, long startNanos, int maxSeconds, Path log)
            throws InterruptedException {
        long deadline = startNanos + maxSeconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!gateway.alive()) {
                throw new AssertionError("the gateway exited; see " + log);
            }
            View v = view(gateway);
            if (v != null && v.ready()) {
                return (System.nanoTime() - startNanos) / 1e9;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the gateway was not ready within " + maxSeconds + " s; see " + log);
    }

    /** The view state directories under {@code state} (one per application id). */
    static List<String> stateDirs(Path state) throws IOException {
        try (Stream<Path> s = Files.list(state)) {
            return s.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .sorted()
                    .toList();
        }
    }

    record View(boolean ready, boolean viewUp, String start, long recordsRead, long offsetsBehind) {}
}
