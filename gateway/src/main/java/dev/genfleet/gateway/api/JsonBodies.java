package dev.genfleet.gateway.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.genfleet.gateway.refusal.Refusal;
import dev.genfleet.gateway.refusal.Refused;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads request bodies ourselves rather than through JAX-RS binding, so every failure (oversize,
 * empty, bad UTF-8, malformed JSON, duplicate keys, trailing garbage) is a precise 4xx problem.
 */
public final class JsonBodies {

    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .build();

    static {
        STRICT.getFactory()
                .setStreamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(64)
                        .maxNumberLength(100)
                        .maxStringLength(5_000_000)
                        .build());
    }

    private JsonBodies() {}

    public static ObjectMapper mapper() {
        return STRICT;
    }

    /** Reads at most {@code maxBytes}; 413 beyond, 400 when empty or not JSON. */
    public static byte[] read(InputStream in, int maxBytes) {
        if (in == null) {
            throw Refused.malformed("request body is required");
        }
        try {
            byte[] bytes = in.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw new Refused(new Refusal.TooLarge("request body exceeds " + maxBytes + " bytes"));
            }
            return bytes;
        } catch (IOException e) {
            throw Refused.malformed("request body could not be read: " + e.getMessage());
        }
    }

    /** Parses a JSON object; 400 problem on anything else. */
    public static JsonNode object(byte[] bytes) {
        if (bytes.length == 0) {
            throw Refused.malformed("request body is required (a JSON object)");
        }
        JsonNode node;
        try {
            node = STRICT.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw Refused.malformed("malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw Refused.malformed("malformed JSON: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw Refused.malformed("request body must be a JSON object");
        }
        return node;
    }
}
