package dev.genfleet.gateway;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.genfleet.gateway.api.Problem;
import dev.genfleet.gateway.submit.JobIds;
import dev.genfleet.schemas.Brief;
import dev.genfleet.schemas.CopyQuality;
import dev.genfleet.schemas.Decoded;
import dev.genfleet.schemas.EventCodec;
import dev.genfleet.schemas.JobRequest;
import dev.genfleet.schemas.JobStatus;
import dev.genfleet.schemas.TextInput;
import dev.genfleet.schemas.TextOutput;
import dev.genfleet.testkit.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Campaigns whose template fills a brief per recipient (issue 18), through HTTP and the real broker. */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = false)
class BriefCampaignsIT extends WithFakeWorker {

    static final String KEY_A = "Bearer test-key-a";
    static final String BULK = "genfleet.jobs.text.bulk";
    static final EventCodec CODEC = EventCodec.forComponent("test");
    static final ObjectMapper JSON = new ObjectMapper();

    Map<String, JobRequest> jobsOf(String campaignId, int expected) {
        return worker().read(BULK, k -> true, 0).stream()
                .map(r -> CODEC.decode(r, JobRequest.class))
                .filter(d -> d instanceof Decoded.Ok<JobRequest>)
                .map(d -> ((Decoded.Ok<JobRequest>) d).payload())
                .filter(j -> campaignId.equals(j.campaignId()))
                .collect(Collectors.toMap(JobRequest::customId, Function.identity(), (a, b) -> {
                    throw new AssertionError("two job records for " + a.customId());
                }));
    }

    static final String CAMPAIGN = """
            {"name":"pillows for everyone","model":"copy-gpt",
             "template":{"brief":{"product":"{{product}}","audience":"light sleepers","benefit":"{{benefit}}",
                                  "tone":"warm","name":"{{first_name}}"}},
             "params":{"benefit":"deeper sleep"},
             "input":{"max_tokens":60,"require":["{{product}}"],"forbid_unstated_offers":true,"best_of":3,
                      "quality":"strict"},
             "recipients":[
               {"custom_id":"jose","vars":{"first_name":"José","product":"Nimbus Pillow"}},
               {"custom_id":"soren","vars":{"first_name":"Søren","product":"Ærø Duvet"}},
               {"custom_id":"mei-ling","vars":{"first_name":"Mei-Ling","product":"Nimbus Pillow","benefit":"calm nights"}},
               {"custom_id":"zoe","vars":{"first_name":"Zoë","product":"Drift Mask"}},
               {"custom_id":"no-name","vars":{"product":"Drift Mask"}},
               {"custom_id":"e-mail","vars":{"first_name":"eve@example.com","product":"Drift Mask"}},
               {"custom_id":"two-lines","vars":{"first_name":"Ann\\nBob","product":"Drift Mask"}},
               {"custom_id":"blank-product","vars":{"first_name":"Ada","product":"  "}}
             ]}""";

