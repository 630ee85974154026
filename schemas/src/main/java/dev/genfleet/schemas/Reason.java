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

    /**
     * A reason with a free code: for codecs and readers that copy a code they were given. A component's own
     * reasons come from {@link ReasonCode#reason(String)}.
     */
    public static Reason of(String code, String message) {
        return new Reason(code, message);
    }

    /** The same code with another message (a retry summary, a truncated text). */
    public Reason withMessage(String otherMessage) {
        return new Reason(code, otherMessage);
    }
}
