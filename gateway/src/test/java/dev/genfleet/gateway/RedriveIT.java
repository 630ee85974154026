package dev.genfleet.gateway;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.genfleet.gateway.submit.JobIds;
import dev.genfleet.gateway.webhook.StandardWebhooks;
import dev.genfleet.schemas.AuditEvent;
import dev.genfleet.schemas.AuditType;
import dev.genfleet.schemas.DeadLetter;
import dev.genfleet.schemas.DeadLetters;
import dev.genfleet.schemas.Decoded;
import dev.genfleet.schemas.EventCodec;
import dev.genfleet.schemas.Hashes;
import dev.genfleet.schemas.JobRequest;
import dev.genfleet.schemas.JobResult;
import dev.genfleet.schemas.JobStatus;
import dev.genfleet.schemas.Reason;
import dev.genfleet.schemas.TextOutput;
import dev.genfleet.schemas.TraceContext;
import dev.genfleet.testkit.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dead letter redriven end to end, as an operator meets it: jobs submitted over HTTP (one with a webhook, two in a
 * campaign with one), the test playing the worker with the records its {@code publish/OutcomeRecords} writes (STARTED;
 * then FAILED, the DLQ record, the DEAD_LETTERED result and audit event in one transaction), the real {@link
 * DeadLetters} tool redriving on the test broker, the worker's attempt 2 succeeding, and a late fact of attempt 1.
 * Checked through {@code GET /v1/jobs/{id}}, {@code GET /v1/campaigns/{id}} and the webhooks a receiver on 127.0.0.1
 * gets (status/DESIGN.md, "Dead letters are not a one-way door").
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = false)
class RedriveIT extends WithFakeWorker {

    static final String KEY_W = "Bearer test-key-w";
    static final String TENANT = "tenant-w";
    static final String INTERACTIVE = "genfleet.jobs.text.interactive";
    static final String BULK = "genfleet.jobs.text.bulk";
    static final String WORKER_ID = "genfleet-worker-text-0";
    static final String WEBHOOK_GROUP = "genfleet-gateway-webhooks";
    static final ObjectMapper JSON = new ObjectMapper();

    /** One request the receiver got. */
    record Received(String path, String id, String timestamp, String signature, String body) {}

    static HttpServer receiver;
    static final List<Received> received = new CopyOnWriteArrayList<>();

    private final EventCodec workerCodec = EventCodec.forComponent("worker");

