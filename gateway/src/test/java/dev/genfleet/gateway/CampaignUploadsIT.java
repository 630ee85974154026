package dev.genfleet.gateway;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genfleet.gateway.api.Problem;
import dev.genfleet.gateway.submit.JobIds;
import dev.genfleet.schemas.Decoded;
import dev.genfleet.schemas.EventCodec;
import dev.genfleet.schemas.JobRequest;
import dev.genfleet.schemas.JobStatus;
import dev.genfleet.schemas.TextOutput;
import dev.genfleet.testkit.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Campaign uploads as a protocol: an upload is sealed only when its whole body arrived, an upload cut off is
 * never FINISHED and is marked INCOMPLETE, and a retry with the same Idempotency-Key and body completes it with
 * one job per recipient (checked on the jobs topic); custom_id is required and unique.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = false)
class CampaignUploadsIT extends WithFakeWorker {

    static final String KEY_A = "Bearer test-key-a";
    static final EventCodec CODEC = EventCodec.forComponent("test");

    @io.quarkus.test.common.http.TestHTTPResource("/")
    java.net.URL base;

    static byte[] ndjson(String name, int recipients) {
        StringBuilder sb = new StringBuilder();
        sb.append("{\"name\":\"")
                .append(name)
                .append("\",\"model\":\"copy-gpt\",\"template\":{\"prompt\":\"Hi {{n}}!\"}}\n");
        for (int i = 0; i < recipients; i++) {
            sb.append("{\"custom_id\":\"c")
                    .append(i)
                    .append("\",\"vars\":{\"n\":\"N")
                    .append(i)
                    .append("\"}}\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Sends the request line, headers and the first {@code sent} bytes of {@code body}, then closes the socket. */
    void cutOff(String idempotencyKey, byte[] body, int sent, Runnable beforeClosing) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", base.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/campaigns HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + KEY_A
                            + "\r\nContent-Type: application/x-ndjson\r\nIdempotency-Key: " + idempotencyKey
                            + "\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, sent);
            out.flush();
            beforeClosing.run();
        }
    }

    /** The job records of a campaign on the bulk topic: job id → seeds seen, and job id → custom id. */
    record Published(Map<String, Set<Long>> seeds, Map<String, String> customIds, int records) {}

    Published published(String campaignId, int atLeast) {
        Map<String, Set<Long>> seeds = new HashMap<>();
        Map<String, String> customIds = new HashMap<>();
        int records = 0;
        for (var r : worker().read("genfleet.jobs.text.bulk", k -> true, atLeast)) {
            if (CODEC.decode(r, JobRequest.class) instanceof Decoded.Ok<JobRequest> ok
                    && campaignId.equals(ok.payload().campaignId())) {
                JobRequest j = ok.payload();
                records++;
                seeds.computeIfAbsent(j.jobId(), k -> new HashSet<>())
                        .add(j.input().seed());
                String before = customIds.put(j.jobId(), j.customId());
                assertTrue(before == null || before.equals(j.customId()), "one custom id per job id");
            }
        }
        return new Published(seeds, customIds, records);
    }

    static void assertOneJobPerRecipient(String campaignId, Published p, int recipients) {
        assertEquals(recipients, p.seeds().size(), "one job per recipient");
        assertEquals(recipients, new HashSet<>(p.customIds().values()).size());
        p.customIds()
                .forEach((jobId, customId) -> assertEquals(
                        JobIds.recipient(campaignId, customId),
                        jobId,
                        "the job id derives from (campaign, custom_id)"));
        p.seeds().forEach((jobId, seeds) -> assertEquals(Set.of(JobIds.seed(jobId)), seeds, "one seed per job"));
    }

    String status(String campaignId) {
        return given().header("Authorization", KEY_A)
                .get("/v1/campaigns/" + campaignId)
                .then()
                .statusCode(200)
                .extract()
                .path("status");
    }

    @Test
    void shouldNeverFinishAnUploadTheClientDroppedHalfwayAndCompleteItOnRetry() throws Exception {
        int n = 2000;
        String key = "drop-" + UUID.randomUUID();
        String campaignId = JobIds.campaign("tenant-a", key);
        byte[] body = ndjson("dropped", n);
        // the client sends half the body, waits until the gateway has published some of it, and goes away
        cutOff(
                key,
                body,
                body.length / 2,
                () -> await().atMost(Duration.ofSeconds(30))
                        .untilAsserted(() -> given().header("Authorization", KEY_A)
                                .get("/v1/campaigns/" + campaignId)
                                .then()
                                .statusCode(200)
                                .body("status", equalTo("UPLOADING"))
                                .body("counts.total", org.hamcrest.Matchers.greaterThan(0))));

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().header("Authorization", KEY_A)
                        .get("/v1/campaigns/" + campaignId)
                        .then()
                        .body("status", equalTo("INCOMPLETE"))
                        .body("sealed", equalTo(false))
                        .body("accepted", notNullValue()));
        int accepted = given().header("Authorization", KEY_A)
                .get("/v1/campaigns/" + campaignId)
                .then()
                .extract()
                .path("accepted");
        assertTrue(accepted > 0 && accepted < n, "about half was accepted: " + accepted);
        Published before = published(campaignId, accepted);
        assertTrue(
                before.seeds().size() >= accepted && before.seeds().size() < n,
                before.seeds().size() + " jobs");

        Response retry = given().header("Authorization", KEY_A)
                .header("Idempotency-Key", key)
                .contentType("application/x-ndjson")
                .body(body)
                .post("/v1/campaigns");
        retry.then()
                .statusCode(202)
                .body("id", equalTo(campaignId))
                .body("sealed", equalTo(true))
                .body("recipients", equalTo(n))
                .body("queued", equalTo(n));
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> given().header("Authorization", KEY_A)
                        .get("/v1/campaigns/" + campaignId)
                        .then()
                        .body("status", equalTo("RUNNING"))
                        .body("recipients", equalTo(n))
                        .body("counts.total", equalTo(n))
                        .body("counts.queued", equalTo(n)));
        Published after = published(campaignId, n);
        assertOneJobPerRecipient(campaignId, after, n);
        assertEquals(n, after.records(), "recipients the view already held were not published again");

