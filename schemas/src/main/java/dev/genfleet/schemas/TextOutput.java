package dev.genfleet.schemas;

import java.util.Objects;

/**
 * Generated text.
 *
 * @param finishReason {@code stop} (a stop sequence ended it) or {@code length} (max tokens)
 */
public record TextOutput(String text, String finishReason, int promptTokens, int completionTokens)
        implements JobOutput {

    public TextOutput {
        Objects.requireNonNull(text, "text: required");
        Checks.required("finish_reason", finishReason);
    }
}
