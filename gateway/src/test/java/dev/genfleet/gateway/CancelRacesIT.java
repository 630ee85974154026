package dev.genfleet.gateway;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.genfleet.gateway.api.Problem;
import dev.genfleet.gateway.status.ViewProgress;
import dev.genfleet.gateway.webhook.StandardWebhooks;
import dev.genfleet.gateway.webhook.WebhookDispatcher;
import dev.genfleet.schemas.AuditEvent;
import dev.genfleet.schemas.AuditType;
import dev.genfleet.schemas.Decoded;
import dev.genfleet.schemas.EventCodec;
import dev.genfleet.schemas.Hashes;
import dev.genfleet.schemas.JobResult;
import dev.genfleet.schemas.JobStatus;
import dev.genfleet.schemas.Reason;
import dev.genfleet.schemas.ReasonCode;
import dev.genfleet.schemas.TextOutput;
import dev.genfleet.testkit.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Cancel racing a result, end to end (issue 13; the state machine of {@code status/DESIGN.md}): jobs submitted
 * over HTTP, cancelled over HTTP, and a fake worker that writes what a worker writes (a STARTED audit event, then
 * its outcome as a result and a terminal audit event in one real, committed Kafka transaction). The API, the SSE
 * stream and the {@code job.finished} webhook must all tell the outcome the log order decides:
 * <ul>
 * <li>a cancel with no worker fact before it in the job's audit log is the gateway's decision: CANCELLED stays,
 * and a late worker's committed success never shows its output;</li>
 * <li>a cancel after the worker's STARTED is a request (202, the job still running): the worker's committed
 * outcome decides, SUCCEEDED with its output and hash, or CANCELLED without output.</li>
 * </ul>
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = false)
class CancelRacesIT extends WithFakeWorker {

    static final String KEY_W = "Bearer test-key-w";
    static final String TENANT = "tenant-w";
    static final String WORKER_ID = "worker-race";
    static final ObjectMapper JSON = new ObjectMapper();
    static final EventCodec CODEC = EventCodec.forComponent("test");

    /** One webhook delivery: the path it went to, its {@code webhook-id} and its body. */
    record Delivery(String path, String webhookId, JsonNode body) {}

    static HttpServer receiver;
    static final List<Delivery> deliveries = new CopyOnWriteArrayList<>();

    @Inject
    ViewProgress viewProgress;

    @Inject
    WebhookDispatcher dispatcher;

    @Inject
    KafkaStreams streams;

