package dev.genfleet.worker.consume;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genfleet.testkit.KafkaBrokers;
import dev.genfleet.testkit.SecuredKafka;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The packaged worker, started as its pool's Kafka user with a wrong password against the secured broker,
 * never becomes ready: it stops at start with Kafka's own reason in its log, so Kubernetes shows a pod in
 * CrashLoopBackOff whose log names the cause, rather than a worker that runs and consumes nothing.
 */
class SecuredWorkerWrongPasswordIT {

    @Test
    void shouldStopAtStartAndLogTheFailedAuthentication() throws Exception {
        SecuredKafka kafka = KafkaBrokers.secured();
        String user = KafkaBrokers.user("worker", "text");
        Map<String, String> extra = new LinkedHashMap<>();
        kafka.clientProperties(user, "not-the-password").forEach((k, v) -> extra.put("kafka." + k, v));
        extra.remove("kafka.bootstrap.servers");
        try (WorkerProcess worker = WorkerProcess.start(kafka.bootstrapServers(), user + "-wrong-1", "text", extra)) {
            int exit = worker.waitForExit(240);
            String log = worker.output();
            assertNotEquals(0, exit, log);
            assertTrue(
                    log.contains("Authentication failed during authentication due to invalid credentials with SASL"
                            + " mechanism SCRAM-SHA-512"),
                    log);
        }
    }
}
