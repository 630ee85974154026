package dev.genfleet.gateway;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.genfleet.gateway.submit.JobIds;
import dev.genfleet.schemas.AuditType;
import dev.genfleet.schemas.CopyQuality;
import dev.genfleet.schemas.ImageArtifact;
import dev.genfleet.schemas.ImageOutput;
import dev.genfleet.schemas.JobStatus;
import dev.genfleet.schemas.Reason;
import dev.genfleet.schemas.TextOutput;
import dev.genfleet.testkit.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code /q/openapi} describes the read endpoints' bodies as they are: each body a real call answered here is
 * walked against the schema its operation's 200 response references, and every member of it (nested ones too)
 * must be a property of that schema with a type and a description. A member added to a body without the schema
 * fails here; so does a schema property without a type or description.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = false)
class OpenApiContractIT extends WithFakeWorker {

    static final String KEY_A = "Bearer test-key-a";
    static final ObjectMapper JSON = new ObjectMapper();
    static final String SHA = "b".repeat(64);

    @Test
    void shouldDescribeEveryMemberOfAJobInTheSchemaOfGetJob() throws IOException {
        JsonNode doc = openapi();
        String checked = submit("{\"model\":\"copy-gpt\",\"input\":{\"prompt\":\"Say hi\"}}");
        String failed = submit("{\"model\":\"copy-gpt\",\"input\":{\"prompt\":\"Say no\"},\"priority\":\"bulk\"}");
        String image = submit("{\"model\":\"banner-gan\",\"input\":{\"count\":2,\"seed\":7}}");
        worker().audit(AuditType.STARTED, checked, "tenant-a", 1, null);
        worker().result(
                        checked,
                        "tenant-a",
                        JobStatus.SUCCEEDED,
                        new TextOutput(
                                "Hi there", "stop", 3, 2, new CopyQuality(false, List.of("Acme"), List.of(), 0.5, 2)),
                        null);
        worker().audit(AuditType.STARTED, failed, "tenant-a", 1, null);
        worker().result(failed, "tenant-a", JobStatus.FAILED, null, Reason.of("MODEL_ERROR", "out of memory"));
        worker().result(
                        image,
                        "tenant-a",
                        JobStatus.SUCCEEDED,
                        new ImageOutput(List.of(
                                new ImageArtifact("image/png", SHA, 64, 64, 7L, 0.75, new byte[] {1}, null),
                                new ImageArtifact("image/png", SHA, 64, 64, 8L, null, null, "s3://bucket/8.png"))),
                        null);

        Set<String> members = new TreeSet<>();
        for (String id : List.of(checked, failed, image)) {
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> given().header("Authorization", KEY_A)
                            .get("/v1/jobs/" + id)
                            .then()
                            .statusCode(200)
                            .body("terminal", equalTo(true))
                            .body("status", equalTo(id.equals(failed) ? "FAILED" : "SUCCEEDED")));
            JsonNode body = read(
                    given().header("Authorization", KEY_A).get("/v1/jobs/" + id).asByteArray());
            assertMatches(doc, responseSchema(doc, "/v1/jobs/{id}", "get", "200", "application/json"), body, "job");
            collect(body, "", members);
        }
        // the bodies above exercised every optional part of a job, so none of them is left unchecked
        for (String m : List.of(
                "model_version",
                "started_at",
                "finished_at",
                "output_sha256",
                "worker_id",
                "error.code",
                "output.quality.required_missing",
                "output.images[].score",
                "output.images[].ref",
                "links.cancel")) {
            assertTrue(members.contains(m), m + " was not in any body: " + members);
        }
    }

    @Test
    void shouldDescribeTheJobOfPostJobsAndOfACancelWithTheSameSchema() throws IOException {
        JsonNode doc = openapi();
        JsonNode submitted = read(given().header("Authorization", KEY_A)
                .contentType("application/json")
                .body("{\"model\":\"copy-gpt\",\"input\":{\"prompt\":\"Cancel me\"}}")
                .post("/v1/jobs")
                .then()
                .statusCode(202)
                .extract()
                .asByteArray());
        JsonNode schema = responseSchema(doc, "/v1/jobs", "post", "202", "application/json");
        assertEquals(responseSchema(doc, "/v1/jobs/{id}", "get", "200", "application/json"), schema);
        assertMatches(doc, schema, submitted, "submitted job");
        String id = submitted.get("id").asText();
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().header("Authorization", KEY_A)
                        .get("/v1/jobs/" + id)
                        .then()
                        .statusCode(200));
        JsonNode cancelled = read(given().header("Authorization", KEY_A)
                .post("/v1/jobs/" + id + "/cancel")
                .then()
                .statusCode(202)
                .body("status", equalTo("CANCELLED"))
                .extract()
                .asByteArray());
        assertEquals(schema, responseSchema(doc, "/v1/jobs/{id}/cancel", "post", "202", "application/json"));
        assertMatches(doc, schema, cancelled, "cancelled job");
    }

    @Test
    void shouldDescribeEveryMemberOfACampaignAndOfItsResultLines() throws IOException {
        JsonNode doc = openapi();
        String sealed = given().header("Authorization", KEY_A)
                .contentType("application/json")
                .body("""
                        {"name":"contract","model":"copy-gpt","template":{"prompt":"Hi {{n}}"},
                         "recipients":[{"custom_id":"a","vars":{"n":"Ada"}},{"custom_id":"b","vars":{}}]}""")
                .post("/v1/campaigns")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        // a repeated custom_id leaves the upload unsealed: INCOMPLETE, with how many were accepted
        String key = "contract-" + UUID.randomUUID();
        String incomplete = JobIds.campaign("tenant-a", key);
        given().header("Authorization", KEY_A)
                .header("Idempotency-Key", key)
                .contentType("application/x-ndjson")
                .body("""
                        {"name":"contract dups","model":"copy-gpt","template":{"prompt":"Hi {{n}}"}}
                        {"custom_id":"a","vars":{"n":"A"}}
                        {"custom_id":"a","vars":{"n":"B"}}
                        """.getBytes(StandardCharsets.UTF_8))
                .post("/v1/campaigns")
                .then()
                .statusCode(422);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().header("Authorization", KEY_A)
                        .get("/v1/campaigns/" + sealed)
                        .then()
                        .body("sealed", equalTo(true))
                        .body("counts.total", equalTo(2)));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().header("Authorization", KEY_A)
                        .get("/v1/campaigns/" + incomplete)
                        .then()
                        .body("status", equalTo("INCOMPLETE")));

        Set<String> members = new TreeSet<>();
        JsonNode schema = responseSchema(doc, "/v1/campaigns/{id}", "get", "200", "application/json");
        for (String id : List.of(sealed, incomplete)) {
            JsonNode body = read(given().header("Authorization", KEY_A)
                    .get("/v1/campaigns/" + id)
                    .asByteArray());
            assertMatches(doc, schema, body, "campaign " + id);
            collect(body, "", members);
        }
        for (String m : List.of("name", "recipients", "accepted", "counts.expired", "links.results")) {
            assertTrue(members.contains(m), m + " was not in any body: " + members);
        }

        // one job of the sealed campaign finished with checked copy, the other was rejected (no variable n)
        String jobA = JobIds.recipient(sealed, "a");
        worker().result(
                        jobA,
                        "tenant-a",
                        JobStatus.SUCCEEDED,
                        new TextOutput("Hi Ada", "stop", 3, 2, new CopyQuality(true, List.of(), List.of(), 0.0, 1)),
                        null);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().header("Authorization", KEY_A)
                        .get("/v1/jobs/" + jobA)
                        .then()
                        .body("status", equalTo("SUCCEEDED")));
        String lines = given().header("Authorization", KEY_A)
                .get("/v1/campaigns/" + sealed + "/results")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        JsonNode lineSchema = responseSchema(doc, "/v1/campaigns/{id}/results", "get", "200", "application/x-ndjson");
        Set<String> lineMembers = new TreeSet<>();
        for (String line : lines.split("\n")) {
            JsonNode body = read(line.getBytes(StandardCharsets.UTF_8));
            assertMatches(doc, lineSchema, body, "result line");
            collect(body, "", lineMembers);
        }
        for (String m : List.of("custom_id", "job_id", "status", "output", "quality.passed", "error.message")) {
            assertTrue(lineMembers.contains(m), m + " was not in any line: " + lineMembers);
        }
    }

    @Test
    void shouldDescribeEveryMemberOfTheModelsAndTheWebhookSecret() throws IOException {
        JsonNode doc = openapi();
        worker().announce("contract-gpt", "text", "text", true);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().header("Authorization", KEY_A)
                        .get("/v1/models")
                        .then()
                        .body("models.id", hasItem("contract-gpt")));
        JsonNode models =
                read(given().header("Authorization", KEY_A).get("/v1/models").asByteArray());
        assertMatches(doc, responseSchema(doc, "/v1/models", "get", "200", "application/json"), models, "models");
        Set<String> members = new TreeSet<>();
        collect(models, "", members);
        assertTrue(members.contains("models[].version"), members.toString());

        JsonNode secret = read(given().header("Authorization", KEY_A)
                .get("/v1/webhooks/default/secret")
                .then()
                .statusCode(200)
                .extract()
                .asByteArray());
        assertMatches(
                doc,
                responseSchema(doc, "/v1/webhooks/{endpoint}/secret", "get", "200", "application/json"),
                secret,
                "webhook secret");
    }

    @Test
    void shouldDescribeTheRequestOfPostJobsFieldByFieldWithItsBounds() throws IOException {
        JsonNode doc = openapi();
        JsonNode job = resolve(doc, requestSchema(doc, "/v1/jobs", "post", "application/json"));
        assertRequired(job, "JobSubmission", "model", "input");
        assertProperty(doc, job, "model", "string", Map.of("minLength", 1, "maxLength", 200));
        assertProperty(doc, job, "priority", "string", Map.of());
        assertEquals(
                Set.of("interactive", "bulk"),
                strings(job.path("properties").path("priority").path("enum")));
        assertProperty(doc, job, "ttl_seconds", "integer", Map.of("minimum", 1, "maximum", 604800));
        assertProperty(doc, job, "metadata", "object", Map.of("maxProperties", 32));
        assertDescribed(doc, job, "input");
        JsonNode webhook = resolve(doc, job.path("properties").path("webhook"));
        assertRequired(webhook, "WebhookTarget", "url");
        assertProperty(doc, webhook, "url", "string", Map.of("minLength", 1, "maxLength", 2000));

        JsonNode input = job.path("properties").path("input");
        assertEquals(2, input.path("oneOf").size(), "input is a text or an image input: " + input);
        JsonNode text = resolve(doc, input.path("oneOf").get(0));
        JsonNode image = resolve(doc, input.path("oneOf").get(1));
        assertProperty(doc, text, "prompt", "string", Map.of("minLength", 1, "maxLength", 8000));
        assertProperty(doc, text, "max_tokens", "integer", Map.of("minimum", 1, "maximum", 4096));
        assertProperty(doc, text, "temperature", "number", Map.of("minimum", 0, "maximum", 5));
        assertProperty(doc, text, "top_k", "integer", Map.of("minimum", 0, "maximum", 100000));
        assertProperty(doc, text, "top_p", "number", Map.of("minimum", 0, "maximum", 1));
        assertProperty(doc, text, "stop", "array", Map.of("maxItems", 8));
        assertProperty(doc, text, "seed", "integer", Map.of());
        assertProperty(doc, text, "require", "array", Map.of("maxItems", 16));
        assertProperty(doc, text, "forbid_unstated_offers", "boolean", Map.of());
        assertProperty(doc, text, "best_of", "integer", Map.of("minimum", 1, "maximum", 16));
        assertProperty(doc, text, "quality", "string", Map.of());
        assertEquals(
                Set.of("strict", "best_effort"),
                strings(text.path("properties").path("quality").path("enum")));
        JsonNode brief = resolve(doc, text.path("properties").path("brief"));
        assertRequired(brief, "JobBrief", "product", "audience", "benefit");
        for (String field : List.of("product", "audience", "benefit", "offer", "tone", "name")) {
            assertProperty(doc, brief, field, "string", Map.of("minLength", 1, "maxLength", 200));
            assertTrue(
                    brief.path("properties").path(field).has("pattern"),
                    "JobBrief." + field + " says no control characters");
        }
        assertProperty(doc, image, "seed", "integer", Map.of());
        assertProperty(doc, image, "count", "integer", Map.of("minimum", 1, "maximum", 16));
        assertProperty(doc, image, "style", "string", Map.of("minLength", 1, "maxLength", 100));
        assertProperty(doc, image, "best_of", "integer", Map.of("minimum", 1, "maximum", 64));
        assertProperty(doc, image, "size", "integer", Map.of("minimum", 8, "maximum", 1024));
    }

    @Test
    void shouldDescribeTheAnswerOfGetJobWithItsRequiredMembersAndBounds() throws IOException {
        JsonNode doc = openapi();
        JsonNode job = resolve(doc, responseSchema(doc, "/v1/jobs/{id}", "get", "200", "application/json"));
        assertRequired(job, "Job", "id", "status", "terminal", "attempts", "links");
        assertProperty(doc, job, "id", "string", Map.of());
        assertProperty(doc, job, "status", "string", Map.of());
        assertProperty(doc, job, "terminal", "boolean", Map.of());
        assertProperty(doc, job, "attempts", "integer", Map.of("minimum", 0));
        assertProperty(doc, job, "seed", "integer", Map.of());
        assertProperty(doc, job, "input_sha256", "string", Map.of());
        assertEquals(
                "^[0-9a-f]{64}$",
                job.path("properties").path("input_sha256").path("pattern").asText());
        for (String member : List.of("output", "error", "links", "submitted_at", "model_version", "campaign_id")) {
            assertDescribed(doc, job, member);
        }
    }

    @Test
    void shouldDescribeTheRequestAndTheAnswerOfPostCampaigns() throws IOException {
        JsonNode doc = openapi();
        JsonNode campaign = resolve(doc, requestSchema(doc, "/v1/campaigns", "post", "application/json"));
        assertRequired(campaign, "CampaignSubmission", "name", "model", "template", "recipients");
        assertProperty(doc, campaign, "name", "string", Map.of("minLength", 1, "maxLength", 200));
        assertProperty(doc, campaign, "model", "string", Map.of("minLength", 1, "maxLength", 200));
        assertProperty(doc, campaign, "params", "object", Map.of("maxProperties", 100));
        assertProperty(doc, campaign, "ttl_seconds", "integer", Map.of("minimum", 1, "maximum", 604800));
        assertProperty(doc, campaign, "metadata", "object", Map.of("maxProperties", 32));
        assertProperty(doc, campaign, "recipients", "array", Map.of("maxItems", 1000000));
        assertDescribed(doc, campaign, "webhook");
        JsonNode template = resolve(doc, campaign.path("properties").path("template"));
        assertProperty(doc, template, "prompt", "string", Map.of("minLength", 1, "maxLength", 8000));
        JsonNode brief = resolve(doc, template.path("properties").path("brief"));
        assertRequired(brief, "CampaignBriefTemplate", "product", "audience", "benefit");
        assertProperty(doc, brief, "offer", "string", Map.of("minLength", 1, "maxLength", 2000));
        JsonNode input = resolve(doc, campaign.path("properties").path("input"));
        assertProperty(doc, input, "max_tokens", "integer", Map.of("minimum", 1, "maximum", 4096));
        assertProperty(doc, input, "best_of", "integer", Map.of("minimum", 1, "maximum", 16));
        assertProperty(doc, input, "require", "array", Map.of("maxItems", 16));
        assertFalse(input.path("properties").has("prompt"), "a campaign's prompt is its template's");
        JsonNode recipient =
                resolve(doc, campaign.path("properties").path("recipients").path("items"));
        assertRequired(recipient, "CampaignRecipient", "custom_id");
        assertProperty(doc, recipient, "custom_id", "string", Map.of("minLength", 1, "maxLength", 200));
        assertProperty(doc, recipient, "vars", "object", Map.of("maxProperties", 100));

        JsonNode accepted = resolve(doc, responseSchema(doc, "/v1/campaigns", "post", "202", "application/json"));
        assertRequired(
                accepted,
                "CampaignAccepted",
                "id",
                "name",
                "status",
                "sealed",
                "recipients",
                "queued",
                "rejected",
                "rejections",
                "digest",
                "links");
        assertProperty(doc, accepted, "recipients", "integer", Map.of("minimum", 0));
        assertProperty(doc, accepted, "rejections", "array", Map.of("maxItems", 100));
        JsonNode answer = read(given().header("Authorization", KEY_A)
                .contentType("application/json")
                .body("{\"name\":\"contract\",\"model\":\"copy-gpt\",\"template\":{\"prompt\":\"Hi {{n}}\"},"
                        + "\"recipients\":[{\"custom_id\":\"a\",\"vars\":{\"n\":\"Ann\"}},{\"custom_id\":\"b\"}]}")
                .post("/v1/campaigns")
                .then()
                .statusCode(202)
                .extract()
                .asByteArray());
        assertEquals(1, answer.path("rejections").size(), "b lacks n: " + answer);
        assertMatches(doc, responseSchema(doc, "/v1/campaigns", "post", "202", "application/json"), answer, "202");
    }

    /** The schema an operation's request body references. */
    static JsonNode requestSchema(JsonNode doc, String path, String method, String mediaType) {
        JsonNode schema = doc.path("paths")
                .path(path)
                .path(method)
                .path("requestBody")
                .path("content")
                .path(mediaType)
                .path("schema");
        assertTrue(schema.has("$ref"), method + " " + path + " references no request schema: " + schema);
        return schema;
    }

    static void assertRequired(JsonNode schema, String name, String... members) {
        assertEquals(Set.of(members), strings(schema.path("required")), name + " requires exactly these members");
    }

    /** The property exists with this type, a description, an example (scalars) and these bounds. */
    static void assertProperty(JsonNode doc, JsonNode schema, String name, String type, Map<String, Number> bounds) {
        JsonNode p = schema.path("properties").path(name);
        assertFalse(p.isMissingNode(), name + " is not a property of " + names(schema.path("properties")));
        assertTrue(types(resolve(doc, p)).contains(type), name + " is not typed " + type + ": " + p);
        assertDescribed(doc, schema, name);
        if (!type.equals("object") && !type.equals("array")) {
            assertTrue(p.has("examples") || p.has("example"), name + " has no example: " + p);
        }
        bounds.forEach((bound, value) -> assertEquals(
                value.doubleValue(), p.path(bound).asDouble(Double.NaN), 0.0, name + "." + bound + " in " + p));
    }

    static void assertDescribed(JsonNode doc, JsonNode schema, String name) {
        assertTypedAndDescribed(doc, schema.path("properties").path(name), name);
    }

    static Set<String> strings(JsonNode array) {
        Set<String> out = new TreeSet<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    // ---- the walk ----------------------------------------------------------------------------------

    static JsonNode openapi() throws IOException {
        return read(given().get("/q/openapi?format=json")
                .then()
                .statusCode(200)
                .extract()
                .asByteArray());
    }

    static String submit(String body) {
        return given().header("Authorization", KEY_A)
                .contentType("application/json")
                .body(body)
                .post("/v1/jobs")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
    }

    static JsonNode read(byte[] json) throws IOException {
        return JSON.readTree(json);
    }

    /** The schema an operation's response references; it must be a reference to a named schema. */
    static JsonNode responseSchema(JsonNode doc, String path, String method, String status, String mediaType) {
        JsonNode schema = doc.path("paths")
                .path(path)
                .path(method)
                .path("responses")
                .path(status)
                .path("content")
                .path(mediaType)
                .path("schema");
        assertTrue(
                schema.has("$ref"),
                method.toUpperCase() + " " + path + " " + status + " " + mediaType + " references no schema: "
                        + doc.path("paths").path(path).path(method));
        return schema;
    }

    /**
     * Every member of {@code value} is a property of {@code schema} (after references and {@code oneOf}), every
     * property of each schema met has a type and a description, and each scalar has its property's type.
     */
    static void assertMatches(JsonNode doc, JsonNode schema, JsonNode value, String where) {
        JsonNode s = resolve(doc, schema);
        if (s.has("oneOf")) {
            s = branch(doc, s, value, where);
        }
        if (value.isObject()) {
            JsonNode properties = s.path("properties");
            assertFalse(properties.isMissingNode(), where + ": the schema has no properties: " + s);
            properties
                    .fields()
                    .forEachRemaining(p -> assertTypedAndDescribed(doc, p.getValue(), where + "." + p.getKey()));
            Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                String at = where + "." + f.getKey();
                assertTrue(
                        properties.has(f.getKey()),
                        at + " is in the body but not in the schema, whose properties are " + names(properties));
                assertMatches(doc, properties.get(f.getKey()), f.getValue(), at);
            }
        } else if (value.isArray()) {
            assertTrue(types(s).contains("array"), where + ": an array, typed " + s);
            JsonNode items = s.path("items");
            assertFalse(items.isMissingNode(), where + ": an array without items: " + s);
            for (int i = 0; i < value.size(); i++) {
                assertMatches(doc, items, value.get(i), where + "[" + i + "]");
            }
        } else if (!value.isNull()) {
            List<String> types = types(s);
            boolean ok = (value.isTextual() && types.contains("string"))
                    || (value.isBoolean() && types.contains("boolean"))
                    || (value.isIntegralNumber() && (types.contains("integer") || types.contains("number")))
                    || (value.isNumber() && types.contains("number"));
            assertTrue(ok, where + " = " + value + " does not have its schema's type " + types);
        }
    }

    static void assertTypedAndDescribed(JsonNode doc, JsonNode property, String where) {
        JsonNode s = resolve(doc, property);
        assertTrue(!types(s).isEmpty() || s.has("oneOf"), where + " has no type: " + property);
        String description =
                property.path("description").asText(s.path("description").asText(""));
        assertFalse(description.isBlank(), where + " has no description: " + property);
    }

    /** Follows {@code $ref}s (and a lone {@code allOf}) to the schema itself. */
    static JsonNode resolve(JsonNode doc, JsonNode schema) {
        JsonNode s = schema;
        for (int hops = 0; hops < 10; hops++) {
            if (s.has("$ref")) {
                String ref = s.get("$ref").asText();
                assertTrue(ref.startsWith("#/components/schemas/"), ref);
                s = doc.path("components").path("schemas").path(ref.substring("#/components/schemas/".length()));
                assertFalse(s.isMissingNode(), "no schema " + ref);
            } else if (s.has("allOf") && s.get("allOf").size() == 1 && !s.has("properties")) {
                s = s.get("allOf").get(0);
            } else {
                return s;
            }
        }
        return fail("references loop at " + schema);
    }

    /** The {@code oneOf} branch the discriminator names. */
    static JsonNode branch(JsonNode doc, JsonNode s, JsonNode value, String where) {
        String property = s.path("discriminator").path("propertyName").asText(null);
        assertNotNull(property, where + ": oneOf without a discriminator: " + s);
        assertTrue(value.has(property), where + " lacks the discriminator " + property);
        JsonNode ref =
                s.path("discriminator").path("mapping").path(value.get(property).asText());
        assertTrue(ref.isTextual(), where + ": no oneOf branch for " + property + "=" + value.get(property));
        return resolve(doc, JSON.createObjectNode().put("$ref", ref.asText()));
    }

    static List<String> types(JsonNode s) {
        List<String> out = new ArrayList<>();
        JsonNode type = s.path("type");
        if (type.isTextual()) {
            out.add(type.asText());
        } else if (type.isArray()) {
            type.forEach(t -> out.add(t.asText()));
        }
        return out;
    }

    static List<String> names(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }

    /** The paths of every member in a body: {@code output.images[].ref}. */
    static void collect(JsonNode value, String prefix, Set<String> into) {
        if (value.isObject()) {
            value.fields().forEachRemaining(f -> {
                String at = prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey();
                into.add(at);
                collect(f.getValue(), at, into);
            });
        } else if (value.isArray()) {
            value.forEach(v -> collect(v, prefix + "[]", into));
        }
    }
}
