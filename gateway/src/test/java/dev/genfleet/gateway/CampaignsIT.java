package dev.genfleet.gateway;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.genfleet.gateway.api.Problem;
import dev.genfleet.schemas.AuditType;
import dev.genfleet.schemas.Decoded;
import dev.genfleet.schemas.EventCodec;
import dev.genfleet.schemas.JobRequest;
import dev.genfleet.schemas.JobStatus;
import dev.genfleet.schemas.Priority;
import dev.genfleet.schemas.Reason;
import dev.genfleet.schemas.TextInput;
import dev.genfleet.schemas.TextOutput;
import dev.genfleet.testkit.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = false)
class CampaignsIT extends WithFakeWorker {

    static final String KEY_A = "Bearer test-key-a";
    static final String KEY_B = "Bearer test-key-b";
    static final EventCodec CODEC = EventCodec.forComponent("test");
    static final ObjectMapper JSON = new ObjectMapper();

    List<JobRequest> jobsOf(String campaignId, int expected) {
        Predicate<String> any = k -> true;
        List<ConsumerRecord<String, byte[]>> records = worker().read("genfleet.jobs.text.bulk", any, 0);
        return records.stream()
                .map(r -> CODEC.decode(r, JobRequest.class))
                .filter(d -> d instanceof Decoded.Ok<JobRequest>)
                .map(d -> ((Decoded.Ok<JobRequest>) d).payload())
                .filter(j -> campaignId.equals(j.campaignId()))
                .toList();
    }

    @Test
    void shouldFanOutAJsonCampaignRenderingValuesAsDataAndRejectingBadVariants() {
        String body = """
                {"name":"winter sale","model":"copy-gpt",
                 "template":{"prompt":"Hi {{first_name}}, meet {{ product }}."},
                 "params":{"product":"the Trail 2"},
                 "input":{"max_tokens":40,"temperature":0.7},
                 "recipients":[
                   {"custom_id":"r1","vars":{"first_name":"Ada"}},
                   {"custom_id":"r2","vars":{"first_name":"{{product}} {{#evil}}x{{/evil}}"}},
                   {"custom_id":"r3","vars":{}},
                   {"custom_id":"r4","vars":{"first_name":"mail me at eve@example.com"}},
                   {"custom_id":"r5","vars":{"first_name":"Bo","product":"the Peak 3"}},
                   {"custom_id":"r6","vars":{},"unknown":1}
                 ]}""";
        Response r = given().header("Authorization", KEY_A)
                .contentType("application/json")
                .body(body)
                .post("/v1/campaigns");
        r.then()
                .statusCode(202)
                .body("recipients", equalTo(6))
                .body("queued", equalTo(3))
                .body("rejected", equalTo(3))
                .body("rejections.code", hasItem("TEMPLATE_MISSING_VARIABLE"))
                .body("rejections.code", hasItem("POLICY_PII_EMAIL"))
                .body("rejections.code", hasItem("INVALID_RECIPIENT"));
        String campaignId = r.path("id");

        List<JobRequest> jobs = jobsOf(campaignId, 3);
        assertEquals(3, jobs.size());
        Map<String, String> prompts = new java.util.HashMap<>();
        for (JobRequest j : jobs) {
            assertEquals(Priority.BULK, j.priority());
            assertEquals(40, ((TextInput) j.input()).maxTokens());
            prompts.put(j.customId(), ((TextInput) j.input()).prompt());
        }
        assertEquals("Hi Ada, meet the Trail 2.", prompts.get("r1"));
        assertEquals("Hi {{product}} {{#evil}}x{{/evil}}, meet the Trail 2.", prompts.get("r2"), "values are data");
        assertEquals("Hi Bo, meet the Peak 3.", prompts.get("r5"));

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> given().header("Authorization", KEY_A)
                        .get("/v1/campaigns/" + campaignId)
                        .then()
                        .statusCode(200)
                        .body("counts.total", equalTo(6))
                        .body("counts.queued", equalTo(3))
                        .body("counts.rejected", equalTo(3)));
        given().header("Authorization", KEY_B)
                .get("/v1/campaigns/" + campaignId)
                .then()
                .statusCode(404);
        given().header("Authorization", KEY_B)
                .get("/v1/campaigns/" + campaignId + "/results")
                .then()
                .statusCode(404);