    @BeforeAll
    static void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/", exchange -> {
            var h = exchange.getRequestHeaders();
            received.add(new Received(
                    exchange.getRequestURI().getPath(),
                    h.getFirst(StandardWebhooks.ID),
                    h.getFirst(StandardWebhooks.TIMESTAMP),
                    h.getFirst(StandardWebhooks.SIGNATURE),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterAll
    static void stop() {
        receiver.stop(0);
    }

    static String url(String path) {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
    }

    static List<Received> at(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    @Test
    void shouldReopenADeadLetteredJobOnRedriveAndDeliverTheNewAttemptsOutcome(@TempDir Path dir) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String jobPath = "/job-" + run;
        String campaignPath = "/campaign-" + run;

        // ---- submitted over HTTP: a job with a webhook, a campaign of two with one
        String jobId = given().header("Authorization", KEY_W)
                .contentType("application/json")
                .body("{\"model\":\"copy-gpt\",\"input\":{\"prompt\":\"Write a tagline\"}," + "\"webhook\":{\"url\":\""
                        + url(jobPath) + "\"}}")
                .post("/v1/jobs")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        String key = "redrive-" + run;
        String campaignId = JobIds.campaign(TENANT, key);
        given().header("Authorization", KEY_W)
                .header("Idempotency-Key", key)
                .contentType("application/json")
                .body("{\"name\":\"redrive\",\"model\":\"copy-gpt\",\"template\":{\"prompt\":\"Hi {{name}}\"},"
                        + "\"webhook\":{\"url\":\"" + url(campaignPath) + "\"},\"recipients\":["
                        + "{\"custom_id\":\"r1\",\"vars\":{\"name\":\"Ann\"}},"
                        + "{\"custom_id\":\"r2\",\"vars\":{\"name\":\"Bo\"}}]}")
                .post("/v1/campaigns")
                .then()
                .statusCode(202)
                .body("id", equalTo(campaignId));
        String fine = JobIds.recipient(campaignId, "r1");
        String poison = JobIds.recipient(campaignId, "r2");

        ConsumerRecord<String, byte[]> jobRecord = jobRecord(INTERACTIVE, jobId, 1);
        ConsumerRecord<String, byte[]> fineRecord = jobRecord(BULK, fine, 1);
        ConsumerRecord<String, byte[]> poisonRecord = jobRecord(BULK, poison, 1);

        // ---- the worker, attempt 1: the single job and r2 are dead-lettered, r1 succeeds
        for (ConsumerRecord<String, byte[]> r : List.of(jobRecord, fineRecord, poisonRecord)) {
            started(r);
        }
        deadLettered(jobRecord);
        deadLettered(poisonRecord);
        succeeded(fineRecord, "Hi Ann!");

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> job(jobId)
                        .body("status", equalTo("DEAD_LETTERED"))
                        .body("terminal", equalTo(true))
                        .body("attempts", equalTo(1))
                        .body("error.code", equalTo("WORKER_ERROR")));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> campaign(campaignId)
                        .body("status", equalTo("FINISHED"))
                        .body("counts.total", equalTo(2))
                        .body("counts.succeeded", equalTo(1))
                        .body("counts.failed", equalTo(1))
                        .body("counts.queued", equalTo(0))
                        .body("counts.running", equalTo(0)));
        String secret = given().header("Authorization", KEY_W)
                .get("/v1/webhooks/default/secret")
                .then()
                .statusCode(200)
                .extract()
                .path("key");
        await().atMost(Duration.ofSeconds(30)).until(() -> at(jobPath).size() == 1);
        Received dead = at(jobPath).get(0);
        assertEquals(StandardWebhooks.messageId("job.finished", jobId), dead.id(), "a job never redriven: its own id");
        assertSigned(secret, dead);
        JsonNode deadBody = JSON.readTree(dead.body());
        assertEquals("job.finished", deadBody.get("type").asText());
        assertEquals("DEAD_LETTERED", deadBody.get("data").get("status").asText());
        await().atMost(Duration.ofSeconds(30)).until(() -> at(campaignPath).size() == 1);
        JsonNode campaignDone = JSON.readTree(at(campaignPath).get(0).body());
        assertEquals("campaign.finished", campaignDone.get("type").asText());
        assertEquals(1, campaignDone.get("data").get("counts").get("failed").asInt());

        // ---- the operator: the real tool, a client properties file naming the test broker
        Path client = dir.resolve("operator.properties");
        Files.writeString(client, "bootstrap.servers=" + bootstrap + "\n");
        Tool list = tool(client, "list", "--tenant", TENANT);
        assertEquals(0, list.status(), list.err());
        assertTrue(list.out().contains(jobId + "\t" + TENANT + "\tWORKER_ERROR\t1\t"), list.out());
        assertTrue(list.out().contains(poison + "\t" + TENANT + "\tWORKER_ERROR\t1\t"), list.out());
        Tool redrive = tool(client, "redrive", jobId, poison, "--actor", "redrive-it");
        assertEquals(0, redrive.status(), redrive.out() + redrive.err());
        assertTrue(redrive.err().contains("2 job(s) redriven in one transaction"), redrive.err());

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> job(jobId)
                        .body("status", equalTo("RETRIED"))
                        .body("terminal", equalTo(false))
                        .body("attempts", equalTo(2)));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> campaign(campaignId)
                        .body("status", equalTo("RUNNING"))
                        .body("counts.total", equalTo(2))
                        .body("counts.succeeded", equalTo(1))
                        .body("counts.failed", equalTo(0))
                        .body("counts.queued", equalTo(1)));
        job(poison).body("status", equalTo("RETRIED")).body("attempts", equalTo(2));
        assertEquals(1, at(jobPath).size(), "a reopening is no outcome: no webhook");

        // ---- the worker, attempt 2: it reads the tool's records and both succeed
        ConsumerRecord<String, byte[]> jobAgain = jobRecord(INTERACTIVE, jobId, 2);
        ConsumerRecord<String, byte[]> poisonAgain = jobRecord(BULK, poison, 2);
        assertEquals(jobRecord.partition(), jobAgain.partition(), "the redrive goes to the job's own partition");
        started(jobAgain);
        started(poisonAgain);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> job(jobId).body("status", equalTo("STARTED")));
        succeeded(jobAgain, "Fresh ideas, second try.");
        succeeded(poisonAgain, "Hi Bo!");

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> job(jobId)
                        .body("status", equalTo("SUCCEEDED"))
                        .body("terminal", equalTo(true))
                        .body("attempts", equalTo(2))
                        .body("error", org.hamcrest.Matchers.nullValue())
                        .body("output.text", equalTo("Fresh ideas, second try."))
                        .body("output_sha256", notNullValue()));
        assertEquals(
                "Fresh ideas, second try.",
                given().header("Authorization", KEY_W)
                        .get("/v1/jobs/" + jobId + "/output")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString());
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> campaign(campaignId)
                        .body("status", equalTo("FINISHED"))
                        .body("counts.total", equalTo(2))
                        .body("counts.succeeded", equalTo(2))
                        .body("counts.failed", equalTo(0))
                        .body("counts.queued", equalTo(0))
                        .body("counts.running", equalTo(0)));
        job(poison).body("status", equalTo("SUCCEEDED")).body("attempts", equalTo(2));
        Tool again = tool(client, "redrive", jobId, "--actor", "redrive-it");
        assertEquals(1, again.status(), again.err());
        assertTrue(again.err().contains(jobId + ": its committed result is SUCCEEDED (attempt 2)"), again.err());

        await().atMost(Duration.ofSeconds(30)).until(() -> at(jobPath).size() == 2);
        Received second = at(jobPath).get(1);
        assertEquals(StandardWebhooks.messageId("job.finished", jobId + "#attempt-2"), second.id());
        assertNotEquals(dead.id(), second.id(), "a new outcome is a new message: receivers must not drop it");
        assertSigned(secret, second);
        JsonNode secondBody = JSON.readTree(second.body());
        assertEquals("SUCCEEDED", secondBody.get("data").get("status").asText());
        assertEquals(2, secondBody.get("data").get("attempts").asInt());
        assertEquals(
                "Fresh ideas, second try.",
                secondBody.get("data").get("output").get("text").asText());

        // ---- a late fact of attempt 1 (a DEAD_LETTERED audit event, committed) changes nothing
        List<RecordMetadata> late = transaction(
                workerCodec.encode(
                        "genfleet.audit",
                        audit(request(jobRecord), AuditType.DEAD_LETTERED, 1, workerError(), null),
                        TraceContext.NONE),
                workerCodec.encode(
                        "genfleet.audit",
                        audit(request(poisonRecord), AuditType.DEAD_LETTERED, 1, workerError(), null),
                        TraceContext.NONE));
        // committed markers behind them in their partitions: once the view shows a marker, it has read the late fact
        List<String> markers = new ArrayList<>();
        for (RecordMetadata m : late) {
            String marker = "marker-" + UUID.randomUUID();
            markers.add(marker);
            worker().publishTo("genfleet.audit", m.partition(), markerEvent(marker));
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String marker : markers) {
                job(marker).body("status", equalTo("STARTED"));
            }
        });
        job(jobId)
                .body("status", equalTo("SUCCEEDED"))
                .body("terminal", equalTo(true))
                .body("attempts", equalTo(2))
                .body("output.text", equalTo("Fresh ideas, second try."));
        job(poison).body("status", equalTo("SUCCEEDED")).body("attempts", equalTo(2));
        campaign(campaignId)
                .body("status", equalTo("FINISHED"))
                .body("counts.succeeded", equalTo(2))
                .body("counts.failed", equalTo(0))
                .body("counts.queued", equalTo(0));
        // the webhook dispatcher commits past a terminal fact only once it resolved it
        await().atMost(Duration.ofSeconds(30))
                .until(() -> late.stream()
                        .allMatch(m ->
                                committedWebhookOffset(new TopicPartition(m.topic(), m.partition())) > m.offset()));
        assertEquals(2, at(jobPath).size(), "no webhook for a stale fact: " + at(jobPath));
        assertEquals(1, at(campaignPath).size(), "campaign.finished is sent once, also after a redrive");
    }

    // ---- the HTTP side ------------------------------------------------------------------------

    private static io.restassured.response.ValidatableResponse job(String id) {
        return given().header("Authorization", KEY_W)
                .get("/v1/jobs/" + id)
                .then()
                .statusCode(200);
    }

    private static io.restassured.response.ValidatableResponse campaign(String id) {
        return given().header("Authorization", KEY_W)
                .get("/v1/campaigns/" + id)
                .then()
                .statusCode(200);
    }

    /** The signature a receiver checks: HMAC of id, timestamp and body under the tenant's secret. */
    private static void assertSigned(String secret, Received r) {
        String expected = StandardWebhooks.sign(
                StandardWebhooks.decodeSecret(secret),
                r.id(),
                Long.parseLong(r.timestamp()),
                r.body().getBytes(StandardCharsets.UTF_8));
        assertTrue(List.of(r.signature().split(" ")).contains(expected), r.signature() + " vs " + expected);
    }

    // ---- the operator's tool ------------------------------------------------------------------

    record Tool(int status, String out, String err) {}

    private static Tool tool(Path client, String... args) {
        List<String> all = new ArrayList<>(List.of(client.toString()));
        all.addAll(List.of(args));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = DeadLetters.run(
                all.toArray(String[]::new),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Tool(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private long committedWebhookOffset(TopicPartition tp) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(WEBHOOK_GROUP)
                    .partitionsToOffsetAndMetadata()
                    .get();
            OffsetAndMetadata o = offsets.get(tp);
            return o == null ? -1 : o.offset();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- the worker's part, as publish/OutcomeRecords writes it ------------------------------

    /** The job record of {@code jobId} with {@code attempt} on {@code topic}, as a worker consumes it. */
    private ConsumerRecord<String, byte[]> jobRecord(String topic, String jobId, int attempt) {
        return await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> worker().read(topic, jobId::equals, 1).stream()
                                .filter(r -> request(r).attempt() == attempt)
                                .findFirst(),
                        java.util.Optional::isPresent)
                .orElseThrow();
    }

    private Decoded.Ok<JobRequest> decoded(ConsumerRecord<String, byte[]> r) {
        Decoded<JobRequest> d = workerCodec.decode(r, JobRequest.class);
        assertTrue(d instanceof Decoded.Ok<JobRequest>, "a job record the worker can read: " + d);
        return (Decoded.Ok<JobRequest>) d;
    }

    private JobRequest request(ConsumerRecord<String, byte[]> r) {
        return decoded(r).payload();
    }

    /** STARTED, sent when the job's batch reaches the model, outside the result transaction. */
    private void started(ConsumerRecord<String, byte[]> r) {
        JobRequest job = request(r);
        transaction(workerCodec.encode(
                "genfleet.audit",
                audit(job, AuditType.STARTED, job.attempt(), null, null),
                decoded(r).trace()));
    }

    /** A pipeline fault at the job's attempt: FAILED, its DLQ record, the DEAD_LETTERED result and event. */
    private void deadLettered(ConsumerRecord<String, byte[]> source) {
        JobRequest job = request(source);
        TraceContext trace = decoded(source).trace();
        Reason reason = workerError();
        List<DeadLetter.OriginalHeader> headers = new ArrayList<>();
        for (Header h : source.headers()) {
            headers.add(new DeadLetter.OriginalHeader(h.key(), h.value()));
        }
        Instant now = Instant.now();
        DeadLetter letter = new DeadLetter(
                job.jobId(),
                job.tenant(),
                source.topic(),
                source.partition(),
                source.offset(),
                source.key(),
                source.value(),
                headers,
                reason,
                job.attempt(),
                now,
                WORKER_ID);
        transaction(
                workerCodec.encode("genfleet.audit", audit(job, AuditType.FAILED, job.attempt(), reason, null), trace),
                workerCodec.encode("genfleet.jobs.dlq", letter, trace),
                workerCodec.encode(
                        "genfleet.results",
                        new JobResult(
                                job.jobId(),
                                job.tenant(),
                                job.campaignId(),
                                job.customId(),
                                JobStatus.DEAD_LETTERED,
                                job.model(),
                                "1.0.0",
                                null,
                                reason,
                                job.attempt(),
                                null,
                                now,
                                WORKER_ID),
                        trace),
                workerCodec.encode(
                        "genfleet.audit", audit(job, AuditType.DEAD_LETTERED, job.attempt(), reason, null), trace));
    }

    /** The SUCCEEDED result and event of the job's attempt, in one transaction. */
    private void succeeded(ConsumerRecord<String, byte[]> source, String text) {
        JobRequest job = request(source);
        TraceContext trace = decoded(source).trace();
        TextOutput output = new TextOutput(text, "stop", 3, 5);
        Instant now = Instant.now();
        transaction(
                workerCodec.encode(
                        "genfleet.results",
                        new JobResult(
                                job.jobId(),
                                job.tenant(),
                                job.campaignId(),
                                job.customId(),
                                JobStatus.SUCCEEDED,
                                job.model(),
                                "1.0.0",
                                output,
                                null,
                                job.attempt(),
                                now.minusMillis(20),
                                now,
                                WORKER_ID),
                        trace),
                workerCodec.encode(
                        "genfleet.audit",
                        audit(job, AuditType.SUCCEEDED, job.attempt(), null, Hashes.outputSha256(output)),
                        trace));
    }

    private static Reason workerError() {
        return Reason.of("WORKER_ERROR", "IllegalStateException: the pipeline lost the batch");
    }

    private static AuditEvent audit(JobRequest job, AuditType type, int attempt, Reason reason, String outputSha) {
        return new AuditEvent(
                UUID.randomUUID().toString(),
                type,
                job.jobId(),
                job.campaignId(),
                job.customId(),
                job.tenant(),
                WORKER_ID,
                Instant.now(),
                job.model(),
                "1.0.0",
                job.input().seed(),
                Hashes.inputSha256(job.input()),
                outputSha,
                attempt,
                reason,
                WORKER_ID,
                null,
                Map.of());
    }

    private static AuditEvent markerEvent(String jobId) {
        return new AuditEvent(
                UUID.randomUUID().toString(),
                AuditType.STARTED,
                jobId,
                null,
                null,
                TENANT,
                WORKER_ID,
                Instant.now(),
                "copy-gpt",
                "1.0.0",
                null,
                null,
                null,
                1,
                null,
                WORKER_ID,
                null,
                Map.of());
    }

    /** Writes the records in one committed transaction of a producer with its own transactional id. */
    @SafeVarargs
    private List<RecordMetadata> transaction(ProducerRecord<String, byte[]>... records) {
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", bootstrap);
        props.put("acks", "all");
        props.put("enable.idempotence", true);
        props.put("transactional.id", WORKER_ID + "-redrive-it-" + UUID.randomUUID());
        try (KafkaProducer<String, byte[]> tx =
                new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            tx.initTransactions();
            tx.beginTransaction();
            List<RecordMetadata> written = new ArrayList<>();
            for (ProducerRecord<String, byte[]> r : records) {
                written.add(tx.send(r).get());
            }
            tx.commitTransaction();
            return written;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
