package dev.genfleet.gateway;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.genfleet.gateway.api.Problem;
import dev.genfleet.schemas.AuditEvent;
import dev.genfleet.schemas.AuditType;
import dev.genfleet.schemas.JobResult;
import dev.genfleet.schemas.JobStatus;
import dev.genfleet.schemas.TextOutput;
import dev.genfleet.testkit.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What users read is what Kafka committed: a worker's result and audit event written in a real Kafka
 * transaction that is then aborted must never reach {@code GET /v1/jobs/{id}}, its output or its
 * webhook, neither before nor after the worker commits the real outcome.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = false)
class CommittedReadsIT extends WithFakeWorker {

    static final String KEY_W = "Bearer test-key-w";
    static final ObjectMapper JSON = new ObjectMapper();

    static HttpServer receiver;
    static final List<String> bodies = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.setExecutor(Executors.newCachedThreadPool());
        receiver.createContext("/", exchange -> {
            bodies.add(exchange.getRequestURI().getPath() + " "
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterAll
    static void stop() {
        receiver.stop(0);
    }

    static List<String> at(String path) {
        return bodies.stream()
                .filter(b -> b.startsWith(path + " "))
                .map(b -> b.substring(path.length() + 1))
                .toList();
    }

    static JobResult result(String jobId, String text) {
        return new JobResult(
                jobId,
                "tenant-w",
                null,
                null,
                JobStatus.SUCCEEDED,
                "copy-gpt",
                "1.0.0",
                new TextOutput(text, "stop", 2, 3),
                null,
                1,
                Instant.now().minusMillis(5),
                Instant.now(),
                "worker-tx");
    }

    static AuditEvent succeeded(String jobId) {
        return new AuditEvent(
                UUID.randomUUID().toString(),
                AuditType.SUCCEEDED,
                jobId,
                null,
                null,
                "tenant-w",
                "worker-tx",
                Instant.now(),
                "copy-gpt",
                "1.0.0",
                null,
                null,
                null,
                1,
                null,
                "worker-tx",
                5L,
                Map.of());
    }

    @Test
    void shouldNeverShowAnAbortedTransactionInStatusOutputOrWebhook() throws Exception {
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/aborted";
        String id = given().header("Authorization", KEY_W)
                .contentType("application/json")
                .body("{\"model\":\"copy-gpt\",\"input\":{\"prompt\":\"Write a tagline\"},\"webhook\":{\"url\":\"" + url
                        + "\"}}")
                .post("/v1/jobs")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> given().header("Authorization", KEY_W)
                        .get("/v1/jobs/" + id)
                        .then()
                        .body("submitted_at", notNullValue()));

        // a worker writes the outcome of the queued job in a transaction, and the transaction aborts
        List<RecordMetadata> aborted = worker().transaction(false, result(id, "ABORTED OUTPUT"), succeeded(id));
        // committed records behind the aborted ones in both partitions: once the view shows them, it has
        // read past the aborted records
        worker().audit(AuditType.STARTED, id, "tenant-w", 1, null);
        String marker = "marker-" + UUID.randomUUID();
        worker().publishTo("genfleet.results", aborted.get(0).partition(), result(marker, "marker"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            given().header("Authorization", KEY_W)
                    .get("/v1/jobs/" + marker)
                    .then()
                    .body("status", equalTo("SUCCEEDED"));
            given().header("Authorization", KEY_W).get("/v1/jobs/" + id).then().body("status", equalTo("STARTED"));
        });
        given().header("Authorization", KEY_W)
                .get("/v1/jobs/" + id)
                .then()
                .statusCode(200)
                .body("status", equalTo("STARTED"))
                .body("terminal", equalTo(false))
                .body("output", nullValue())
                .body("finished_at", nullValue());
        given().header("Authorization", KEY_W)
                .get("/v1/jobs/" + id + "/output")
                .then()
                .statusCode(409)
                .contentType(Problem.MEDIA_TYPE);
        assertEquals(List.of(), at("/aborted"), "no webhook for an outcome that was never committed");

        // the worker commits the real outcome
        worker().transaction(true, result(id, "COMMITTED OUTPUT"), succeeded(id));
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> given().header("Authorization", KEY_W)
                        .get("/v1/jobs/" + id)
                        .then()
                        .body("status", equalTo("SUCCEEDED"))
                        .body("output.text", equalTo("COMMITTED OUTPUT")));
        String text = given().header("Authorization", KEY_W)
                .get("/v1/jobs/" + id + "/output")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertEquals("COMMITTED OUTPUT", text);

        await().atMost(Duration.ofSeconds(30)).until(() -> at("/aborted").size() >= 1);
        List<String> delivered = at("/aborted");
        assertEquals(1, delivered.size(), delivered.toString());
        JsonNode body = JSON.readTree(delivered.get(0));
        assertEquals("SUCCEEDED", body.get("data").get("status").asText());
        assertEquals(
                "COMMITTED OUTPUT", body.get("data").get("output").get("text").asText());
        assertFalse(delivered.get(0).contains("ABORTED"), delivered.get(0));
        String events = given().header("Authorization", KEY_W)
                .get("/v1/jobs/" + id)
                .then()
                .extract()
                .asString();
        assertFalse(events.contains("ABORTED"), events);
        assertTrue(given().header("Authorization", KEY_W)
                        .get("/v1/jobs/" + id)
                        .then()
                        .extract()
                        .<Integer>path("attempts")
                >= 1);
    }
}
