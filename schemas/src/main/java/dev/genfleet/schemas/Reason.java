package dev.genfleet.schemas;

import java.util.Objects;

/**
 * Why something failed or was refused: a stable machine code (e.g. {@code POLICY_DENY_TERM},
 * {@code MALFORMED_RECORD}, {@code MODEL_ERROR}) and a human message.
 */
public record Reason(String code, String message) {

    public Reason {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    public static Reason of(String code, String message) {
        return new Reason(code, message);
    }
}
