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
