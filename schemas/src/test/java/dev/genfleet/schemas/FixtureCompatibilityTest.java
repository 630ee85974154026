package dev.genfleet.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Committed v1 bytes must stay readable, and what we write today must equal them (golden files). */
class FixtureCompatibilityTest {

    private final EventCodec codec = EventCodec.forComponent("test");

    static List<String> names() {
        return Fixtures.NAMES;
    }

    @ParameterizedTest
    @MethodSource("names")
    void shouldReadCommittedV1RecordAndWriteTheSameJson(String name) throws Exception {
        byte[] value = Fixtures.value(name);
        String type = new String(Fixtures.headers(name).lastHeader("ce_type").value());
        EventType kind = java.util.Arrays.stream(EventType.values())
                .filter(t -> t.accepts(type))
                .findFirst()
                .orElseThrow();

        Decoded<? extends GenfleetPayload> decoded = codec.decode(Fixtures.headers(name), value, kind.payloadType());

        Decoded.Ok<? extends GenfleetPayload> ok =
                assertInstanceOf(Decoded.Ok.class, decoded, () -> name + ": " + decoded);
        assertEquals(
                Samples.all().get(Fixtures.NAMES.indexOf(name)).subject(),
                ok.payload().subject());
        assertEquals(
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                ok.trace().traceparent());
        JsonNode golden = Json.mapper().readTree(value);
        assertEquals(
                golden,
                Json.mapper().readTree(Json.mapper().writeValueAsBytes(ok.payload())),
                name + ": today's JSON differs from the committed v1 bytes");
        assertTrue(SchemaValidation.validate(kind, golden).isEmpty(), name + " no longer valid against its schema");
    }

    @ParameterizedTest
    @MethodSource("names")
    void shouldIgnoreFieldsAddedByANewerMinorVersion(String name) throws Exception {
        ObjectNode newer = (ObjectNode) Json.mapper().readTree(Fixtures.value(name));
        newer.put("priority_hint", 3).putObject("added_object").put("x", 1);
        String type = new String(Fixtures.headers(name).lastHeader("ce_type").value());
        EventType kind = java.util.Arrays.stream(EventType.values())
                .filter(t -> t.accepts(type))
                .findFirst()
                .orElseThrow();

        Decoded<? extends GenfleetPayload> decoded =
                codec.decode(Fixtures.headers(name), Json.mapper().writeValueAsBytes(newer), kind.payloadType());

        assertInstanceOf(Decoded.Ok.class, decoded, () -> name + ": " + decoded);
    }
}
