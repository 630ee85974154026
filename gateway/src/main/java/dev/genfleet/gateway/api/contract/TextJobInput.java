package dev.genfleet.gateway.api.contract;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The input of a text job. {@code prompt} is required unless there is a {@code brief} (a rule across fields). */
@Schema(
        name = "TextJobInput",
        description = "The input of a text model: a free prompt, a brief, or both, with generation settings and the"
                + " checks the worker applies to the copy. prompt is required unless there is a brief.")
public record TextJobInput(
        @Size(min = 1, max = 8000)
        @Schema(
                description = "The text to continue (with a brief: how the copy opens); at most"
                        + " limits.max-prompt-chars characters (8000 unless configured)",
                minLength = 1,
                maxLength = 8000,
                examples = "Hi Maria, ")
        String prompt,

        @JsonProperty("max_tokens")
        @Min(1)
        @Max(JobLimits.MAX_TOKENS)
        @Schema(description = "Tokens to generate at most", defaultValue = "256", examples = "80")
        Integer maxTokens,

        @DecimalMin("0.0")
        @DecimalMax("5.0")
        @Schema(description = "Sampling temperature", defaultValue = "1", examples = "0.8")
        Double temperature,

        @JsonProperty("top_k")
        @Min(0)
        @Max(100_000)
        @Schema(description = "Sample from the k likeliest tokens; 0: all", defaultValue = "0", examples = "40")
        Integer topK,

        @JsonProperty("top_p")
        @DecimalMin("0.0")
        @DecimalMax("1.0")
        @Schema(description = "Nucleus sampling mass", defaultValue = "1", examples = "0.95")
        Double topP,

        @Size(max = JobLimits.MAX_STOP_SEQUENCES)
        @Schema(
                description = "Strings (1 to 200 characters) that end the output",
                maxItems = JobLimits.MAX_STOP_SEQUENCES,
                examples = "[\"\\n\"]")
        List<@Size(min = 1, max = 200) String> stop,

        @Schema(
                description = "The sampling seed; when absent, derived from the job id (below 2^53) and returned",
                examples = "42")
        Long seed,

        @Valid @Schema(description = "What to write about, as data")
        JobBrief brief,

        @Size(max = JobLimits.MAX_REQUIRED)
        @Schema(
                description = "Strings the output must contain verbatim; default: the brief's product and name; []"
                        + " checks none",
                maxItems = JobLimits.MAX_REQUIRED,
                examples = "[\"Nimbus Pillow\", \"Søren\"]")
        List<@Size(min = 1, max = JobLimits.MAX_BRIEF_FIELD) @Pattern(regexp = JobLimits.PLAIN_LINE) String> require,

        @JsonProperty("forbid_unstated_offers")
        @Schema(
                description = "No discount, percentage, price, promo code or free-shipping claim the brief's offer"
                        + " does not state; default true with a brief",
                examples = "true")
        Boolean forbidUnstatedOffers,

        @JsonProperty("best_of")
        @Min(1)
        @Max(JobLimits.MAX_TEXT_BEST_OF)
        @Schema(
                description = "Candidates the worker draws until one passes the checks",
                defaultValue = "1",
                examples = "4")
        Integer bestOf,

        @Pattern(regexp = "^(strict|best_effort)$")
        @Schema(
                description = "strict: no passing candidate fails the job (QUALITY_CHECK_FAILED); best_effort: the"
                        + " best candidate, output.quality.passed false",
                enumeration = {"strict", "best_effort"},
                defaultValue = "strict",
                examples = "strict")
        String quality) {}
