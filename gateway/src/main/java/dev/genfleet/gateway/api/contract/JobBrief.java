package dev.genfleet.gateway.api.contract;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What a copy is about, as data: strings of 1 to 200 characters, any letters, no control characters. */
@Schema(
        name = "JobBrief",
        description = "What to write about; a model trained on briefs (copywriter) takes it. Strings of 1 to 200"
                + " characters, any Unicode letters, no line breaks or other control characters")
public record JobBrief(
        @NotNull
        @Size(min = 1, max = JobLimits.MAX_BRIEF_FIELD)
        @Pattern(regexp = JobLimits.PLAIN_LINE)
        @Schema(required = true, description = "The product", examples = "Nimbus Pillow")
        String product,

        @NotNull
        @Size(min = 1, max = JobLimits.MAX_BRIEF_FIELD)
        @Pattern(regexp = JobLimits.PLAIN_LINE)
        @Schema(required = true, description = "Who it is for", examples = "light sleepers")
        String audience,

        @NotNull
        @Size(min = 1, max = JobLimits.MAX_BRIEF_FIELD)
        @Pattern(regexp = JobLimits.PLAIN_LINE)
        @Schema(required = true, description = "What it does for them", examples = "deeper sleep")
        String benefit,

        @Size(min = 1, max = JobLimits.MAX_BRIEF_FIELD)
        @Pattern(regexp = JobLimits.PLAIN_LINE)
        @Schema(
                description = "The one offer the copy may state (discounts, prices, codes, free shipping)",
                examples = "20% off your first order")
        String offer,

        @Size(min = 1, max = JobLimits.MAX_BRIEF_FIELD)
        @Pattern(regexp = JobLimits.PLAIN_LINE)
        @Schema(description = "The tone of voice", examples = "calm")
        String tone,

        @Size(min = 1, max = JobLimits.MAX_BRIEF_FIELD)
        @Pattern(regexp = JobLimits.PLAIN_LINE)
        @Schema(description = "The recipient's name, to greet", examples = "Søren")
        String name) {}
