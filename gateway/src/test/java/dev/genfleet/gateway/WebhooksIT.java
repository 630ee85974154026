package dev.genfleet.gateway;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.genfleet.gateway.webhook.StandardWebhooks;
import dev.genfleet.schemas.AuditEvent;
import dev.genfleet.schemas.AuditType;
import dev.genfleet.schemas.Decoded;
import dev.genfleet.schemas.EventCodec;
import dev.genfleet.schemas.JobStatus;
import dev.genfleet.schemas.Reason;
import dev.genfleet.schemas.TextOutput;
import dev.genfleet.testkit.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Signed webhooks end to end: a JDK HTTP server on 127.0.0.1 receives what the gateway delivers after a
 * fake worker publishes results, and the signatures are checked by the reference Standard Webhooks
 * implementation (npm {@code standardwebhooks}, run with node from {@code src/test/webhooks}).
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = false)
class WebhooksIT extends WithFakeWorker {

    @io.quarkus.test.common.http.TestHTTPResource(value = "/metrics", management = true)
    java.net.URL metrics;

    static final String KEY_W = "Bearer test-key-w";
    static final ObjectMapper JSON = new ObjectMapper();
    static final EventCodec CODEC = EventCodec.forComponent("test");
    static final Path VERIFIER = Path.of("src/test/webhooks");

    /** One request the receiver got. */
    record Received(String path, String id, String timestamp, String signature, String body) {
        Map<String, String> headers() {
            return Map.of(
                    StandardWebhooks.ID,
                    id,
                    StandardWebhooks.TIMESTAMP,
                    timestamp,
                    StandardWebhooks.SIGNATURE,
                    signature);
        }
    }

    static HttpServer receiver;
    static final List<Received> received = new CopyOnWriteArrayList<>();
    static final Map<String, AtomicInteger> failuresToAnswer = new ConcurrentHashMap<>();

    @BeforeAll
    static void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            var h = exchange.getRequestHeaders();
            received.add(new Received(
                    path,
                    h.getFirst(StandardWebhooks.ID),
                    h.getFirst(StandardWebhooks.TIMESTAMP),
                    h.getFirst(StandardWebhooks.SIGNATURE),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            AtomicInteger failures = failuresToAnswer.get(path);
            exchange.sendResponseHeaders(failures != null && failures.getAndDecrement() > 0 ? 500 : 204, -1);
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

    static String secret() {
        return given().header("Authorization", KEY_W)
                .get("/v1/webhooks/default/secret")
                .then()
                .statusCode(200)
                .extract()
                .path("key");
    }

    static String submitWithWebhook(String path) {
        return given().header("Authorization", KEY_W)
                .contentType("application/json")
                .body("{\"model\":\"copy-gpt\",\"input\":{\"prompt\":\"Write a tagline\"},\"webhook\":{\"url\":\""
                        + url(path) + "\"}}")
                .post("/v1/jobs")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
    }

    /** Runs the reference implementation; its first output line ("verified" or "refused: …"). */
    static String verify(String secret, Received r, String body) throws Exception {
        assertTrue(
                Files.isDirectory(VERIFIER.resolve("node_modules/standardwebhooks")),
                "npm ci has not run in src/test/webhooks (the build runs it at generate-test-resources)");
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("secret", secret);
        input.put("headers", r.headers());
        input.put("body", body);
        Process node = new ProcessBuilder("node", "verify.mjs")
                .directory(VERIFIER.toFile())
                .redirectErrorStream(true)
                .start();
        node.getOutputStream().write(JSON.writeValueAsBytes(input));
        node.getOutputStream().close();
        String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(node.waitFor(30, TimeUnit.SECONDS));
        return node.exitValue() == 0 ? out : (out.startsWith("refused") ? out : "refused: " + out);
    }

    List<AuditEvent> webhookAudits(String jobId, int atLeast) {
        List<ConsumerRecord<String, byte[]>> records = worker().read("genfleet.audit", jobId::equals, atLeast);
        return records.stream()
                .map(r -> CODEC.decode(r, AuditEvent.class))
                .filter(d -> d instanceof Decoded.Ok<AuditEvent>)
                .map(d -> ((Decoded.Ok<AuditEvent>) d).payload())
                .filter(a -> a.type() == AuditType.WEBHOOK_DELIVERED || a.type() == AuditType.WEBHOOK_FAILED)
                .toList();
    }

    @Test
    void shouldDeliverASignedJobFinishedWebhookThatTheReferenceLibraryVerifies() throws Exception {
        String secret = secret();
        String id = submitWithWebhook("/job-ok");
        worker().result(id, "tenant-w", JobStatus.SUCCEEDED, new TextOutput("Fresh ideas, daily.", "stop", 3, 4), null);

        await().atMost(Duration.ofSeconds(30)).until(() -> at("/job-ok").size() == 1);
        Received r = at("/job-ok").get(0);
        assertEquals(StandardWebhooks.messageId("job.finished", id), r.id());
        assertTrue(r.signature().startsWith("v1,"), r.signature());
        JsonNode body = JSON.readTree(r.body());
        assertEquals("job.finished", body.get("type").asText());
        assertEquals(id, body.get("data").get("id").asText());
        assertEquals("SUCCEEDED", body.get("data").get("status").asText());
        assertEquals(
                "Fresh ideas, daily.",
                body.get("data").get("output").get("text").asText());

        assertEquals("verified", verify(secret, r, r.body()));
        assertTrue(
                verify(secret, r, r.body().replace("Fresh ideas", "Stale ideas"))
                        .startsWith("refused"),
                "a tampered body must not verify");
        assertTrue(
                verify(
                                given().header("Authorization", "Bearer test-key-a")
                                        .get("/v1/webhooks/default/secret")
                                        .then()
                                        .extract()
                                        .path("key"),
                                r,
                                r.body())
                        .startsWith("refused"),
                "another tenant's secret must not verify");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<AuditEvent> audits = webhookAudits(id, 1);
            assertEquals(1, audits.size(), audits.toString());
            assertEquals(AuditType.WEBHOOK_DELIVERED, audits.get(0).type());
            assertEquals(r.id(), audits.get(0).details().get("webhook_id"));
            assertEquals("204", audits.get(0).details().get("http_status"));
        });
        assertEquals(1, at("/job-ok").size(), "delivered once");
    }

