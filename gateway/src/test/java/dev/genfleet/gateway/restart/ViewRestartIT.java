package dev.genfleet.gateway.restart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.genfleet.gateway.GatewayProcess;
import dev.genfleet.gateway.status.ViewState;
import dev.genfleet.testkit.EmbeddedKafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, "restart from own state", with the packaged gateway as its own JVM on a real broker: a replica with a
 * fixed id replays once, then restarts three times in a row from its own state: each time ready within the bound
 * (15 s), having read only what was written while it was down, with exactly one state directory left (its own; a
 * stale one from an older run is removed at the first start), and answering for jobs written before the restarts.
 * A SIGKILL leaves state that was not closed cleanly: the next start wipes it and replays, again leaving one
 * directory; so does state an older gateway closed cleanly in another store layout.
 */
class ViewRestartIT {

    static final String REPLICA = "restart-it";
    static final String OWN = ViewState.APPLICATION_ID_PREFIX + REPLICA;
    static final long HISTORY_JOBS = 10_000;
    static final long WHILE_DOWN_JOBS = 50;
    static final double BOUND_SECONDS = 15;

    static EmbeddedKafkaBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = EmbeddedKafkaBroker.create().start();
        ViewHistory.createTopics(broker.bootstrapServers(), 2);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldRestartThreeTimesInARowFromItsOwnStateAndLeaveNoStateBehind() throws Exception {
        String bootstrap = broker.bootstrapServers();
        ViewHistory.write(bootstrap, "history", 0, HISTORY_JOBS);
        Path state = Files.createTempDirectory(GatewayProcess.TARGET, "view-restart-state");
        // what an older gateway (random application id per start) left behind
        Path stale = state.resolve(ViewState.APPLICATION_ID_PREFIX + "0b4c8e7e-1d2f-4a55-9a1b-2f0c6f3e9d10");
        Files.createDirectories(stale.resolve("0_0/rocksdb/jobs"));
        Files.writeString(stale.resolve("0_0/rocksdb/jobs/000001.sst"), "stale");

        Path log = GatewayProcess.TARGET.resolve("view-restart-0.log");
        long t0 = System.nanoTime();
        try (GatewayProcess first = RestartedGateway.start(bootstrap, state, REPLICA, log)) {
            double seconds = RestartedGateway.awaitReady(first, t0, 300, log);
            RestartedGateway.View v = RestartedGateway.view(first);
            System.out.printf(
                    Locale.ROOT, "first start (replay of %d records): ready in %.1f s%n", 2 * HISTORY_JOBS, seconds);
            assertEquals("REPLAY", v.start());
            assertTrue(v.recordsRead() >= 2 * HISTORY_JOBS, "a replica without state replays everything: " + v);
            assertAnswers(first, "history", 0);
            assertAnswers(first, "history", HISTORY_JOBS - 1);
        }
        assertEquals(List.of(OWN), RestartedGateway.stateDirs(state), "the stale directory is removed at start");
        assertTrue(Files.exists(state.resolve(OWN).resolve(ViewState.CLEAN_STOP_MARKER)), "a clean stop is marked");
        assertTrue(Files.readString(log).contains("removed state no instance owns"), "the removal is logged");

        for (int restart = 1; restart <= 3; restart++) {
            ViewHistory.write(bootstrap, "down-" + restart, 0, WHILE_DOWN_JOBS);
            log = GatewayProcess.TARGET.resolve("view-restart-" + restart + ".log");
            long t = System.nanoTime();
            try (GatewayProcess gateway = RestartedGateway.start(bootstrap, state, REPLICA, log)) {
                double seconds = RestartedGateway.awaitReady(gateway, t, 120, log);
                RestartedGateway.View v = RestartedGateway.view(gateway);
                System.out.printf(
                        Locale.ROOT,
                        "restart %d from own state: ready in %.1f s, %d records read%n",
                        restart,
                        seconds,
                        v.recordsRead());
                assertEquals("OWN_STATE", v.start(), "restart " + restart);
                assertTrue(
                        v.recordsRead() <= 2 * WHILE_DOWN_JOBS + 100,
                        "restart " + restart + " read only what was written while it was down, not the history: " + v);
                assertTrue(seconds < BOUND_SECONDS, "restart " + restart + " ready in " + seconds + " s");
                assertAnswers(gateway, "history", 0);
                assertAnswers(gateway, "history", HISTORY_JOBS / 2);
                assertAnswers(gateway, "down-" + restart, WHILE_DOWN_JOBS - 1);
                assertEquals(List.of(OWN), RestartedGateway.stateDirs(state), "restart " + restart);
            }
            assertEquals(List.of(OWN), RestartedGateway.stateDirs(state), "after restart " + restart);
        }

        // a crash: the stores may lag the committed offsets, so the next start must not trust them
        log = GatewayProcess.TARGET.resolve("view-restart-crash.log");
        try (GatewayProcess gateway = RestartedGateway.start(bootstrap, state, REPLICA, log)) {
            RestartedGateway.awaitReady(gateway, System.nanoTime(), 120, log);
            gateway.kill();
        }
        assertFalse(Files.exists(state.resolve(OWN).resolve(ViewState.CLEAN_STOP_MARKER)), "a SIGKILL marks nothing");
        log = GatewayProcess.TARGET.resolve("view-restart-after-crash.log");
        try (GatewayProcess gateway = RestartedGateway.start(bootstrap, state, REPLICA, log)) {
            RestartedGateway.awaitReady(gateway, System.nanoTime(), 300, log);
            RestartedGateway.View v = RestartedGateway.view(gateway);
            assertEquals("REPLAY", v.start(), "state not closed cleanly is not trusted");
            assertAnswers(gateway, "history", 1);
            assertAnswers(gateway, "down-3", 0);
            assertEquals(List.of(OWN), RestartedGateway.stateDirs(state));
        }

        // an upgrade that changed the stores' shape: state closed cleanly by an older gateway (its marker names no
        // layout, only the time) is replayed once, not misread
        Path marker = state.resolve(OWN).resolve(ViewState.CLEAN_STOP_MARKER);
        assertTrue(Files.readString(marker).startsWith("layout "), "the marker names the store layout");
        Files.writeString(marker, "2026-11-29T10:00:00Z\n");
        log = GatewayProcess.TARGET.resolve("view-restart-older-layout.log");
        try (GatewayProcess gateway = RestartedGateway.start(bootstrap, state, REPLICA, log)) {
            RestartedGateway.awaitReady(gateway, System.nanoTime(), 300, log);
            RestartedGateway.View v = RestartedGateway.view(gateway);
            assertEquals("REPLAY", v.start(), "state of another store layout is not trusted");
            assertTrue(Files.readString(log).contains("another store layout"), "the reason is logged");
            assertAnswers(gateway, "history", 2);
            assertEquals(List.of(OWN), RestartedGateway.stateDirs(state));
        }
    }

    static void assertAnswers(GatewayProcess gateway, String label, long i) throws Exception {
        String id = ViewHistory.jobId(label, i);
        GatewayProcess.Answer a = gateway.get("/v1/jobs/" + id, RestartedGateway.KEY);
        assertEquals(200, a.status(), "GET " + label + "/" + i + ": " + a.body());
        JsonNode job = RestartedGateway.JSON.readTree(a.body());
        assertEquals("SUCCEEDED", job.path("status").asText(), a.body());
    }
}