        JobRequest first =
                jobs.stream().filter(j -> j.customId().equals("r1")).findFirst().orElseThrow();
        JobRequest second =
                jobs.stream().filter(j -> j.customId().equals("r2")).findFirst().orElseThrow();
        worker().audit(AuditType.STARTED, second.jobId(), "tenant-a", 1, null);
        worker().result(
                        first.jobId(),
                        "tenant-a",
                        JobStatus.SUCCEEDED,
                        new TextOutput("Ada, the Trail 2 awaits.", "stop", 5, 6),
                        null);
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> given().header("Authorization", KEY_A)
                        .get("/v1/campaigns/" + campaignId)
                        .then()
                        .body("counts.succeeded", equalTo(1))
                        .body("counts.running", equalTo(1))
                        .body("counts.queued", equalTo(1)));

        String ndjson = given().header("Authorization", KEY_A)
                .get("/v1/campaigns/" + campaignId + "/results")
                .then()
                .statusCode(200)
                .contentType(containsString("application/x-ndjson"))
                .extract()
                .asString();
        List<String> lines = ndjson.lines().toList();
        assertEquals(6, lines.size(), ndjson);
        assertTrue(ndjson.contains("\"custom_id\":\"r1\"") && ndjson.contains("Ada, the Trail 2 awaits."), ndjson);
        assertTrue(ndjson.contains("TEMPLATE_MISSING_VARIABLE"), ndjson);

        given().header("Authorization", KEY_A)
                .post("/v1/campaigns/" + campaignId + "/cancel")
                .then()
                .statusCode(202)
                .body("cancelled", equalTo(2));
        // r5 was queued: the gateway's cancel decides. r2 had started: the cancel is a request to its worker,
        // and the job stays running until the worker commits its outcome
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> given().header("Authorization", KEY_A)
                        .get("/v1/campaigns/" + campaignId)
                        .then()
                        .body("counts.cancelled", equalTo(1))
                        .body("counts.running", equalTo(1)));
        worker().result(
                        second.jobId(),
                        "tenant-a",
                        JobStatus.CANCELLED,
                        null,
                        Reason.of("CANCELLED", "cancelled by client"));
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> given().header("Authorization", KEY_A)
                        .get("/v1/campaigns/" + campaignId)
                        .then()
                        .body("counts.cancelled", equalTo(2))
                        .body("status", equalTo("FINISHED")));
        given().header("Authorization", KEY_A)
                .post("/v1/campaigns/" + campaignId + "/cancel")
                .then()
                .statusCode(409);
    }

    @Test
    void shouldStreamAnNdjsonUploadInConstantMemory() throws Exception {
        int n = 3000;
        StringBuilder sb = new StringBuilder();
        sb.append("{\"name\":\"big\",\"model\":\"copy-gpt\",\"template\":{\"prompt\":\"Hello {{name}}!\"}}\n");
        for (int i = 0; i < n; i++) {
            sb.append("{\"custom_id\":\"c")
                    .append(i)
                    .append("\",\"vars\":{\"name\":\"N")
                    .append(i)
                    .append("\"}}\n");
        }
        sb.append("{broken json\n");
        byte[] badUtf8 = {'{', '"', 'c', (byte) 0xff, '"', '}', '\n'};
        byte[] upload = concat(sb.toString().getBytes(StandardCharsets.UTF_8), badUtf8);
        Response r = given().header("Authorization", KEY_A)
                .contentType("application/x-ndjson")
                .body(upload)
                .post("/v1/campaigns");
        r.then()
                .statusCode(202)
                .body("recipients", equalTo(n + 2))
                .body("queued", equalTo(n))
                .body("rejected", equalTo(2));
        String id = r.path("id");
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> given().header("Authorization", KEY_A)
                        .get("/v1/campaigns/" + id)
                        .then()
                        .body("counts.total", equalTo(n + 2))
                        .body("counts.queued", equalTo(n)));
        String results = given().header("Authorization", KEY_A)
                .get("/v1/campaigns/" + id + "/results")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        assertEquals(n + 2, results.lines().count());
        JsonNode line = JSON.readTree(
                results.lines().filter(l -> l.contains("\"c42\"")).findFirst().orElseThrow());
        assertEquals("SUBMITTED", line.get("status").asText());
    }

    @Test
    void shouldRefuseTheWholeCampaignOnlyForHeaderProblems() {
        long before = worker().endOffsetSum("genfleet.jobs.text.bulk", "genfleet.audit");
        Map<String, Integer> cases = new java.util.LinkedHashMap<>();
        cases.put(
                "{\"name\":\"x\",\"model\":\"copy-gpt\",\"template\":{\"prompt\":\"{{#each}}x{{/each}}\"},\"recipients\":[]}",
                422);
        cases.put(
                "{\"name\":\"x\",\"model\":\"copy-gpt\",\"template\":{\"prompt\":\"Hi {{name\"},\"recipients\":[]}",
                422);
        cases.put(
                "{\"name\":\"x\",\"model\":\"copy-gpt\",\"template\":{\"prompt\":\"{{{raw}}}\"},\"recipients\":[]}",
                422);
        cases.put("{\"name\":\"x\",\"model\":\"banner-gan\",\"template\":{\"prompt\":\"a\"},\"recipients\":[]}", 422);
        cases.put("{\"name\":\"x\",\"model\":\"nope\",\"template\":{\"prompt\":\"a\"},\"recipients\":[]}", 422);
        cases.put("{\"name\":\"x\",\"model\":\"copy-gpt\",\"template\":{\"prompt\":\"a\"}}", 422);
        cases.put(
                "{\"name\":\"x\",\"model\":\"copy-gpt\",\"template\":{\"prompt\":\"a\"},\"input\":{\"max_tokens\":0},\"recipients\":[]}",
                422);
        cases.put("{\"name\":\"x\",\"model\":\"copy-gpt\",\"template\":{\"prompt\":\"a\"},\"recipients\":{}}", 422);
        cases.put("{\"name\":", 400);
        // custom_id is required and unique within a campaign: refused before anything is published
        cases.put(
                "{\"name\":\"x\",\"model\":\"copy-gpt\",\"template\":{\"prompt\":\"a\"},\"recipients\":[\"not an object\"]}",
                422);
        cases.put(
                "{\"name\":\"x\",\"model\":\"copy-gpt\",\"template\":{\"prompt\":\"a\"},\"recipients\":[{\"vars\":{}}]}",
                422);
        for (Map.Entry<String, Integer> c : cases.entrySet()) {
            Response r = given().header("Authorization", KEY_A)
                    .contentType("application/json")
                    .body(c.getKey())
                    .post("/v1/campaigns");
            assertEquals((int) c.getValue(), r.statusCode(), c.getKey() + " -> " + r.asString());
            assertEquals(Problem.MEDIA_TYPE, r.contentType());
        }
        given().header("Authorization", KEY_A)
                .contentType("application/x-ndjson")
                .body(new byte[0])
                .post("/v1/campaigns")
                .then()
                .statusCode(400)
                .contentType(Problem.MEDIA_TYPE);
        given().header("Authorization", KEY_A)
                .contentType("application/x-ndjson")
                .body("not json\n{}\n".getBytes(StandardCharsets.UTF_8))
                .post("/v1/campaigns")
                .then()
                .statusCode(400)
                .contentType(Problem.MEDIA_TYPE);
        given().header("Authorization", KEY_A)
                .get("/v1/campaigns/does-not-exist")
                .then()
                .statusCode(404);
        assertEquals(before, worker().endOffsetSum("genfleet.jobs.text.bulk", "genfleet.audit"));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