    @Test
    void shouldRetryAfterA500WithTheSameWebhookIdAndAuditEveryAttempt() throws Exception {
        failuresToAnswer.put("/job-retry", new AtomicInteger(1));
        String id = submitWithWebhook("/job-retry");
        worker().result(id, "tenant-w", JobStatus.FAILED, null, Reason.of("MODEL_ERROR", "the model crashed"));

        await().atMost(Duration.ofSeconds(30)).until(() -> at("/job-retry").size() == 2);
        List<Received> attempts = at("/job-retry");
        assertEquals(attempts.get(0).id(), attempts.get(1).id(), "a retry carries the same webhook-id");
        assertEquals(
                "verified", verify(secret(), attempts.get(1), attempts.get(1).body()));
        assertEquals(
                "FAILED",
                JSON.readTree(attempts.get(1).body()).get("data").get("status").asText());

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<AuditEvent> audits = webhookAudits(id, 2);
            assertEquals(
                    List.of(AuditType.WEBHOOK_FAILED, AuditType.WEBHOOK_DELIVERED),
                    audits.stream().map(AuditEvent::type).toList());
            assertEquals("500", audits.get(0).details().get("http_status"));
            assertEquals("false", audits.get(0).details().get("final"));
            assertEquals("2", audits.get(1).details().get("delivery_attempt"));
        });
        // operators see failing receivers as a metric too (the chart's GenfleetWebhookDeliveriesFailing)
        String metrics =
                given().get(this.metrics).then().statusCode(200).extract().asString();
        assertTrue(
                metrics.lines()
                        .anyMatch(l -> l.startsWith("genfleet_webhooks_attempts_total")
                                && l.contains("outcome=\"failed\"")
                                && l.contains("final=\"false\"")),
                "no failed attempt counted:\n"
                        + metrics.lines().filter(l -> l.contains("webhooks")).toList());
    }

    @Test
    void shouldDeliverCampaignFinishedOnceNoJobIsQueuedOrRunning() throws Exception {
        String campaignId = given().header("Authorization", KEY_W)
                .contentType("application/json")
                .body("{\"name\":\"wh\",\"model\":\"copy-gpt\",\"template\":{\"prompt\":\"Hi {{name}}\"},"
                        + "\"webhook\":{\"url\":\"" + url("/campaign") + "\"},\"recipients\":["
                        + "{\"custom_id\":\"r1\",\"vars\":{\"name\":\"Ann\"}},{\"custom_id\":\"r2\",\"vars\":{\"name\":\"Bo\"}},"
                        + "{\"custom_id\":\"r3\",\"vars\":{}}]}")
                .post("/v1/campaigns")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        List<String> jobIds = await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> given().header("Authorization", KEY_W)
                                .get("/v1/campaigns/" + campaignId + "/results")
                                .then()
                                .statusCode(200)
                                .extract()
                                .asString()
                                .lines()
                                .filter(l -> l.contains("SUBMITTED"))
                                .map(l -> {
                                    try {
                                        return JSON.readTree(l).get("job_id").asText();
                                    } catch (IOException e) {
                                        throw new IllegalStateException(e);
                                    }
                                })
                                .toList(),
                        ids -> ids.size() == 2);

        worker().result(jobIds.get(0), "tenant-w", JobStatus.SUCCEEDED, new TextOutput("Hi Ann!", "stop", 2, 2), null);
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> given().header("Authorization", KEY_W)
                        .get("/v1/campaigns/" + campaignId)
                        .then()
                        .statusCode(200)
                        .body("counts.succeeded", org.hamcrest.Matchers.equalTo(1)));
        assertEquals(0, at("/campaign").size(), "one job is still queued");

        worker().result(jobIds.get(1), "tenant-w", JobStatus.SUCCEEDED, new TextOutput("Hi Bo!", "stop", 2, 2), null);
        await().atMost(Duration.ofSeconds(30)).until(() -> at("/campaign").size() == 1);
        Received r = at("/campaign").get(0);
        JsonNode body = JSON.readTree(r.body());
        assertEquals("campaign.finished", body.get("type").asText());
        assertEquals(campaignId, body.get("data").get("id").asText());
        assertEquals(2, body.get("data").get("counts").get("succeeded").asInt());
        assertEquals(1, body.get("data").get("counts").get("rejected").asInt());
        assertEquals(StandardWebhooks.messageId("campaign.finished", campaignId), r.id());
        assertEquals("verified", verify(secret(), r, r.body()));
        assertTrue(
                at("/campaign").stream().noneMatch(x -> x.body().contains("job.finished")),
                "campaign jobs report through the campaign, not one by one");
    }

    /**
     * An NDJSON upload with a repeated custom_id is refused (422) and not sealed; its jobs all finish; no
     * campaign.finished while unsealed. The client drops the repeat and sends it again under the same key: the
     * retry publishes nothing new and seals it, and the seal — the campaign's last fact — sends campaign.finished.
     */
    @Test
    void shouldDeliverCampaignFinishedWhenASealArrivesAfterEveryJobFinished() throws Exception {
        String key = "wh-seal-" + java.util.UUID.randomUUID();
        String campaignId = dev.genfleet.gateway.submit.JobIds.campaign("tenant-w", key);
        String header = "{\"name\":\"late seal\",\"model\":\"copy-gpt\",\"template\":{\"prompt\":\"Hi {{name}}\"},"
                + "\"webhook\":{\"url\":\"" + url("/late-seal") + "\"}}\n";
        String ann = "{\"custom_id\":\"r1\",\"vars\":{\"name\":\"Ann\"}}\n";
        String bo = "{\"custom_id\":\"r2\",\"vars\":{\"name\":\"Bo\"}}\n";
        given().header("Authorization", KEY_W)
                .header("Idempotency-Key", key)
                .contentType("application/x-ndjson")
                .body((header + ann + bo + ann).getBytes(StandardCharsets.UTF_8))
                .post("/v1/campaigns")
                .then()
                .statusCode(422)
                .body("campaign_id", org.hamcrest.Matchers.equalTo(campaignId));
        for (String c : List.of("r1", "r2")) {
            worker().result(
                            dev.genfleet.gateway.submit.JobIds.recipient(campaignId, c),
                            "tenant-w",
                            JobStatus.SUCCEEDED,
                            new TextOutput("Hi!", "stop", 1, 1),
                            null);
        }
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> given().header("Authorization", KEY_W)
                        .get("/v1/campaigns/" + campaignId)
                        .then()
                        .body("counts.succeeded", org.hamcrest.Matchers.equalTo(2))
                        .body("status", org.hamcrest.Matchers.equalTo("INCOMPLETE")));
        assertEquals(0, at("/late-seal").size(), "an unsealed campaign never reports finished");

        given().header("Authorization", KEY_W)
                .header("Idempotency-Key", key)
                .contentType("application/x-ndjson")
                .body((header + ann + bo).getBytes(StandardCharsets.UTF_8))
                .post("/v1/campaigns")
                .then()
                .statusCode(202)
                .body("recipients", org.hamcrest.Matchers.equalTo(2));
        await().atMost(Duration.ofSeconds(30)).until(() -> at("/late-seal").size() == 1);
        JsonNode body = JSON.readTree(at("/late-seal").get(0).body());
        assertEquals("campaign.finished", body.get("type").asText());
        assertEquals(campaignId, body.get("data").get("id").asText());
        assertEquals(2, body.get("data").get("counts").get("succeeded").asInt());
    }

    @Test
    void shouldGiveEachTenantAStableSecretOfItsOwn() {
        String w = secret();
        assertTrue(w.startsWith("whsec_"), w);
        assertEquals(w, secret());
        byte[] derived = StandardWebhooks.hmacSha256(
                "test-master-secret-not-for-production".getBytes(StandardCharsets.UTF_8),
                "genfleet-webhook-secret\ntenant-w".getBytes(StandardCharsets.UTF_8));
        assertEquals(StandardWebhooks.encodeSecret(derived), w, "derived from the configured master secret");
        String a = given().header("Authorization", "Bearer test-key-a")
                .get("/v1/webhooks/default/secret")
                .then()
                .statusCode(200)
                .extract()
                .path("key");
        assertNotEquals(w, a);
        given().get("/v1/webhooks/default/secret").then().statusCode(401);
        given().header("Authorization", KEY_W)
                .get("/v1/webhooks/other/secret")
                .then()
                .statusCode(404)
                .contentType(dev.genfleet.gateway.api.Problem.MEDIA_TYPE);
    }
}
