package dev.genfleet.gateway.api.contract;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The input of an image job. {@code best_of} must be at least {@code count} (a rule across fields). */
@Schema(name = "ImageJobInput", description = "The input of an image model; best_of must be at least count")
public record ImageJobInput(
        @Schema(
                description = "The sampling seed; when absent, derived from the job id (below 2^53) and returned",
                examples = "7")
        Long seed,

        @Min(1)
        @Max(JobLimits.MAX_IMAGE_COUNT)
        @Schema(description = "Images to return", defaultValue = "1", examples = "2")
        Integer count,

        @Size(min = 1, max = 100) @Schema(description = "A style the model knows", examples = "flat")
        String style,

        @JsonProperty("best_of")
        @Min(1)
        @Max(JobLimits.MAX_IMAGE_BEST_OF)
        @Schema(description = "Candidates to draw, the best count returned; default count", examples = "4")
        Integer bestOf,

        @Min(8) @Max(1024) @Schema(description = "Width and height in pixels; default the model's", examples = "64")
        Integer size) {}
