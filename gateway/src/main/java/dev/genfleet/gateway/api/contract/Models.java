package dev.genfleet.gateway.api.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code GET /v1/models}. */
@Schema(name = "Models", description = "The models the fleet hosts")
public record Models(
        @Schema(required = true, description = "Every known model, by id")
        List<Model> models) {

    /** One model: its route and whether a worker serves it. */
    @Schema(name = "Model", description = "A model: where its jobs go and whether a worker is ready for them")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Model(
            @Schema(required = true, description = "The model id to submit jobs for", examples = "copy-gpt")
            String id,

            @Schema(
                    required = true,
                    description = "What the model generates",
                    enumeration = {"text", "image"},
                    examples = "text")
            String modality,

            @Schema(description = "The version a worker announced, once one did", examples = "1.0.0")
            String version,

            @Schema(required = true, description = "The worker pool (and jobs topic) that hosts it", examples = "text")
            String pool,

            @Schema(required = true, description = "Some worker announced it ready", examples = "true")
            boolean ready,

            @Schema(required = true, description = "Workers that announced it", minimum = "0", examples = "2")
            int workers) {}
}