        // the same upload once more: a replay, nothing new on the topic
        given().header("Authorization", KEY_A)
                .header("Idempotency-Key", key)
                .contentType("application/x-ndjson")
                .body(body)
                .post("/v1/campaigns")
                .then()
                .statusCode(202)
                .header("Idempotent-Replayed", "true")
                .body("recipients", equalTo(n));
        // the same key with another body names the campaign and is refused
        given().header("Authorization", KEY_A)
                .header("Idempotency-Key", key)
                .contentType("application/x-ndjson")
                .body(ndjson("dropped", n + 1))
                .post("/v1/campaigns")
                .then()
                .statusCode(422)
                .contentType(Problem.MEDIA_TYPE)
                .body("campaign_id", equalTo(campaignId));
        assertEquals(n, published(campaignId, n).records());
    }

    @Test
    void shouldNotSealAChunkedUploadWhoseConnectionClosesMidStream() throws Exception {
        String key = "chunked-" + UUID.randomUUID();
        String campaignId = JobIds.campaign("tenant-a", key);
        byte[] body = ndjson("chunked", 50);
        int half = body.length / 2;
        try (Socket socket = new Socket("127.0.0.1", base.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/campaigns HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + KEY_A
                            + "\r\nContent-Type: application/x-ndjson\r\nIdempotency-Key: " + key
                            + "\r\nTransfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(half) + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, half);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> given().header("Authorization", KEY_A)
                            .get("/v1/campaigns/" + campaignId)
                            .then()
                            .statusCode(200)
                            .body("counts.total", org.hamcrest.Matchers.greaterThan(0)));
        } // closed without the last chunk
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().header("Authorization", KEY_A)
                        .get("/v1/campaigns/" + campaignId)
                        .then()
                        .body("status", equalTo("INCOMPLETE"))
                        .body("sealed", equalTo(false)));
    }

    @Test
    void shouldFinishOnlyWhenSealedAndEveryJobIsTerminal() throws Exception {
        String key = "seal-" + UUID.randomUUID();
        String campaignId = JobIds.campaign("tenant-a", key);
        byte[] body = ndjson("sealed", 3);
        String text = new String(body, StandardCharsets.UTF_8);
        int twoLines = text.indexOf('\n', text.indexOf("\"c1\"")) + 1;
        cutOff(
                key,
                body,
                twoLines,
                () -> await().atMost(Duration.ofSeconds(30))
                        .untilAsserted(() -> given().header("Authorization", KEY_A)
                                .get("/v1/campaigns/" + campaignId)
                                .then()
                                .statusCode(200)
                                .body("counts.total", equalTo(2))));
        for (String c : List.of("c0", "c1")) {
            worker().result(
                            JobIds.recipient(campaignId, c),
                            "tenant-a",
                            JobStatus.SUCCEEDED,
                            new TextOutput("done", "stop", 1, 1),
                            null);
        }
        // every job it holds finished, but the upload never sealed: INCOMPLETE, never FINISHED
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().header("Authorization", KEY_A)
                        .get("/v1/campaigns/" + campaignId)
                        .then()
                        .body("counts.succeeded", equalTo(2))
                        .body("status", equalTo("INCOMPLETE")));

        given().header("Authorization", KEY_A)
                .header("Idempotency-Key", key)
                .contentType("application/x-ndjson")
                .body(body)
                .post("/v1/campaigns")
                .then()
                .statusCode(202)
                .body("recipients", equalTo(3))
                .body("queued", equalTo(3));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().header("Authorization", KEY_A)
                        .get("/v1/campaigns/" + campaignId)
                        .then()
                        .body("status", equalTo("RUNNING"))
                        .body("counts.total", equalTo(3)));
        worker().result(
                        JobIds.recipient(campaignId, "c2"),
                        "tenant-a",
                        JobStatus.SUCCEEDED,
                        new TextOutput("done", "stop", 1, 1),
                        null);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().header("Authorization", KEY_A)
                        .get("/v1/campaigns/" + campaignId)
                        .then()
                        .body("status", equalTo("FINISHED"))
                        .body("counts.succeeded", equalTo(3)));
    }

    @Test
    void shouldRefuseDuplicateCustomIdsInJsonBeforePublishingAnything() {
        long before = worker().endOffsetSum("genfleet.jobs.text.bulk", "genfleet.audit");
        String body = """
                {"name":"dups","model":"copy-gpt","template":{"prompt":"Hi {{n}}"},
                 "recipients":[
                   {"custom_id":"r1","vars":{"n":"A"}},
                   {"custom_id":"r2","vars":{"n":"B"}},
                   {"custom_id":"r1","vars":{"n":"C"}},
                   {"vars":{"n":"D"}},
                   {"custom_id":"r2","vars":{"n":"E"}}
                 ]}""";
        given().header("Authorization", KEY_A)
                .header("Idempotency-Key", "dups-" + UUID.randomUUID())
                .contentType("application/json")
                .body(body)
                .post("/v1/campaigns")
                .then()
                .statusCode(422)
                .contentType(Problem.MEDIA_TYPE)
                .body("errors.field", hasItem("recipients[2].custom_id"))
                .body("errors.field", hasItem("recipients[3].custom_id"))
                .body("errors.field", hasItem("recipients[4].custom_id"))
                .body("errors.size()", equalTo(3));
        assertEquals(before, worker().endOffsetSum("genfleet.jobs.text.bulk", "genfleet.audit"));
    }

    @Test
    void shouldRefuseDuplicateCustomIdsInNdjsonByLineAndNeverSeal() {
        String key = "ndjson-dups-" + UUID.randomUUID();
        String campaignId = JobIds.campaign("tenant-a", key);
        String body = """
                {"name":"dups","model":"copy-gpt","template":{"prompt":"Hi {{n}}"}}
                {"custom_id":"a","vars":{"n":"A"}}
                {"custom_id":"b","vars":{"n":"B"}}
                {"custom_id":"a","vars":{"n":"C"}}
                {"custom_id":"c","vars":{"n":"D"}}
                {"custom_id":"b","vars":{"n":"E"}}
                """;
        Response r = given().header("Authorization", KEY_A)
                .header("Idempotency-Key", key)
                .contentType("application/x-ndjson")
                .body(body.getBytes(StandardCharsets.UTF_8))
                .post("/v1/campaigns");
        r.then()
                .statusCode(422)
                .contentType(Problem.MEDIA_TYPE)
                .body("campaign_id", equalTo(campaignId))
                .body("accepted", equalTo(3))
                .body("duplicates.line", equalTo(List.of(4, 6)))
                .body("duplicates.first_line", equalTo(List.of(2, 3)))
                .body("errors.field", equalTo(List.of("line 4", "line 6")));
        assertTrue(r.path("detail").toString().contains(campaignId), r.asString());
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().header("Authorization", KEY_A)
                        .get("/v1/campaigns/" + campaignId)
                        .then()
                        .body("status", equalTo("INCOMPLETE"))
                        .body("sealed", equalTo(false))
                        .body("counts.total", equalTo(3)));
        assertNotEquals("FINISHED", status(campaignId));
        Published p = published(campaignId, 3);
        assertEquals(Set.of("a", "b", "c"), new HashSet<>(p.customIds().values()));
    }

    @Test
    void shouldRefuseTheSameKeyWithAnotherHeaderNamingTheCampaign() {
        String key = "header-" + UUID.randomUUID();
        String campaignId = JobIds.campaign("tenant-a", key);
        byte[] body = ndjson("short", 5);
        Response r = given().header("Authorization", KEY_A)
                .header("Idempotency-Key", key)
                .contentType("application/x-ndjson")
                .body(body)
                .post("/v1/campaigns");
        r.then().statusCode(202);
        // the same key with another header is refused with the campaign's id, before anything is published
        given().header("Authorization", KEY_A)
                .header("Idempotency-Key", key)
                .contentType("application/x-ndjson")
                .body("{\"name\":\"other\",\"model\":\"copy-gpt\",\"template\":{\"prompt\":\"Yo {{n}}\"}}\n"
                        .getBytes(StandardCharsets.UTF_8))
                .post("/v1/campaigns")
                .then()
                .statusCode(422)
                .contentType(Problem.MEDIA_TYPE)
                .body("campaign_id", equalTo(campaignId));
    }
}
