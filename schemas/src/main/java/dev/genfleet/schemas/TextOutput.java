package dev.genfleet.schemas;

import java.util.Objects;

/**
 * Generated text.
 *
 * @param finishReason {@code stop} (a stop sequence ended it) or {@code length} (max tokens)
 * @param quality what the checks found, when the job asked for checks (see {@link TextInput#checked()});
 *     null otherwise
 */
public record TextOutput(String text, String finishReason, int promptTokens, int completionTokens, CopyQuality quality)
        implements JobOutput {

    public TextOutput {
        Objects.requireNonNull(text, "text: required");
        Checks.required("finish_reason", finishReason);
    }

    public TextOutput(String text, String finishReason, int promptTokens, int completionTokens) {
        this(text, finishReason, promptTokens, completionTokens, null);
    }
}
