package dev.genfleet.gateway;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genfleet.gateway.api.Problem;
import dev.genfleet.schemas.Brief;
import dev.genfleet.schemas.CopyQuality;
import dev.genfleet.schemas.Decoded;
import dev.genfleet.schemas.EventCodec;
import dev.genfleet.schemas.JobRequest;
import dev.genfleet.schemas.JobStatus;
import dev.genfleet.schemas.ReasonCode;
import dev.genfleet.schemas.TextInput;
import dev.genfleet.schemas.TextOutput;
import dev.genfleet.testkit.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Text jobs with a brief and output checks (issue 18), through HTTP and the real broker. */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = false)
class BriefJobsIT extends WithFakeWorker {

    static final String KEY_A = "Bearer test-key-a";
    static final String JOBS = "genfleet.jobs.text.interactive";
    static final EventCodec CODEC = EventCodec.forComponent("test");

    static final String BRIEF = "{\"product\":\"Nimbus Pillow\",\"audience\":\"light sleepers\","
            + "\"benefit\":\"deeper sleep\",\"offer\":\"20% off your first order\",\"tone\":\"calm\","
            + "\"name\":\"Søren\"}";

    Response submit(String input) {
        return given().header("Authorization", KEY_A)
                .contentType("application/json; charset=UTF-8")
                .body("{\"model\":\"copy-gpt\",\"input\":" + input + "}")
                .post("/v1/jobs");
    }

    JobRequest published(String id) {
        List<ConsumerRecord<String, byte[]>> records = worker().read(JOBS, id::equals, 1);
        assertEquals(1, records.size(), "one job record for " + id);
        return ((Decoded.Ok<JobRequest>) CODEC.decode(records.get(0), JobRequest.class)).payload();
    }

    @Test
    void shouldPublishTheBriefAndItsChecksInTheJobRecord() {
        Response r = submit("{\"brief\":" + BRIEF + ",\"require\":[\"Nimbus Pillow\",\"Søren\"],"
                + "\"forbid_unstated_offers\":true,\"best_of\":4,\"quality\":\"best_effort\",\"max_tokens\":60,"
                + "\"seed\":7}");
        r.then().statusCode(202).body("status", equalTo("SUBMITTED")).body("seed", equalTo(7));

        TextInput input = (TextInput) published(r.path("id")).input();
        assertEquals(
                new Brief(
                        "Nimbus Pillow", "light sleepers", "deeper sleep", "20% off your first order", "calm", "Søren"),
                input.brief());
        assertEquals("", input.prompt(), "a brief needs no prompt");
        assertEquals(List.of("Nimbus Pillow", "Søren"), input.require());
        assertEquals(Boolean.TRUE, input.forbidUnstatedOffers());
        assertEquals(4, input.bestOf());
        assertEquals(TextInput.BEST_EFFORT, input.quality());
        assertEquals(60, input.maxTokens());
        assertEquals(7L, input.seed());
    }

    @Test
    void shouldLeaveTheChecksToTheirDefaultsWhenOnlyABriefIsGiven() {
        Response r = submit("{\"prompt\":\"Dear José,\",\"brief\":{\"product\":\"Ærø Kettle\","
                + "\"audience\":\"tea lovers\",\"benefit\":\"a faster brew\",\"name\":\"José\"}}");
        r.then().statusCode(202);

        TextInput input = (TextInput) published(r.path("id")).input();
        assertEquals("Dear José,", input.prompt(), "a prompt opens the copy written for the brief");
        assertEquals(new Brief("Ærø Kettle", "tea lovers", "a faster brew", null, null, "José"), input.brief());
        assertNull(input.require());
        assertNull(input.forbidUnstatedOffers());
        assertNull(input.bestOf());
        assertNull(input.quality());
        // what the worker makes of the defaults
        assertTrue(input.checked());
        assertEquals(List.of("Ærø Kettle", "José"), input.requiredStrings());
        assertTrue(input.forbidsUnstatedOffers());
        assertEquals(1, input.candidateLimit());
    }

