package dev.genfleet.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.ValidationMessage;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Every payload has a JSON Schema; what the Java records write is valid and what is invalid is refused. */
class JsonSchemaContractTest {

    private static final ObjectMapper JSON = Json.mapper();
    private static final int RANDOM_INSTANCES = 300;

    @Test
    void shouldHaveSamplesOfEveryPayloadKind() {
        Set<EventType> covered = EnumSet.noneOf(EventType.class);
        Samples.all().forEach(p -> covered.add(p.eventType()));
        assertEquals(EnumSet.allOf(EventType.class), covered);
    }

    @Test
    void shouldValidateEverySampleAgainstItsSchema() {
        for (GenfleetPayload sample : Samples.all()) {
            JsonNode json = JSON.valueToTree(sample);
            assertValid(sample.eventType(), json);
        }
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void shouldValidateAndRoundTripRandomInstances(EventType type) throws Exception {
        Random random = new Random(20261129L + type.ordinal());
        for (int i = 0; i < RANDOM_INSTANCES; i++) {
            GenfleetPayload payload = Samples.random(type, random);
            byte[] bytes = JSON.writeValueAsBytes(payload);
            JsonNode tree = JSON.readTree(bytes);
            assertValid(type, tree);
            GenfleetPayload back = JSON.readValue(bytes, type.payloadType());
            assertEquals(tree, JSON.readTree(JSON.writeValueAsBytes(back)), "JSON round trip of " + type + " #" + i);
        }
    }

    static Stream<Arguments> invalidDocuments() {
        return Stream.of(
                invalid(EventType.JOB_REQUEST, "missing job_id", d -> d.remove("job_id")),
                invalid(EventType.JOB_REQUEST, "unknown priority", d -> d.put("priority", "urgent")),
                invalid(EventType.JOB_REQUEST, "attempt 0", d -> d.put("attempt", 0)),
                invalid(EventType.JOB_REQUEST, "submitted_at not a date", d -> d.put("submitted_at", "yesterday")),
                invalid(
                        EventType.JOB_REQUEST,
                        "temperature too high",
                        d -> ((ObjectNode) d.get("input")).put("temperature", 9.5)),
                invalid(EventType.JOB_REQUEST, "top_p above 1", d -> ((ObjectNode) d.get("input")).put("top_p", 1.5)),
                invalid(
                        EventType.JOB_REQUEST,
                        "max_tokens a string",
                        d -> ((ObjectNode) d.get("input")).put("max_tokens", "64")),
                invalid(
                        EventType.JOB_REQUEST,
                        "input kind unknown",
                        d -> ((ObjectNode) d.get("input")).put("kind", "audio")),
                invalid(
                        EventType.JOB_REQUEST,
                        "text input without prompt",
                        d -> ((ObjectNode) d.get("input")).remove("prompt")),
                invalid(
                        EventType.JOB_REQUEST,
                        "empty stop sequence",
                        d -> ((ObjectNode) d.get("input")).putArray("stop").add("")),
                invalid(EventType.JOB_RESULT, "succeeded without output", d -> d.remove("output")),
                invalid(EventType.JOB_RESULT, "unknown status", d -> d.put("status", "DONE")),
                invalid(EventType.AUDIT_EVENT, "unknown audit type", d -> d.put("type", "EXPLODED")),
                invalid(EventType.AUDIT_EVENT, "bad sha256", d -> d.put("input_sha256", "XYZ")),
                invalid(EventType.CONTROL_COMMAND, "cancel job without job_id", d -> d.remove("job_id")),
                invalid(EventType.DEAD_LETTER, "negative offset", d -> d.put("source_offset", -1)),
                invalid(EventType.DEAD_LETTER, "value not base64", d -> d.put("value", "%%%")),
                invalid(EventType.MODEL_ANNOUNCEMENT, "ready a string", d -> d.put("ready", "yes")),
                invalid(EventType.MODEL_ANNOUNCEMENT, "pool with spaces", d -> d.put("pool", "my pool")));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("invalidDocuments")
    void shouldRejectInvalidDocuments(EventType type, String why, ObjectNode document) {
        Set<ValidationMessage> errors = SchemaValidation.validate(type, document);
        assertFalse(errors.isEmpty(), why + " must be rejected");
    }

    @Test
    void shouldRejectImageWithBothDataAndRef() {
        ObjectNode doc = JSON.valueToTree(Samples.all().get(3));
        ((ObjectNode) doc.get("output").get("images").get(0)).put("ref", "s3://bucket/x");
        assertFalse(SchemaValidation.validate(EventType.JOB_RESULT, doc).isEmpty());
    }

    @Test
    void shouldAcceptUnknownFieldsForForwardCompatibility() throws Exception {
        ObjectNode doc = JSON.valueToTree(Samples.textJob());
        doc.put("added_in_v1_1", "ignored by v1 readers");
        assertValid(EventType.JOB_REQUEST, doc);
        JobRequest read = JSON.treeToValue(doc, JobRequest.class);
        assertEquals(Samples.textJob(), read);
    }

    private static Arguments invalid(EventType type, String why, java.util.function.Consumer<ObjectNode> mutation) {
        GenfleetPayload base = Samples.all().stream()
                .filter(p -> p.eventType() == type)
                .findFirst()
                .orElseThrow();
        ObjectNode doc = JSON.valueToTree(base);
        assertValid(type, doc);
        mutation.accept(doc);
        return Arguments.of(type, why, doc);
    }

    private static void assertValid(EventType type, JsonNode json) {
        Set<ValidationMessage> errors = SchemaValidation.validate(type, json);
        assertTrue(errors.isEmpty(), () -> type + " invalid: " + errors + "\n" + json.toPrettyString());
    }

    @Test
    void shouldShipOneSchemaPerEventTypeWithMatchingId() throws Exception {
        for (EventType type : EventType.values()) {
            try (var in = getClass()
                    .getClassLoader()
                    .getResourceAsStream(EventType.SCHEMA_RESOURCE_DIR + type.schemaFile())) {
                JsonNode schema = JSON.readTree(in);
                assertEquals(type.dataSchema().toString(), schema.get("$id").asText());
                assertEquals(
                        "https://json-schema.org/draft/2020-12/schema",
                        schema.get("$schema").asText());
            }
        }
        assertEquals(6, List.of(EventType.values()).size());
    }
}