    @BeforeAll
    static void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.setExecutor(Executors.newCachedThreadPool());
        receiver.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            deliveries.add(new Delivery(
                    exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst("webhook-id"),
                    JSON.readTree(body)));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.stop(0);
    }

    // ---- 1. cancel before any worker fact, then a late worker commits SUCCEEDED -------------------------------

    @Test
    void shouldKeepAGatewayCancelWhenALateWorkerCommitsASuccess() throws Exception {
        String path = "/before-start-" + UUID.randomUUID();
        String id = submit(path);
        CompletableFuture<String> sse = sse(id);

        // no worker fact yet: the gateway decides
        given().header("Authorization", KEY_W)
                .post("/v1/jobs/" + id + "/cancel")
                .then()
                .statusCode(202)
                .body("status", equalTo("CANCELLED"))
                .body("terminal", equalTo(true));

        // a worker that had taken the job before it saw the cancel starts it and commits a success, right
        // away: its records sit after the gateway's cancel in the log (the cancel was acknowledged before
        // the 202), whichever of audit and results the view happens to read first
        TextOutput late = new TextOutput("LATE OUTPUT " + id, "stop", 2, 3);
        List<RecordMetadata> written = worker().transaction(true, started(id));
        written = concat(written, worker().transaction(true, succeededResult(id, late), succeededAudit(id, late)));
        awaitViewRead(written);

        given().header("Authorization", KEY_W)
                .get("/v1/jobs/" + id)
                .then()
                .statusCode(200)
                .body("status", equalTo("CANCELLED"))
                .body("terminal", equalTo(true))
                .body("error.code", equalTo(ReasonCode.CANCELLED_BY_CLIENT.name()))
                .body("output", nullValue())
                .body("output_sha256", nullValue())
                .body("finished_at", notNullValue());
        given().header("Authorization", KEY_W)
                .get("/v1/jobs/" + id + "/output")
                .then()
                .statusCode(409)
                .contentType(Problem.MEDIA_TYPE);
        given().header("Authorization", KEY_W)
                .post("/v1/jobs/" + id + "/cancel")
                .then()
                .statusCode(409);
        String job = given().header("Authorization", KEY_W)
                .get("/v1/jobs/" + id)
                .then()
                .extract()
                .asString();
        assertFalse(job.contains("LATE OUTPUT"), job);

        // SSE ends with the gateway's decision
        JsonNode end = endEvent(sse.get(30, TimeUnit.SECONDS));
        assertEquals("CANCELLED", end.get("status").asText(), end.toString());
        assertNull(end.get("output"), end.toString());

        // the job.finished webhook carries CANCELLED, never the late output
        JsonNode hook = awaitOneWebhook(path, id);
        assertEquals("CANCELLED", hook.get("data").get("status").asText(), hook.toString());
        assertNull(hook.get("data").get("output"), hook.toString());
        assertNull(hook.get("data").get("output_sha256"), hook.toString());
        assertFalse(hook.toString().contains("LATE OUTPUT"), hook.toString());
    }

    // ---- 2. worker STARTED, cancel (a request), the worker commits SUCCEEDED ----------------------------------

    @Test
    void shouldLetTheWorkersCommittedSuccessDecideAfterACancelRequest() throws Exception {
        String path = "/started-succeeded-" + UUID.randomUUID();
        String id = submit(path);
        CompletableFuture<String> sse = sse(id);
        awaitViewRead(worker().transaction(true, started(id)));
        assertStatus(id, "STARTED", false);

        // the worker has the job: the cancel is a request, the job runs on
        given().header("Authorization", KEY_W)
                .post("/v1/jobs/" + id + "/cancel")
                .then()
                .statusCode(202)
                .body("status", equalTo("STARTED"))
                .body("terminal", equalTo(false));
        awaitViewRead(gatewayCancel(id));
        given().header("Authorization", KEY_W)
                .get("/v1/jobs/" + id)
                .then()
                .body("status", equalTo("STARTED"))
                .body("terminal", equalTo(false))
                .body("output", nullValue())
                .body("finished_at", nullValue());
        given().header("Authorization", KEY_W)
                .get("/v1/jobs/" + id + "/output")
                .then()
                .statusCode(409);
        assertEquals(List.of(), at(path), "no job.finished while the job runs");
        assertFalse(sse.isDone(), "the SSE stream stays open while the job runs");

        // the worker finished before it saw the cancel: its committed success decides
        TextOutput out = new TextOutput("FINISHED FIRST " + id, "stop", 2, 3);
        String sha = Hashes.outputSha256(out);
        awaitViewRead(worker().transaction(true, succeededResult(id, out), succeededAudit(id, out)));
        given().header("Authorization", KEY_W)
                .get("/v1/jobs/" + id)
                .then()
                .statusCode(200)
                .body("status", equalTo("SUCCEEDED"))
                .body("terminal", equalTo(true))
                .body("output.text", equalTo(out.text()))
                .body("output_sha256", equalTo(sha))
                .body("error", nullValue())
                .body("worker_id", equalTo(WORKER_ID));
        String text = given().header("Authorization", KEY_W)
                .get("/v1/jobs/" + id + "/output")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertEquals(out.text(), text);
        given().header("Authorization", KEY_W)
                .post("/v1/jobs/" + id + "/cancel")
                .then()
                .statusCode(409);

        String stream = sse.get(30, TimeUnit.SECONDS);
        assertTrue(stream.contains("event:CANCELLED"), "the cancel request is a lifecycle event: " + stream);
        JsonNode end = endEvent(stream);
        assertEquals("SUCCEEDED", end.get("status").asText(), end.toString());
        assertEquals(out.text(), end.get("output").get("text").asText());
        assertEquals(sha, end.get("output_sha256").asText());

        JsonNode hook = awaitOneWebhook(path, id);
        assertEquals("SUCCEEDED", hook.get("data").get("status").asText(), hook.toString());
        assertEquals(out.text(), hook.get("data").get("output").get("text").asText());
        assertEquals(sha, hook.get("data").get("output_sha256").asText());
    }

    // ---- 3. worker STARTED, cancel, the worker commits CANCELLED ----------------------------------------------

    @Test
    void shouldEndCancelledWithoutOutputWhenTheWorkerStopsTheJob() throws Exception {
        String path = "/started-cancelled-" + UUID.randomUUID();
        String id = submit(path);
        CompletableFuture<String> sse = sse(id);
        awaitViewRead(worker().transaction(true, started(id)));
        assertStatus(id, "STARTED", false);

        given().header("Authorization", KEY_W)
                .post("/v1/jobs/" + id + "/cancel")
                .then()
                .statusCode(202)
                .body("status", equalTo("STARTED"))
                .body("terminal", equalTo(false));
        awaitViewRead(gatewayCancel(id));
        assertStatus(id, "STARTED", false);

        // the worker read the cancel on genfleet.control and stops the job: its committed CANCELLED decides
        awaitViewRead(worker().transaction(true, cancelledResult(id), cancelledAudit(id)));
        given().header("Authorization", KEY_W)
                .get("/v1/jobs/" + id)
                .then()
                .statusCode(200)
                .body("status", equalTo("CANCELLED"))
                .body("terminal", equalTo(true))
                .body("error.code", equalTo(ReasonCode.CANCELLED_BY_CLIENT.name()))
                .body("output", nullValue())
                .body("output_sha256", nullValue())
                .body("worker_id", equalTo(WORKER_ID));
        given().header("Authorization", KEY_W)
                .get("/v1/jobs/" + id + "/output")
                .then()
                .statusCode(409)
                .contentType(Problem.MEDIA_TYPE);

        JsonNode end = endEvent(sse.get(30, TimeUnit.SECONDS));
        assertEquals("CANCELLED", end.get("status").asText(), end.toString());
        assertNull(end.get("output"), end.toString());

        JsonNode hook = awaitOneWebhook(path, id);
        assertEquals("CANCELLED", hook.get("data").get("status").asText(), hook.toString());
        assertNull(hook.get("data").get("output"), hook.toString());
        assertEquals(
                ReasonCode.CANCELLED_BY_CLIENT.name(),
                hook.get("data").get("error").get("code").asText());
    }

    // ---- 4. the worker's STARTED is in the log before the cancel, but this replica's view has not read it ------

    /**
     * The log order decides, not what the view had read when the cancel arrived: with the view paused, a
     * worker's STARTED lands before the gateway's cancel in the job's audit log, so the cancel is a request
     * and the worker's committed success decides. The 202 does not guess: the paused view cannot read the cancel
     * within the verdict wait, so the answer is the job as it stood, not terminal.
     */
    @Test
    void shouldLetTheLogOrderDecideWhenTheViewHadNotReadTheStartYet() throws Exception {
        String path = "/unread-start-" + UUID.randomUUID();
        String id = submit(path);
        String answer;
        streams.pause(); // the view stops reading; the API still answers from its stores
        try {
            worker().transaction(true, started(id));
            answer = given().header("Authorization", KEY_W)
                    .post("/v1/jobs/" + id + "/cancel")
                    .then()
                    .statusCode(202)
                    .extract()
                    .asString();
        } finally {
            streams.resume();
        }
        JsonNode answered = new ObjectMapper().readTree(answer);
        assertEquals(false, answered.get("terminal").asBoolean(), answer);
        assertNotEquals("CANCELLED", answered.get("status").asText(), answer);
        awaitViewRead(gatewayCancel(id));
        assertStatus(id, "STARTED", false);

        TextOutput out = new TextOutput("STARTED BEFORE THE CANCEL " + id, "stop", 2, 3);
        awaitViewRead(worker().transaction(true, succeededResult(id, out), succeededAudit(id, out)));
        given().header("Authorization", KEY_W)
                .get("/v1/jobs/" + id)
                .then()
                .body("status", equalTo("SUCCEEDED"))
                .body("terminal", equalTo(true))
                .body("output.text", equalTo(out.text()))
                .body("output_sha256", equalTo(Hashes.outputSha256(out)));
        JsonNode hook = awaitOneWebhook(path, id);
        assertEquals("SUCCEEDED", hook.get("data").get("status").asText(), hook.toString());
        assertEquals(out.text(), hook.get("data").get("output").get("text").asText());
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    String submit(String hookPath) {
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + hookPath;
        String id = given().header("Authorization", KEY_W)
                .contentType("application/json")
                .body("{\"model\":\"copy-gpt\",\"input\":{\"prompt\":\"Write a tagline\"},\"webhook\":{\"url\":\"" + url
                        + "\"}}")
                .post("/v1/jobs")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        // the view has read the job record (SUBMITTED): the cancel below is judged by the view, not by
        // RecentSubmissions
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().header("Authorization", KEY_W)
                        .get("/v1/jobs/" + id)
                        .then()
                        .body("submitted_at", notNullValue()));
        return id;
    }

    static CompletableFuture<String> sse(String id) {
        return CompletableFuture.supplyAsync(() -> given().header("Authorization", KEY_W)
                .accept("text/event-stream")
                .get("/v1/jobs/" + id + "/events")
                .then()
                .statusCode(200)
                .extract()
                .asString());
    }

    /** The data of the stream's {@code end} event: the final job. */
    static JsonNode endEvent(String stream) throws IOException {
        String[] lines = stream.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].trim().equals("event:end") || lines[i].trim().equals("event: end")) {
                for (int j = i + 1; j < lines.length; j++) {
                    if (lines[j].startsWith("data:")) {
                        return JSON.readTree(
                                lines[j].substring("data:".length()).trim());
                    }
                }
            }
        }
        throw new AssertionError("no end event in " + stream);
    }

    static void assertStatus(String id, String status, boolean terminal) {
        given().header("Authorization", KEY_W)
                .get("/v1/jobs/" + id)
                .then()
                .statusCode(200)
                .body("status", equalTo(status))
                .body("terminal", equalTo(terminal));
    }

    static List<Delivery> at(String path) {
        return deliveries.stream().filter(d -> d.path().equals(path)).toList();
    }

    /**
     * Waits for the job's {@code job.finished} delivery and for the dispatcher to have settled every terminal
     * fact it read, then checks that every delivery is the one message (same {@code webhook-id}) and returns
     * its body.
     */
    JsonNode awaitOneWebhook(String path, String id) {
        await().atMost(Duration.ofSeconds(60)).until(() -> !at(path).isEmpty());
        await().atMost(Duration.ofSeconds(60)).until(() -> dispatcher.waitingForView() == 0);
        List<Delivery> got = at(path);
        String messageId = StandardWebhooks.messageId(WebhookDispatcher.JOB_FINISHED, id);
        for (Delivery d : got) {
            assertEquals(messageId, d.webhookId(), "one message per job, retries included: " + got);
            assertEquals("job.finished", d.body().get("type").asText());
            assertEquals(id, d.body().get("data").get("id").asText());
        }
        // a repeat carries the same message id and the same committed state
        assertEquals(
                1,
                got.stream()
                        .map(d -> d.body().get("data").get("status").asText())
                        .distinct()
                        .count(),
                got.toString());
        return got.get(0).body();
    }

    /** Waits until this gateway's view has read every record written (by their offsets, not by time). */
    void awaitViewRead(List<RecordMetadata> written) {
        await().atMost(Duration.ofSeconds(30))
                .until(() ->
                        written.stream().allMatch(m -> viewProgress.hasRead(m.topic(), m.partition(), m.offset())));
    }

    /** Waits until this gateway's view has read one record. */
    void awaitViewRead(ConsumerRecord<String, byte[]> record) {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> viewProgress.hasRead(record.topic(), record.partition(), record.offset()));
    }

    /** The gateway's own CANCELLED audit event for the job (no worker id), as written to the log. */
    ConsumerRecord<String, byte[]> gatewayCancel(String id) {
        for (ConsumerRecord<String, byte[]> r : worker().read("genfleet.audit", id::equals, 2)) {
            if (CODEC.decode(r, AuditEvent.class) instanceof Decoded.Ok<AuditEvent> ok
                    && ok.payload().type() == AuditType.CANCELLED
                    && ok.payload().workerId() == null) {
                return r;
            }
        }
        throw new AssertionError("no gateway CANCELLED audit event for job " + id);
    }

    static List<RecordMetadata> concat(List<RecordMetadata> a, List<RecordMetadata> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }

    static AuditEvent started(String id) {
        return workerAudit(id, AuditType.STARTED, null, null);
    }

    static JobResult succeededResult(String id, TextOutput out) {
        return new JobResult(
                id,
                TENANT,
                null,
                null,
                JobStatus.SUCCEEDED,
                "copy-gpt",
                "1.0.0",
                out,
                null,
                1,
                Instant.now().minusMillis(5),
                Instant.now(),
                WORKER_ID);
    }

    static AuditEvent succeededAudit(String id, TextOutput out) {
        return workerAudit(id, AuditType.SUCCEEDED, null, Hashes.outputSha256(out));
    }

    /** What a worker commits when it stops a job on a cancel (OutcomeRecords: a CANCELLED result, no output). */
    static JobResult cancelledResult(String id) {
        return new JobResult(
                id,
                TENANT,
                null,
                null,
                JobStatus.CANCELLED,
                "copy-gpt",
                "1.0.0",
                null,
                ReasonCode.CANCELLED_BY_CLIENT.reason("cancelled by client"),
                1,
                null,
                Instant.now(),
                WORKER_ID);
    }

    static AuditEvent cancelledAudit(String id) {
        return workerAudit(id, AuditType.CANCELLED, ReasonCode.CANCELLED_BY_CLIENT.reason("cancelled by client"), null);
    }

    static AuditEvent workerAudit(String id, AuditType type, Reason reason, String outputSha256) {
        return new AuditEvent(
                UUID.randomUUID().toString(),
                type,
                id,
                null,
                null,
                TENANT,
                WORKER_ID,
                Instant.now(),
                "copy-gpt",
                "1.0.0",
                null,
                null,
                outputSha256,
                1,
                reason,
                WORKER_ID,
                type == AuditType.STARTED ? null : 5L,
                Map.of());
    }
}
