package dev.genfleet.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.genfleet.gateway.api.contract.Quality;
import dev.genfleet.gateway.status.JobView;
import dev.genfleet.schemas.CopyQuality;
import dev.genfleet.schemas.ImageArtifact;
import dev.genfleet.schemas.ImageOutput;
import dev.genfleet.schemas.Json;
import dev.genfleet.schemas.Reason;
import dev.genfleet.schemas.TextOutput;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The typed job body ({@code api.contract.Job}) is the JSON clients read before it was typed: the fixtures under
 * {@code api/job-bodies/} were written by the earlier map-based {@code JobJson}, and every mapper that writes a job
 * (the REST layer's, the webhooks' {@code schemas.Json}) writes the same tree.
 */
class JobBodyTest {

    /** The REST layer's mapper as {@code application.properties} configures Quarkus' (snake_case, non_null). */
    static final ObjectMapper REST = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .build();

    static final String SHA = "a".repeat(64);
    static final Instant T = Instant.parse("2025-03-01T10:15:30.123456789Z");

    static JobView view(String name) {
        return switch (name) {
            case "text" ->
                new JobView(
                        "job-1",
                        "tenant-a",
                        "camp-1",
                        "c-7",
                        "copy-gpt",
                        "3",
                        "text",
                        "bulk",
                        "SUCCEEDED",
                        true,
                        T,
                        T.minusSeconds(5),
                        T.minusSeconds(2),
                        T,
                        2,
                        9007199254740991L,
                        SHA,
                        SHA,
                        "req",
                        null,
                        new TextOutput(
                                "Hello there",
                                "stop",
                                12,
                                34,
                                new CopyQuality(false, List.of("Acme"), List.of("20% off"), 0.125, 3)),
                        "worker-9",
                        List.of(),
                        "worker",
                        true,
                        true,
                        null,
                        null);
            case "image" ->
                new JobView(
                        "job-2",
                        "tenant-a",
                        null,
                        null,
                        "banner-gan",
                        null,
                        "image",
                        "interactive",
                        "SUCCEEDED",
                        true,
                        T,
                        T,
                        null,
                        T,
                        1,
                        7L,
                        SHA,
                        null,
                        null,
                        null,
                        new ImageOutput(List.of(
                                new ImageArtifact("image/png", SHA, 64, 32, 11L, 0.5, new byte[] {1, 2}, null),
                                new ImageArtifact("image/png", SHA, 64, 32, 12L, null, null, "s3://bucket/x.png"))),
                        null,
                        List.of(),
                        null,
                        false,
                        true,
                        null,
                        null);
            case "rejected" ->
                new JobView(
                        "job-3",
                        "tenant-a",
                        null,
                        null,
                        "copy-gpt",
                        null,
                        null,
                        null,
                        "REJECTED",
                        true,
                        T,
                        null,
                        null,
                        T,
                        0,
                        null,
                        null,
                        null,
                        null,
                        new Reason("POLICY_DENY_TERM", "no"),
                        null,
                        null,
                        List.of(),
                        "gateway",
                        false,
                        false,
                        null,
                        null);
            case "fresh" ->
                new JobView(
                        "job-4",
                        "tenant-a",
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        false,
                        null,
                        null,
                        null,
                        null,
                        0,
                        null,
                        null,
                        null,
                        null,
                        null,
                        new TextOutput("x", "length", 1, 2),
                        null,
                        List.of(),
                        null,
                        false,
                        false,
                        null,
                        null);
            default -> throw new IllegalArgumentException(name);
        };
    }

    static JsonNode fixture(String name) throws IOException {
        try (InputStream in = JobBodyTest.class.getResourceAsStream("/api/job-bodies/" + name + ".json")) {
            return Json.mapper().readTree(in);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"text", "image", "rejected", "fresh"})
    void shouldWriteTheJobAsTheMapBasedBodyDid(String name) throws IOException {
        JsonNode expected = fixture(name);
        assertEquals(expected, written(REST, JobJson.of(view(name))), "REST body of " + name);
        assertEquals(expected, written(Json.mapper(), JobJson.of(view(name))), "webhook data of " + name);
    }

    @Test
    void shouldWriteQualityTheSameWithTheStrictMapperOfTheNdjsonLines() throws IOException {
        Quality q = Quality.of(new CopyQuality(false, List.of("Acme"), List.of("20% off"), 0.125, 3));
        assertEquals(fixture("quality"), written(JsonBodies.mapper(), q));
        assertEquals(fixture("quality"), written(REST, q));
    }

    /** What a client reads: the bytes the mapper wrote, parsed again (so 7 is 7 whether it was an int or a long). */
    static JsonNode written(ObjectMapper mapper, Object body) throws IOException {
        return Json.mapper().readTree(mapper.writeValueAsBytes(body));
    }
}