    @Test
    void shouldAnswer422NamingTheFieldForEveryBadBriefOrCheck() {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("{\"max_tokens\":10}", "input.prompt");
        cases.put("{\"brief\":\"Nimbus Pillow\"}", "input.brief");
        cases.put("{\"brief\":{\"audience\":\"a\",\"benefit\":\"b\"}}", "input.brief.product");
        cases.put("{\"brief\":{\"product\":\"p\",\"audience\":\"\",\"benefit\":\"b\"}}", "input.brief.audience");
        cases.put("{\"brief\":{\"product\":\"p\",\"audience\":\"a\",\"benefit\":\"   \"}}", "input.brief.benefit");
        cases.put(
                "{\"brief\":{\"product\":\"p\",\"audience\":\"a\",\"benefit\":\"b\",\"name\":\"" + "x".repeat(201)
                        + "\"}}",
                "input.brief.name");
        cases.put(
                "{\"brief\":{\"product\":\"p\",\"audience\":\"a\",\"benefit\":\"b\",\"tone\":3}}", "input.brief.tone");
        cases.put(
                "{\"brief\":{\"product\":\"p\",\"audience\":\"a\",\"benefit\":\"b\",\"offer\":\"10% off\\nnow\"}}",
                "input.brief.offer");
        cases.put(
                "{\"brief\":{\"product\":\"p\",\"audience\":\"a\",\"benefit\":\"b\",\"colour\":\"red\"}}",
                "input.brief.colour");
        cases.put("{\"brief\":" + BRIEF + ",\"prompt\":\"\"}", "input.prompt");
        cases.put("{\"brief\":" + BRIEF + ",\"require\":\"Nimbus\"}", "input.require");
        cases.put("{\"brief\":" + BRIEF + ",\"require\":[\"ok\",\"\"]}", "input.require[1]");
        cases.put("{\"brief\":" + BRIEF + ",\"require\":[\" \"]}", "input.require[0]");
        cases.put("{\"brief\":" + BRIEF + ",\"require\":[42]}", "input.require[0]");
        cases.put("{\"brief\":" + BRIEF + ",\"require\":[" + "\"w\",".repeat(16) + "\"w\"]}", "input.require");
        cases.put("{\"brief\":" + BRIEF + ",\"forbid_unstated_offers\":\"yes\"}", "input.forbid_unstated_offers");
        cases.put("{\"brief\":" + BRIEF + ",\"best_of\":0}", "input.best_of");
        cases.put("{\"brief\":" + BRIEF + ",\"best_of\":17}", "input.best_of");
        cases.put("{\"brief\":" + BRIEF + ",\"best_of\":2.5}", "input.best_of");
        cases.put("{\"brief\":" + BRIEF + ",\"quality\":\"perfect\"}", "input.quality");
        cases.put("{\"prompt\":\"Hi\",\"quality\":\"STRICT\"}", "input.quality");

        long before = worker().endOffsetSum(JOBS, "genfleet.audit");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Response r = submit(c.getKey());
            assertEquals(422, r.statusCode(), c.getKey() + " -> " + r.asString());
            assertEquals(Problem.MEDIA_TYPE, r.contentType(), c.getKey());
            r.then().body("errors.field", hasItem(c.getValue()));
        }
        assertEquals(before, worker().endOffsetSum(JOBS, "genfleet.audit"), "invalid input publishes nothing");
    }

    @Test
    void shouldApplyTheContentPolicyToEveryStringOfTheBrief() {
        Map<String, String[]> cases = new LinkedHashMap<>();
        cases.put(
                "{\"brief\":{\"product\":\"p\",\"audience\":\"a\",\"benefit\":\"b\",\"name\":\"eve@example.com\"}}",
                new String[] {"input.brief.name", "POLICY_PII_EMAIL"});
        cases.put(
                "{\"brief\":{\"product\":\"The forbiddenword Pillow\",\"audience\":\"a\",\"benefit\":\"b\"}}",
                new String[] {"input.brief.product", "POLICY_DENY_TERM"});
        cases.put(
                "{\"brief\":{\"product\":\"p\",\"audience\":\"a\",\"benefit\":\"b\",\"offer\":\"call +44 20 7946 0958\"}}",
                new String[] {"input.brief.offer", "POLICY_PII_PHONE"});
        cases.put(
                "{\"brief\":{\"product\":\"p\",\"audience\":\"a\",\"benefit\":\"b\"},\"require\":[\"a guaranteed cure\"]}",
                new String[] {"input.require[0]", "POLICY_DENY_TERM"});
        for (Map.Entry<String, String[]> c : cases.entrySet()) {
            Response r = submit(c.getKey());
            assertEquals(422, r.statusCode(), c.getKey() + " -> " + r.asString());
            r.then()
                    .contentType(Problem.MEDIA_TYPE)
                    .body("rule", equalTo(c.getValue()[1]))
                    .body("errors[0].field", equalTo(c.getValue()[0]))
                    .body("errors[0].message", containsString(c.getValue()[0].substring("input.".length())));
        }
        // names are not personal data to the policy
        submit("{\"brief\":{\"product\":\"Nimbus Pillow\",\"audience\":\"light sleepers\",\"benefit\":\"deeper sleep\","
                        + "\"name\":\"Mei-Ling\"}}")
                .then()
                .statusCode(202);
    }

    @Test
    void shouldNameTheRefusedBriefFieldAgainWhenARejectedJobIsReplayed() {
        String body = "{\"model\":\"copy-gpt\",\"input\":{\"brief\":{\"product\":\"p\",\"audience\":\"a\","
                + "\"benefit\":\"b\",\"name\":\"zoe@example.com\"}}}";
        String key = "brief-replay-" + System.nanoTime();
        Response first = given().header("Authorization", KEY_A)
                .header("Idempotency-Key", key)
                .contentType("application/json")
                .body(body)
                .post("/v1/jobs");
        first.then().statusCode(422).body("errors[0].field", equalTo("input.brief.name"));
        String jobId = dev.genfleet.gateway.submit.JobIds.job("tenant-a", key);
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> given().header("Authorization", KEY_A)
                        .get("/v1/jobs/" + jobId)
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("REJECTED")));
        given().header("Authorization", KEY_A)
                .header("Idempotency-Key", key)
                .contentType("application/json")
                .body(body)
                .post("/v1/jobs")
                .then()
                .statusCode(422)
                .body("rule", equalTo("POLICY_PII_EMAIL"))
                .body("errors[0].field", equalTo("input.brief.name"));
    }

    @Test
    void shouldServeTheQualityOfAResultWrittenToTheResultsTopic() {
        String passed = submit("{\"brief\":" + BRIEF + "}")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        String failedChecks = submit("{\"brief\":" + BRIEF + ",\"best_of\":3,\"quality\":\"best_effort\"}")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        String strict = submit("{\"brief\":" + BRIEF + ",\"best_of\":2}")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        String unchecked =
                submit("{\"prompt\":\"Hi\"}").then().statusCode(202).extract().path("id");

        worker().result(
                        passed,
                        "tenant-a",
                        JobStatus.SUCCEEDED,
                        new TextOutput(
                                "Søren, sleep deeper with the Nimbus Pillow: 20% off your first order.",
                                "stop", 12, 18, new CopyQuality(true, List.of(), List.of(), 0.0, 1)),
                        null);
        worker().result(
                        failedChecks,
                        "tenant-a",
                        JobStatus.SUCCEEDED,
                        new TextOutput(
                                "Sleep deeper, free shipping today.",
                                "stop",
                                12,
                                9,
                                new CopyQuality(false, List.of("Søren"), List.of("free shipping"), 0.125, 3)),
                        null);
        worker().result(
                        strict,
                        "tenant-a",
                        JobStatus.FAILED,
                        null,
                        ReasonCode.QUALITY_CHECK_FAILED.reason("2 candidates; none contained 'Nimbus Pillow'"));
        worker().result(unchecked, "tenant-a", JobStatus.SUCCEEDED, new TextOutput("Hi there", "stop", 1, 2), null);

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> given().header("Authorization", KEY_A)
                        .get("/v1/jobs/" + failedChecks)
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("SUCCEEDED"))
                        .body("output.quality.passed", equalTo(false))
                        .body("output.quality.required_missing", equalTo(List.of("Søren")))
                        .body("output.quality.unstated_offers", equalTo(List.of("free shipping")))
                        .body("output.quality.unknown_word_ratio", equalTo(0.125f))
                        .body("output.quality.candidates", equalTo(3)));
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> given().header("Authorization", KEY_A)
                        .get("/v1/jobs/" + passed)
                        .then()
                        .body("status", equalTo("SUCCEEDED"))
                        .body("output.text", containsString("Søren"))
                        .body("output.quality.passed", equalTo(true))
                        .body("output.quality.required_missing", equalTo(List.of()))
                        .body("output.quality.candidates", equalTo(1)));
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> given().header("Authorization", KEY_A)
                        .get("/v1/jobs/" + strict)
                        .then()
                        .body("status", equalTo("FAILED"))
                        .body("error.code", equalTo("QUALITY_CHECK_FAILED"))
                        .body("output", nullValue()));
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> given().header("Authorization", KEY_A)
                        .get("/v1/jobs/" + unchecked)
                        .then()
                        .body("status", equalTo("SUCCEEDED"))
                        .body("output.text", equalTo("Hi there"))
                        .body("output.quality", nullValue()));

        given().header("Authorization", KEY_A)
                .get("/v1/jobs/" + failedChecks + "/output")
                .then()
                .statusCode(200)
                .header("Quality-Passed", "false")
                .body(equalTo("Sleep deeper, free shipping today."));
        given().header("Authorization", KEY_A)
                .get("/v1/jobs/" + passed + "/output")
                .then()
                .statusCode(200)
                .header("Quality-Passed", "true");
        given().header("Authorization", KEY_A)
                .get("/v1/jobs/" + unchecked + "/output")
                .then()
                .statusCode(200)
                .header("Quality-Passed", nullValue());
        given().header("Authorization", KEY_A)
                .get("/v1/jobs/" + strict + "/output")
                .then()
                .statusCode(409)
                .body("detail", containsString("QUALITY_CHECK_FAILED"));
    }

    @Test
    void shouldDescribeBriefsInTheOpenApiDocument() {
        given().get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .body(containsString("forbid_unstated_offers"))
                .body(containsString("brief {product, audience, benefit"))
                .body(containsString("QUALITY_CHECK_FAILED"));
    }
}
