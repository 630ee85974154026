package dev.genfleet.gateway.api.contract;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.genfleet.schemas.CopyQuality;
import dev.genfleet.schemas.TextInput;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What the worker's checks found in a text output (a checked job's only). */
@Schema(
        name = "Quality",
        description = "What the worker's checks found in the copy; present only when the job asked for checks"
                + " (a brief, require or forbid_unstated_offers)")
public record Quality(
        @Schema(required = true, description = "Every check held", examples = "true")
        boolean passed,

        @JsonProperty("required_missing")
        @Schema(required = true, description = "The required strings the output lacks", examples = "[]")
        List<String> requiredMissing,

        @JsonProperty("unstated_offers")
        @Schema(
                required = true,
                description = "Offer claims (discount, percentage, price, promo code, free shipping) the"
                        + " brief does not state, as they appear in the output",
                examples = "[]")
        List<String> unstatedOffers,

        @JsonProperty("unknown_word_ratio")
        @Schema(
                required = true,
                description = "Words neither in the English word list nor in the brief, over all words",
                minimum = "0",
                maximum = "1",
                examples = "0.04")
        double unknownWordRatio,

        @Schema(
                required = true,
                description = "How many candidates the worker drew (1 when the first passed)",
                minimum = "1",
                maximum = "" + TextInput.MAX_BEST_OF,
                examples = "1")
        int candidates) {

    /** The body of a check's findings, or null for an unchecked job. */
    public static Quality of(CopyQuality q) {
        return q == null
                ? null
                : new Quality(
                        q.passed(), q.requiredMissing(), q.unstatedOffers(), q.unknownWordRatio(), q.candidates());
    }
}
