package dev.genfleet.gateway;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.genfleet.schemas.JobResult;
import dev.genfleet.schemas.JobStatus;
import dev.genfleet.schemas.TextOutput;
import dev.genfleet.testkit.EmbeddedKafkaBroker;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Topic names are settings, declared once: a packaged gateway whose topics all have other names than the
 * defaults creates them, starts its view on them (Kafka Streams waits for {@code quarkus.kafka-streams.topics},
 * which application.properties builds from {@code genfleet.gateway.topics.*}) and shows a result written to the
 * renamed results topic. With the defaults' names listed there instead, the view would wait for topics that do
 * not exist and the gateway would never be ready.
 */
class RenamedTopicsIT {

    static final String KEY = "Bearer test-key-a";
    static final String TENANT = "tenant-a";
    static final String RESULTS = "renamed.results";

    @Test
    void shouldStartTheViewOnTheConfiguredTopicNames() throws Exception {
        Path state = Files.createTempDirectory(GatewayProcess.TARGET, "renamed-topics-state");
        List<String> settings = List.of(
                "genfleet.gateway.auth.keys.d9943771ce3d24dd99ff1540b5fbd84b8ecd8d58caa009cf2a13a1d54913d5f4=" + TENANT,
                "genfleet.gateway.webhooks.master-secret=test-master-secret-not-for-production",
                "genfleet.gateway.create-topics-partitions=1",
                "genfleet.gateway.topics.jobs-prefix=renamed.jobs.",
                "genfleet.gateway.topics.results=" + RESULTS,
                "genfleet.gateway.topics.audit=renamed.audit",
                "genfleet.gateway.topics.dead-letters=renamed.dlq",
                "genfleet.gateway.topics.control=renamed.control",
                "genfleet.gateway.topics.models=renamed.models");
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.create().start();
                GatewayProcess gateway = GatewayProcess.start(
                        broker.bootstrapServers(),
                        GatewayProcess.TARGET.resolve("renamed-topics.log"),
                        List.of("-Xmx384m"),
                        settings,
                        state);
                FakeWorker worker = new FakeWorker(broker.bootstrapServers())) {
            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        assertTrue(gateway.alive(), "the gateway exited; see target/renamed-topics.log");
                        return gateway.get("/q/health/ready", "Bearer none").status() == 200;
                    });
            GatewayProcess.Answer accepted = gateway.post(
                    "/v1/jobs",
                    KEY,
                    "application/json",
                    HttpRequest.BodyPublishers.ofString(
                            "{\"model\":\"copy-gpt\",\"input\":{\"prompt\":\"Write a tagline\"}}"),
                    Map.of("Idempotency-Key", "renamed-1"));
            assertEquals(202, accepted.status(), accepted.body());
            String id = new ObjectMapper().readTree(accepted.body()).path("id").asText();

            worker.publish(
                    RESULTS,
                    new JobResult(
                            id,
                            TENANT,
                            null,
                            null,
                            JobStatus.SUCCEEDED,
                            "copy-gpt",
                            "1.0.0",
                            new TextOutput("Trail shoes, 20% off.", "stop", 4, 6),
                            null,
                            1,
                            Instant.now().minusMillis(5),
                            Instant.now(),
                            "worker-1"));

            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100))
                    .untilAsserted(() -> {
                        GatewayProcess.Answer job = gateway.get("/v1/jobs/" + id, KEY);
                        assertEquals(200, job.status(), job.body());
                        assertEquals(
                                "SUCCEEDED",
                                new ObjectMapper()
                                        .readTree(job.body())
                                        .path("status")
                                        .asText(),
                                job.body());
                    });
        }
    }
}
