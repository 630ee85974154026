package dev.genfleet.schemas;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The provenance hashes of the audit log, defined once so that gateway and worker agree: lowercase
 * hex SHA-256 of the input's contract JSON, and of the output (text as UTF-8; images as the
 * concatenation of their own sha256 hex digests, in order).
 */
public final class Hashes {

    private Hashes() {}

    public static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    public static String inputSha256(JobInput input) {
        try {
            return sha256Hex(Json.mapper().writeValueAsBytes(input));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("input cannot be written as JSON", e);
        }
    }

    public static String outputSha256(JobOutput output) {
        if (output instanceof TextOutput text) {
            return sha256Hex(text.text().getBytes(StandardCharsets.UTF_8));
        }
        StringBuilder digests = new StringBuilder();
        ((ImageOutput) output).images().forEach(image -> digests.append(image.sha256()));
        return sha256Hex(digests.toString().getBytes(StandardCharsets.US_ASCII));
    }
}
