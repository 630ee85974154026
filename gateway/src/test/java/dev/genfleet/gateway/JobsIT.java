package dev.genfleet.gateway;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genfleet.gateway.status.JobView;
import dev.genfleet.gateway.status.ViewProgress;
import dev.genfleet.gateway.status.ViewTopology;
import dev.genfleet.schemas.AuditEvent;
import dev.genfleet.schemas.AuditType;
import dev.genfleet.schemas.ControlCommand;
import dev.genfleet.schemas.Decoded;
import dev.genfleet.schemas.EventCodec;
import dev.genfleet.schemas.ImageArtifact;
import dev.genfleet.schemas.ImageOutput;
import dev.genfleet.schemas.JobRequest;
import dev.genfleet.schemas.JobResult;
import dev.genfleet.schemas.JobStatus;
import dev.genfleet.schemas.Json;
import dev.genfleet.schemas.Reason;
import dev.genfleet.schemas.TextInput;
import dev.genfleet.schemas.TextOutput;
import dev.genfleet.testkit.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = false)
class JobsIT extends WithFakeWorker {

    /** Health answers on the management port, not the API's (application.properties); paths are under its root, /q. */
    @io.quarkus.test.common.http.TestHTTPResource(value = "/health/ready", management = true)
    java.net.URL ready;

    static final String KEY_A = "Bearer test-key-a";
    static final String KEY_B = "Bearer test-key-b";
    static final EventCodec CODEC = EventCodec.forComponent("test");

    @Inject
    dev.genfleet.gateway.status.StatusView statusView;

    static String submitText(String key, String prompt) {
        return given().header("Authorization", key)
                .contentType("application/json")
                .body("{\"model\":\"copy-gpt\",\"input\":{\"prompt\":\"" + prompt + "\"}}")
                .post("/v1/jobs")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
    }

    @Test
    void shouldAcceptTextJobOnlyAfterKafkaAckedTheJobRecordAndWriteNoSecondRecord() {
        Response r = given().header("Authorization", KEY_A)
                .contentType("application/json")
                .header("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
                .body("{\"model\":\"copy-gpt\",\"input\":{\"prompt\":\"Write a tagline\",\"max_tokens\":32},"
                        + "\"priority\":\"interactive\",\"ttl_seconds\":600,\"metadata\":{\"team\":\"growth\"}}")
                .post("/v1/jobs");
        r.then()
                .statusCode(202)
                .body("status", equalTo("SUBMITTED"))
                .body("seed", notNullValue())
                .header("Location", containsString("/v1/jobs/"));
        String id = r.path("id");
        long seed = ((Number) r.path("seed")).longValue();

        List<ConsumerRecord<String, byte[]>> jobs = worker().read("genfleet.jobs.text.interactive", id::equals, 1);
        assertEquals(1, jobs.size());
        Decoded<JobRequest> decoded = CODEC.decode(jobs.get(0), JobRequest.class);
        JobRequest job = ((Decoded.Ok<JobRequest>) decoded).payload();
        assertEquals("tenant-a", job.tenant());
        assertEquals(seed, job.input().seed());
        assertEquals(32, ((TextInput) job.input()).maxTokens());
        assertNotNull(job.deadline());
        assertEquals("growth", job.metadata().get("team"));
        var trace = ((Decoded.Ok<JobRequest>) decoded).trace();
        assertNotNull(trace.traceparent(), "W3C trace context travels with the record");
        assertTrue(trace.traceparent().contains("0af7651916cd43dd8448eb211c80319c"), trace.traceparent());

        // the job record is the one fact of the submission: no SUBMITTED audit event that could land without it
        assertEquals(0, worker().read("genfleet.audit", id::equals, 0).size());
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> given().header("Authorization", KEY_A)
                        .get("/v1/jobs/" + id)
                        .then()
                        .body("status", equalTo("SUBMITTED"))
                        .body("pool", equalTo("text"))
                        .body("seed", equalTo(seed))
                        .body("input_sha256", notNullValue()));
    }