    @Test
    void shouldPublishOneJobPerRecipientWithItsFilledBriefUnderDeterministicIdsAndSeeds() throws Exception {
        String key = "brief-campaign-" + System.nanoTime();
        Response r = given().header("Authorization", KEY_A)
                .header("Idempotency-Key", key)
                .contentType("application/json; charset=UTF-8")
                .body(CAMPAIGN.getBytes(StandardCharsets.UTF_8))
                .post("/v1/campaigns");
        r.then()
                .statusCode(202)
                .body("recipients", equalTo(8))
                .body("queued", equalTo(5))
                .body("rejected", equalTo(3));
        String campaignId = r.path("id");
        assertEquals(JobIds.campaign("tenant-a", key), campaignId);
        Map<String, Map<String, Object>> rejections = r.<List<Map<String, Object>>>path("rejections").stream()
                .collect(Collectors.toMap(m -> (String) m.get("custom_id"), Function.identity()));
        assertEquals("POLICY_PII_EMAIL", rejections.get("e-mail").get("code"));
        assertEquals("INVALID_RECIPIENT", rejections.get("two-lines").get("code"));
        assertTrue(((String) rejections.get("two-lines").get("message")).contains("brief.name"));
        assertEquals("INVALID_RECIPIENT", rejections.get("blank-product").get("code"));

        Map<String, JobRequest> jobs = jobsOf(campaignId, 5);
        assertEquals(
                List.of("jose", "mei-ling", "no-name", "soren", "zoe"),
                jobs.keySet().stream().sorted().toList());
        Map<String, Brief> expected = Map.of(
                "jose", new Brief("Nimbus Pillow", "light sleepers", "deeper sleep", null, "warm", "José"),
                "soren", new Brief("Ærø Duvet", "light sleepers", "deeper sleep", null, "warm", "Søren"),
                "mei-ling", new Brief("Nimbus Pillow", "light sleepers", "calm nights", null, "warm", "Mei-Ling"),
                "zoe", new Brief("Drift Mask", "light sleepers", "deeper sleep", null, "warm", "Zoë"),
                // name is optional: a recipient without first_name gets a brief without a name, not a rejection
                "no-name", new Brief("Drift Mask", "light sleepers", "deeper sleep", null, "warm", null));
        for (JobRequest job : jobs.values()) {
            TextInput input = (TextInput) job.input();
            assertEquals(expected.get(job.customId()), input.brief(), job.customId());
            assertEquals("", input.prompt(), "a brief-only template renders no prompt");
            assertEquals(List.of(input.brief().product()), input.require(), "input.require is filled per recipient");
            assertEquals(Boolean.TRUE, input.forbidUnstatedOffers());
            assertEquals(3, input.bestOf());
            assertEquals(TextInput.STRICT, input.quality());
            assertEquals(60, input.maxTokens());
            // the same recipient of the same campaign is the same job: id from (campaign, custom_id), seed from id
            assertEquals(JobIds.recipient(campaignId, job.customId()), job.jobId());
            assertEquals(JobIds.seed(job.jobId()), input.seed());
        }

        // the same upload again is a replay: nothing new on the jobs topic
        long before = worker().endOffsetSum(BULK);
        given().header("Authorization", KEY_A)
                .header("Idempotency-Key", key)
                .contentType("application/json; charset=UTF-8")
                .body(CAMPAIGN.getBytes(StandardCharsets.UTF_8))
                .post("/v1/campaigns")
                .then()
                .statusCode(202)
                .header("Idempotent-Replayed", "true")
                .body("id", equalTo(campaignId))
                .body("queued", equalTo(5));
        assertEquals(before, worker().endOffsetSum(BULK));

        // a worker's result with its checks reaches the campaign's results
        JobRequest zoe = jobs.get("zoe");
        worker().result(
                        zoe.jobId(),
                        "tenant-a",
                        JobStatus.SUCCEEDED,
                        new TextOutput(
                                "Zoë, the Drift Mask brings deeper sleep.",
                                "stop",
                                10,
                                11,
                                new CopyQuality(true, List.of(), List.of(), 0.0, 2)),
                        null);
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> given().header("Authorization", KEY_A)
                        .get("/v1/campaigns/" + campaignId)
                        .then()
                        .body("counts.total", equalTo(8))
                        .body("counts.rejected", equalTo(3))
                        .body("counts.succeeded", equalTo(1)));
        String ndjson = given().header("Authorization", KEY_A)
                .get("/v1/campaigns/" + campaignId + "/results")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        Map<String, JsonNode> lines = new LinkedHashMap<>();
        for (String line : ndjson.lines().toList()) {
            JsonNode n = JSON.readTree(line);
            lines.put(n.get("custom_id").asText(), n);
        }
        assertEquals(8, lines.size(), ndjson);
        assertEquals(
                "Zoë, the Drift Mask brings deeper sleep.",
                lines.get("zoe").get("output").asText());
        assertTrue(lines.get("zoe").get("quality").get("passed").asBoolean(), ndjson);
        assertEquals(2, lines.get("zoe").get("quality").get("candidates").asInt(), ndjson);
        assertEquals("SUBMITTED", lines.get("no-name").get("status").asText());
        assertNull(lines.get("jose").get("quality"), "no result yet");
    }

    @Test
    void shouldRenderAPromptAndABriefFromAStreamedUpload() {
        String upload = """
                {"name":"both","model":"copy-gpt","template":{"prompt":"Dear {{first_name}},","brief":{"product":"{{product}}","audience":"{{audience}}","benefit":"better mornings","offer":"{{offer}}"}},"params":{"audience":"early risers","offer":"10% off this week"}}
                {"custom_id":"a","vars":{"first_name":"Zoë","product":"Sun Lamp"}}
                {"custom_id":"b","vars":{"first_name":"Søren","product":"Sun Lamp","offer":"free delivery"}}
                {"custom_id":"c","vars":{"first_name":"José"}}
                """;
        Response r = given().header("Authorization", KEY_A)
                .contentType("application/x-ndjson")
                .body(upload.getBytes(StandardCharsets.UTF_8))
                .post("/v1/campaigns");
        r.then()
                .statusCode(202)
                .body("queued", equalTo(2))
                .body("rejected", equalTo(1))
                .body("rejections.code", hasItem("TEMPLATE_MISSING_VARIABLE"));
        Map<String, JobRequest> jobs = jobsOf(r.path("id"), 2);
        assertEquals(2, jobs.size());
        TextInput a = (TextInput) jobs.get("a").input();
        assertEquals("Dear Zoë,", a.prompt());
        assertEquals(
                new Brief("Sun Lamp", "early risers", "better mornings", "10% off this week", null, null), a.brief());
        assertNull(a.require(), "no input.require: the worker's default applies");
        TextInput b = (TextInput) jobs.get("b").input();
        assertEquals("Dear Søren,", b.prompt());
        assertEquals("free delivery", b.brief().offer(), "a recipient's value wins over params");
    }

    @Test
    void shouldRefuseTheCampaignForABadBriefTemplateOrCheck() {
        String head = "{\"name\":\"x\",\"model\":\"copy-gpt\",\"recipients\":[{\"custom_id\":\"a\",\"vars\":{}}],";
        String brief = "\"brief\":{\"product\":\"{{p}}\",\"audience\":\"a\",\"benefit\":\"b\"}";
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put(head + "\"template\":{}}", "template.prompt");
        cases.put(head + "\"template\":{\"brief\":\"x\"}}", "template.brief");
        cases.put(head + "\"template\":{\"brief\":{\"audience\":\"a\",\"benefit\":\"b\"}}}", "template.brief.product");
        cases.put(
                head + "\"template\":{\"brief\":{\"product\":\"{{#p}}x{{/p}}\",\"audience\":\"a\",\"benefit\":\"b\"}}}",
                "template.brief.product");
        cases.put(
                head + "\"template\":{\"brief\":{\"product\":\"p\",\"audience\":\" \",\"benefit\":\"b\"}}}",
                "template.brief.audience");
        cases.put(
                head
                        + "\"template\":{\"brief\":{\"product\":\"p\",\"audience\":\"a\",\"benefit\":\"b\",\"size\":\"XL\"}}}",
                "template.brief.size");
        cases.put(head + "\"template\":{" + brief + ",\"require\":[\"p\"]}}", "template.require");
        cases.put(head + "\"template\":{" + brief + "},\"input\":{\"require\":[\"\"]}}", "input.require[0]");
        cases.put(head + "\"template\":{" + brief + "},\"input\":{\"require\":[\"{{{p}}}\"]}}", "input.require[0]");
        cases.put(head + "\"template\":{" + brief + "},\"input\":{\"best_of\":17}}", "input.best_of");
        cases.put(head + "\"template\":{" + brief + "},\"input\":{\"quality\":\"good\"}}", "input.quality");
        cases.put(
                head + "\"template\":{" + brief + "},\"input\":{\"forbid_unstated_offers\":1}}",
                "input.forbid_unstated_offers");
        cases.put(head + "\"template\":{" + brief + "},\"input\":{\"brief\":{}}}", "input.brief");
        long before = worker().endOffsetSum(BULK, "genfleet.audit");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Response r = given().header("Authorization", KEY_A)
                    .contentType("application/json")
                    .body(c.getKey())
                    .post("/v1/campaigns");
            assertEquals(422, r.statusCode(), c.getKey() + " -> " + r.asString());
            assertEquals(Problem.MEDIA_TYPE, r.contentType());
            r.then().body("errors.field", hasItem(c.getValue()));
        }
        assertEquals(before, worker().endOffsetSum(BULK, "genfleet.audit"), "a refused campaign publishes nothing");
    }
}