    /**
     * SUBMITTED comes from the job record: a record on a jobs topic with no audit event at all is a submitted
     * job in the view, with its pool, seed and input hash; a second record of the same job (a retry that raced
     * another replica) changes nothing. So "audit landed, job lost" and "job landed, audit lost" cannot happen.
     */
    @Test
    void shouldLearnSubmittedFromTheJobRecordAloneAndFoldADuplicateRecordIntoOneJob() {
        String id = "job-record-" + UUID.randomUUID();
        JobRequest job = new JobRequest(
                id,
                "tenant-a",
                null,
                null,
                "copy-gpt",
                dev.genfleet.schemas.Priority.INTERACTIVE,
                new TextInput("from the record", 16, 1.0, 0, 1.0, List.of(), 4242L),
                java.time.Instant.now(),
                null,
                1,
                null,
                Map.of());
        worker().publish("genfleet.jobs.text.interactive", job);
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> given().header("Authorization", KEY_A)
                        .get("/v1/jobs/" + id)
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("SUBMITTED"))
                        .body("pool", equalTo("text"))
                        .body("priority", equalTo("interactive"))
                        .body("seed", equalTo(4242))
                        .body("submitted_at", notNullValue()));
        worker().publish("genfleet.jobs.text.interactive", job);
        worker().audit(AuditType.STARTED, id, "tenant-a", 1, null);
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> given().header("Authorization", KEY_A)
                        .get("/v1/jobs/" + id)
                        .then()
                        .body("status", equalTo("STARTED")));
        JobView v = statusView.job(id).orElseThrow();
        assertEquals(
                1,
                v.events().stream().filter(e -> e.type().equals("SUBMITTED")).count(),
                v.events().toString());
        assertEquals(4242L, v.seed());
        assertEquals(
                0,
                worker().read("genfleet.audit", k -> k.equals(id), 1).stream()
                        .map(r -> CODEC.decode(r, AuditEvent.class))
                        .filter(d -> d instanceof Decoded.Ok<AuditEvent> ok
                                && ok.payload().type() == AuditType.SUBMITTED)
                        .count());
    }

    @Test
    void shouldWalkStatusFromSubmittedToSucceededWithTextOutput() {
        String id = submitText(KEY_A, "Hello {{not a template here}}");
        given().header("Authorization", KEY_A)
                .get("/v1/jobs/" + id)
                .then()
                .statusCode(200)
                .body("status", equalTo("SUBMITTED"));
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> given().header("Authorization", KEY_A)
                        .get("/v1/jobs/" + id)
                        .then()
                        .body("submitted_at", notNullValue())
                        .body("pool", equalTo("text")));

        worker().audit(AuditType.STARTED, id, "tenant-a", 1, null);
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> given().header("Authorization", KEY_A)
                        .get("/v1/jobs/" + id)
                        .then()
                        .body("status", equalTo("STARTED"))
                        .body("started_at", notNullValue()));
        given().header("Authorization", KEY_A)
                .get("/v1/jobs/" + id + "/output")
                .then()
                .statusCode(409)
                .contentType(dev.genfleet.gateway.api.Problem.MEDIA_TYPE);

        worker().audit(AuditType.FAILED, id, "tenant-a", 1, Reason.of("MODEL_ERROR", "out of memory"));
        worker().audit(AuditType.RETRIED, id, "tenant-a", 2, null);
        worker().audit(AuditType.SUCCEEDED, id, "tenant-a", 2, null);
        worker().result(id, "tenant-a", JobStatus.SUCCEEDED, new TextOutput("Fresh ideas, daily.", "stop", 4, 5), null);
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> given().header("Authorization", KEY_A)
                        .get("/v1/jobs/" + id)
                        .then()
                        .body("status", equalTo("SUCCEEDED"))
                        .body("terminal", equalTo(true))
                        .body("attempts", equalTo(2))
                        .body("model_version", equalTo("1.0.0"))
                        .body("output.text", equalTo("Fresh ideas, daily."))
                        .body("finished_at", notNullValue()));
        String text = given().header("Authorization", KEY_A)
                .get("/v1/jobs/" + id + "/output")
                .then()
                .statusCode(200)
                .contentType(containsString("text/plain"))
                .extract()
                .asString();
        assertEquals("Fresh ideas, daily.", text);
        given().header("Authorization", KEY_A)
                .post("/v1/jobs/" + id + "/cancel")
                .then()
                .statusCode(409)
                .contentType(dev.genfleet.gateway.api.Problem.MEDIA_TYPE);
    }

    @Test
    void shouldServeImagesAsLinksWithShaAndAsPng() {
        Response r = given().header("Authorization", KEY_A)
                .contentType("application/json")
                .body("{\"model\":\"banner-gan\",\"input\":{\"count\":2,\"seed\":7}}")
                .post("/v1/jobs");
        r.then().statusCode(202).body("seed", equalTo(7));
        String id = r.path("id");
        assertEquals(
                1,
                worker().read("genfleet.jobs.image.interactive", id::equals, 1).size());
        byte[] png0 = {(byte) 0x89, 'P', 'N', 'G', 0};
        byte[] png1 = {(byte) 0x89, 'P', 'N', 'G', 1};
        String sha0 = dev.genfleet.gateway.tenant.ApiKeys.sha256Hex(png0);
        String sha1 = dev.genfleet.gateway.tenant.ApiKeys.sha256Hex(png1);
        worker().result(
                        id,
                        "tenant-a",
                        JobStatus.SUCCEEDED,
                        new ImageOutput(List.of(
                                new ImageArtifact("image/png", sha0, 32, 32, 7, 0.9, png0, null),
                                new ImageArtifact("image/png", sha1, 32, 32, 8, 0.5, png1, null))),
                        null);
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> given().header("Authorization", KEY_A)
                        .get("/v1/jobs/" + id)
                        .then()
                        .body("status", equalTo("SUCCEEDED"))
                        .body("output.images[1].sha256", equalTo(sha1))
                        .body("output.images[1].url", equalTo("/v1/jobs/" + id + "/output?index=1")));
        byte[] body = given().header("Authorization", KEY_A)
                .get("/v1/jobs/" + id + "/output?index=1")
                .then()
                .statusCode(200)
                .contentType("image/png")
                .extract()
                .asByteArray();
        assertArrayEquals(png1, body);
        given().header("Authorization", KEY_A)
                .get("/v1/jobs/" + id + "/output?index=5")
                .then()
                .statusCode(404);
        given().header("Authorization", KEY_A)
                .get("/v1/jobs/" + id + "/output?index=x")
                .then()
                .statusCode(422);
    }

    @Test
    void shouldHideOtherTenantsJobsAs404() {
        String id = submitText(KEY_A, "private to a");
        given().header("Authorization", KEY_B)
                .get("/v1/jobs/" + id)
                .then()
                .statusCode(404)
                .contentType(dev.genfleet.gateway.api.Problem.MEDIA_TYPE);
        given().header("Authorization", KEY_B)
                .get("/v1/jobs/" + id + "/output")
                .then()
                .statusCode(404);
        given().header("Authorization", KEY_B)
                .get("/v1/jobs/" + id + "/events")
                .then()
                .statusCode(404);
        given().header("Authorization", KEY_B)
                .post("/v1/jobs/" + id + "/cancel")
                .then()
                .statusCode(404);
        // a worker record that claims another tenant does not take the job over
        worker().result(id, "tenant-b", JobStatus.SUCCEEDED, new TextOutput("stolen", "stop", 1, 1), null);
        worker().audit(AuditType.STARTED, id, "tenant-a", 1, null);
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> given().header("Authorization", KEY_A)
                        .get("/v1/jobs/" + id)
                        .then()
                        .body("status", equalTo("STARTED")));
        given().header("Authorization", KEY_B).get("/v1/jobs/" + id).then().statusCode(404);
    }

    @Test
    void shouldReturnTheSameJobForTheSameIdempotencyKeyAndBody() {
        String key = "idem-" + UUID.randomUUID();
        String body = "{\"model\":\"copy-gpt\",\"input\":{\"prompt\":\"once only\"}}";
        String first = given().header("Authorization", KEY_A)
                .header("Idempotency-Key", key)
                .contentType("application/json")
                .body(body)
                .post("/v1/jobs")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        Response again = given().header("Authorization", KEY_A)
                .header("Idempotency-Key", key)
                .contentType("application/json")
                .body(body)
                .post("/v1/jobs");
        again.then().statusCode(202).header("Idempotent-Replayed", "true");
        assertEquals(first, again.path("id"));
        given().header("Authorization", KEY_A)
                .header("Idempotency-Key", key)
                .contentType("application/json")
                .body("{\"model\":\"copy-gpt\",\"input\":{\"prompt\":\"another body\"}}")
                .post("/v1/jobs")
                .then()
                .statusCode(422)
                .contentType(dev.genfleet.gateway.api.Problem.MEDIA_TYPE);
        String other = given().header("Authorization", KEY_B)
                .header("Idempotency-Key", key)
                .contentType("application/json")
                .body(body)
                .post("/v1/jobs")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        assertNotEquals(first, other);
        assertEquals(
                1,
                worker().read("genfleet.jobs.text.interactive", first::equals, 1)
                        .size());
        // still the same job once the view (not only this replica's memory) knows it
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> given().header("Authorization", KEY_A)
                        .get("/v1/jobs/" + first)
                        .then()
                        .body("submitted_at", notNullValue()));
        given().header("Authorization", KEY_A)
                .header("Idempotency-Key", key)
                .contentType("application/json")
                .body(body)
                .post("/v1/jobs")
                .then()
                .statusCode(202)
                .body("id", equalTo(first));
    }

    @Test
    void shouldRequireABearerKeyOnEveryV1Path() {
        given().get("/v1/models")
                .then()
                .statusCode(401)
                .contentType(dev.genfleet.gateway.api.Problem.MEDIA_TYPE)
                .body("status", equalTo(401))
                .body("detail", containsString("Bearer"));
        given().header("Authorization", "Bearer wrong").get("/v1/jobs/x").then().statusCode(401);
        given().header("Authorization", "Basic Zm9vOmJhcg==")
                .get("/v1/jobs/x")
                .then()
                .statusCode(401);
        given().get("/v1/nothing-here").then().statusCode(401);
        given().header("Authorization", KEY_A)
                .get("/v1/nothing-here")
                .then()
                .statusCode(404)
                .contentType(dev.genfleet.gateway.api.Problem.MEDIA_TYPE);
        given().get(ready).then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(404); // not on the public port
        given().get("/q/openapi").then().statusCode(200).body(containsString("/v1/jobs"));
    }

    @Test
    void shouldRefuseBadInputWithProblemJsonAndPublishNothing() {
        long before = worker().endOffsetSum(
                        "genfleet.jobs.text.interactive",
                        "genfleet.jobs.text.bulk",
                        "genfleet.jobs.image.interactive",
                        "genfleet.audit");
        Map<String, Integer> cases = new java.util.LinkedHashMap<>();
        cases.put("", 400);
        cases.put("{", 400);
        cases.put("[1,2]", 400);
        cases.put("{\"model\":\"copy-gpt\",\"input\":{\"prompt\":\"x\"}} trailing", 400);
        cases.put("{\"model\":\"copy-gpt\",\"model\":\"copy-gpt\",\"input\":{\"prompt\":\"x\"}}", 400);
        cases.put("{\"model\":42,\"input\":{\"prompt\":\"x\"}}", 422);
        cases.put("{\"model\":\"nope\",\"input\":{\"prompt\":\"x\"}}", 422);
        cases.put("{\"model\":\"copy-gpt\"}", 422);
        cases.put("{\"model\":\"copy-gpt\",\"input\":{\"prompt\":\"\"}}", 422);
        cases.put("{\"model\":\"copy-gpt\",\"input\":{\"prompt\":\"x\",\"max_tokens\":\"ten\"}}", 422);
        cases.put("{\"model\":\"copy-gpt\",\"input\":{\"prompt\":\"x\",\"max_tokens\":99999}}", 422);
        cases.put("{\"model\":\"copy-gpt\",\"input\":{\"prompt\":\"x\",\"temperature\":-1}}", 422);
        cases.put("{\"model\":\"copy-gpt\",\"input\":{\"prompt\":\"x\",\"seed\":1e400}}", 422);
        cases.put("{\"model\":\"copy-gpt\",\"input\":{\"prompt\":\"x\",\"seed\":123456789012345678901234567890}}", 422);
        cases.put("{\"model\":\"copy-gpt\",\"input\":{\"prompt\":\"x\",\"stop\":[\"\"]}}", 422);
        cases.put("{\"model\":\"copy-gpt\",\"input\":{\"prompt\":\"x\",\"max_token\":5}}", 422);
        cases.put("{\"model\":\"copy-gpt\",\"priority\":\"urgent\",\"input\":{\"prompt\":\"x\"}}", 422);
        cases.put("{\"model\":\"copy-gpt\",\"input\":{\"prompt\":\"x\"},\"webhook\":{\"url\":\"ftp://x\"}}", 422);
        cases.put(
                "{\"model\":\"copy-gpt\",\"input\":{\"prompt\":\"x\"},\"webhook\":{\"url\":\"http://127.0.0.1/h\"}}",
                422);
        cases.put(
                "{\"model\":\"copy-gpt\",\"input\":{\"prompt\":\"x\"},\"webhook\":{\"url\":\"http://10.1.2.3/h\"}}",
                422);
        cases.put("{\"model\":\"banner-gan\",\"input\":{\"count\":4,\"best_of\":2}}", 422);
        cases.put("{\"model\":\"copy-gpt\",\"input\":{\"prompt\":\"" + "x".repeat(9000) + "\"}}", 422);
        cases.put("{\"model\":\"copy-gpt\",\"input\":{\"prompt\":\"" + "x".repeat(70000) + "\"}}", 413);
        for (Map.Entry<String, Integer> c : cases.entrySet()) {
            Response r = given().header("Authorization", KEY_A)
                    .contentType("application/json")
                    .body(c.getKey())
                    .post("/v1/jobs");
            assertEquals((int) c.getValue(), r.statusCode(), c.getKey() + " -> " + r.asString());
            assertEquals(dev.genfleet.gateway.api.Problem.MEDIA_TYPE, r.contentType(), c.getKey());
            assertNotNull(r.path("detail"), c.getKey());
        }
        given().header("Authorization", KEY_A)
                .contentType("application/json")
                .body("{\"model\":\"nope\",\"input\":{}}")
                .post("/v1/jobs")
                .then()
                .body("errors.field", hasItem("model"));
        byte[] badUtf8 = "{\"model\":\"copy-gpt\",\"input\":{\"prompt\":\"\u00ff\u00fe\"}}"
                .getBytes(StandardCharsets.ISO_8859_1);
        given().header("Authorization", KEY_A)
                .contentType("application/json")
                .body(badUtf8)
                .post("/v1/jobs")
                .then()
                .statusCode(400)
                .contentType(dev.genfleet.gateway.api.Problem.MEDIA_TYPE);
        given().header("Authorization", KEY_A)
                .contentType("text/plain")
                .body("hello")
                .post("/v1/jobs")
                .then()
                .statusCode(415)
                .contentType(dev.genfleet.gateway.api.Problem.MEDIA_TYPE);
        given().header("Authorization", KEY_A)
                .header("Idempotency-Key", "bad key with spaces")
                .contentType("application/json")
                .body("{}")
                .post("/v1/jobs")
                .then()
                .statusCode(400);
        given().header("Authorization", KEY_A)
                .delete("/v1/jobs")
                .then()
                .statusCode(405)
                .contentType(dev.genfleet.gateway.api.Problem.MEDIA_TYPE);
        long after = worker().endOffsetSum(
                        "genfleet.jobs.text.interactive",
                        "genfleet.jobs.text.bulk",
                        "genfleet.jobs.image.interactive",
                        "genfleet.audit");
        assertEquals(before, after, "bad input publishes nothing");
    }

    @Test
    void shouldRejectPolicyHitsWithRuleIdAndAuditThem() {
        Map<String, String> prompts = Map.of(
                "Write to jane.doe@example.com about shoes", "POLICY_PII_EMAIL",
                "Card 4111 1111 1111 1111 is on file", "POLICY_PII_CARD",
                "Call +44 20 7946 0958 today", "POLICY_PII_PHONE",
                "A forbiddenword slogan", "POLICY_DENY_TERM",
                "Get FREE   money now", "POLICY_DENY_PATTERN");
        for (Map.Entry<String, String> p : prompts.entrySet()) {
            Response r = given().header("Authorization", KEY_A)
                    .contentType("application/json")
                    .body("{\"model\":\"copy-gpt\",\"input\":{\"prompt\":\"" + p.getKey() + "\"}}")
                    .post("/v1/jobs");
            r.then()
                    .statusCode(422)
                    .contentType(dev.genfleet.gateway.api.Problem.MEDIA_TYPE)
                    .body("rule", equalTo(p.getValue()));
        }
        // a number that fails the Luhn check is not a card
        given().header("Authorization", KEY_A)
                .contentType("application/json")
                .body("{\"model\":\"copy-gpt\",\"input\":{\"prompt\":\"Order 4111 1111 1111 1112 shipped\"}}")
                .post("/v1/jobs")
                .then()
                .statusCode(202);
        String detail = given().header("Authorization", KEY_A)
                .contentType("application/json")
                .body("{\"model\":\"copy-gpt\",\"input\":{\"prompt\":\"mail bob@example.org\"}}")
                .post("/v1/jobs")
                .then()
                .statusCode(422)
                .extract()
                .path("detail");
        String jobId = detail.replaceAll(".*job ([0-9a-f-]{36}).*", "$1");
        List<ConsumerRecord<String, byte[]>> audits = worker().read("genfleet.audit", jobId::equals, 1);
        AuditEvent rejected = ((Decoded.Ok<AuditEvent>) CODEC.decode(audits.get(0), AuditEvent.class)).payload();
        assertEquals(AuditType.REJECTED, rejected.type());
        assertEquals("POLICY_PII_EMAIL", rejected.reason().code());
        assertEquals(
                0,
                worker().read("genfleet.jobs.text.interactive", jobId::equals, 0)
                        .size());
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> given().header("Authorization", KEY_A)
                        .get("/v1/jobs/" + jobId)
                        .then()
                        .body("status", equalTo("REJECTED"))
                        .body("error.code", equalTo("POLICY_PII_EMAIL")));
    }

    @Test
    void shouldCancelAQueuedJobOnceAndTellWorkers() {
        String id = submitText(KEY_A, "cancel me");
        given().header("Authorization", KEY_A)
                .post("/v1/jobs/" + id + "/cancel")
                .then()
                .statusCode(202)
                .body("status", equalTo("CANCELLED"));
        List<ConsumerRecord<String, byte[]>> control = worker().read("genfleet.control", id::equals, 1);
        ControlCommand command =
                ((Decoded.Ok<ControlCommand>) CODEC.decode(control.get(0), ControlCommand.class)).payload();
        assertEquals(id, command.jobId());
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> given().header("Authorization", KEY_A)
                        .get("/v1/jobs/" + id)
                        .then()
                        .body("status", equalTo("CANCELLED")));
        given().header("Authorization", KEY_A)
                .post("/v1/jobs/" + id + "/cancel")
                .then()
                .statusCode(409);
        // a worker that had taken the job before it saw the cancel starts it and commits a success: the
        // cancel came first in the job's audit log, so the gateway's decision stands and no output shows
        worker().audit(AuditType.STARTED, id, "tenant-a", 1, null);
        List<RecordMetadata> late = worker().transaction(true, workerResult(id, "late"), workerSucceeded(id));
        awaitViewRead(late);
        given().header("Authorization", KEY_A)
                .get("/v1/jobs/" + id)
                .then()
                .body("status", equalTo("CANCELLED"))
                .body("terminal", equalTo(true))
                .body("started_at", notNullValue())
                .body("output", nullValue())
                .body("output_sha256", nullValue())
                .body("error.code", equalTo("CANCELLED_BY_CLIENT"));
        given().header("Authorization", KEY_A)
                .get("/v1/jobs/" + id + "/output")
                .then()
                .statusCode(409);
    }

    @Test
    void shouldLeaveAStartedJobToItsWorkerWhenCancelled() {
        String id = submitText(KEY_A, "cancel me once started");
        worker().audit(AuditType.STARTED, id, "tenant-a", 1, null);
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> given().header("Authorization", KEY_A)
                        .get("/v1/jobs/" + id)
                        .then()
                        .body("status", equalTo("STARTED")));
        // the worker has the job: the cancel is a request, the job runs on
        given().header("Authorization", KEY_A)
                .post("/v1/jobs/" + id + "/cancel")
                .then()
                .statusCode(202)
                .body("status", equalTo("STARTED"))
                .body("terminal", equalTo(false));
        assertEquals(1, worker().read("genfleet.control", id::equals, 1).size());
        // its committed outcome decides (here it finished before it saw the cancel)
        awaitViewRead(worker().transaction(true, workerResult(id, "finished first"), workerSucceeded(id)));
        given().header("Authorization", KEY_A)
                .get("/v1/jobs/" + id)
                .then()
                .body("status", equalTo("SUCCEEDED"))
                .body("output.text", equalTo("finished first"));
        given().header("Authorization", KEY_A)
                .get("/v1/jobs/" + id + "/output")
                .then()
                .statusCode(200);
    }

    @Inject
    ViewProgress viewProgress;

    /** Waits until this gateway's view has read every record written (by their offsets, not by time). */
    void awaitViewRead(List<RecordMetadata> written) {
        await().atMost(Duration.ofSeconds(20))
                .until(() ->
                        written.stream().allMatch(m -> viewProgress.hasRead(m.topic(), m.partition(), m.offset())));
    }

    static JobResult workerResult(String id, String text) {
        return new JobResult(
                id,
                "tenant-a",
                null,
                null,
                JobStatus.SUCCEEDED,
                "copy-gpt",
                "1.0.0",
                new TextOutput(text, "stop", 1, 1),
                null,
                1,
                java.time.Instant.now(),
                java.time.Instant.now(),
                "worker-1");
    }

    static AuditEvent workerSucceeded(String id) {
        return new AuditEvent(
                UUID.randomUUID().toString(),
                AuditType.SUCCEEDED,
                id,
                null,
                null,
                "tenant-a",
                "worker-1",
                java.time.Instant.now(),
                "copy-gpt",
                "1.0.0",
                null,
                null,
                "sha-of-output",
                1,
                null,
                "worker-1",
                5L,
                Map.of());
    }

    @Test
    void shouldStreamLifecycleAsServerSentEvents() throws Exception {
        String id = submitText(KEY_A, "stream me");
        CompletableFuture<String> stream = CompletableFuture.supplyAsync(() -> given().header("Authorization", KEY_A)
                .accept("text/event-stream")
                .get("/v1/jobs/" + id + "/events")
                .then()
                .statusCode(200)
                .extract()
                .asString());
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> given().header("Authorization", KEY_A)
                        .get("/v1/jobs/" + id)
                        .then()
                        .body("submitted_at", notNullValue()));
        worker().audit(AuditType.STARTED, id, "tenant-a", 1, null);
        worker().audit(AuditType.SUCCEEDED, id, "tenant-a", 1, null);
        worker().result(id, "tenant-a", JobStatus.SUCCEEDED, new TextOutput("done", "stop", 1, 1), null);
        String body = stream.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(body.contains("event:SUBMITTED"), body);
        assertTrue(body.contains("event:STARTED"), body);
        assertTrue(body.contains("event:SUCCEEDED"), body);
        assertTrue(body.contains("event:end"), body);
    }

    @Test
    void shouldListAnnouncedModelsAndRouteToTheirPool() {
        String model = "story-gpt-" + UUID.randomUUID().toString().substring(0, 8);
        worker().announce(model, "text", "text", true);
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> given().header("Authorization", KEY_A)
                        .get("/v1/models")
                        .then()
                        .statusCode(200)
                        .body("models.id", hasItem(model))
                        .body("models.id", hasItem("copy-gpt"))
                        .body("models.id", hasItem("banner-gan")));
        given().header("Authorization", KEY_A)
                .get("/v1/models")
                .then()
                .body("models.find { it.id == '" + model + "' }.ready", equalTo(true))
                .body("models.find { it.id == '" + model + "' }.version", equalTo("2.0.0"));
        String id = given().header("Authorization", KEY_A)
                .contentType("application/json")
                .body("{\"model\":\"" + model + "\",\"priority\":\"bulk\",\"input\":{\"prompt\":\"hi\"}}")
                .post("/v1/jobs")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        assertEquals(1, worker().read("genfleet.jobs.text.bulk", id::equals, 1).size());
    }

    @Test
    void shouldSkipMalformedRecordsAndKeepBuildingTheView() {
        worker().raw(
                        "genfleet.audit",
                        "garbage-" + UUID.randomUUID(),
                        "not a cloudevent".getBytes(StandardCharsets.UTF_8));
        worker().raw("genfleet.results", "garbage-" + UUID.randomUUID(), new byte[] {0, 1, 2});
        String id = submitText(KEY_A, "after garbage");
        worker().audit(AuditType.STARTED, id, "tenant-a", 1, null);
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> given().header("Authorization", KEY_A)
                        .get("/v1/jobs/" + id)
                        .then()
                        .body("status", equalTo("STARTED")));
    }

    /**
     * A second replica (or this one restarted) is a fresh Kafka Streams instance of the same topology:
     * it rebuilds the whole view from the topics and answers for jobs it never saw submitted.
     */
    @Test
    void shouldRebuildTheViewInASecondReplicaFromKafkaAlone() throws Exception {
        String id = submitText(KEY_A, "seen by every replica");
        worker().audit(AuditType.STARTED, id, "tenant-a", 1, null);
        worker().result(id, "tenant-a", JobStatus.SUCCEEDED, new TextOutput("everywhere", "stop", 1, 1), null);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "genfleet-gateway-view-it-" + UUID.randomUUID());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(
                StreamsConfig.STATE_DIR_CONFIG,
                java.nio.file.Files.createTempDirectory("replica2").toString());
        props.put("auto.offset.reset", "earliest");
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.String().getClass());
        try (KafkaStreams replica = new KafkaStreams(ViewTopology.build(FakeWorker.TOPICS), props)) {
            replica.start();
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
                byte[] bytes = replica.store(StoreQueryParameters.fromNameAndType(
                                ViewTopology.JOBS, QueryableStoreTypes.<String, byte[]>keyValueStore()))
                        .get(id);
                assertNotNull(bytes);
                JobView v = Json.mapper().readValue(bytes, JobView.class);
                assertEquals("SUCCEEDED", v.status());
                assertEquals("tenant-a", v.tenant());
                assertEquals("everywhere", ((TextOutput) v.output()).text());
            });
        }
    }
}
