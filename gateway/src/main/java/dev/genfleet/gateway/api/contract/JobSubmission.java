package dev.genfleet.gateway.api.contract;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of {@code POST /v1/jobs}. The bounds are those {@code submit/JobParser} enforces, which also refuses
 * unknown members; {@code RequestContractTest} holds the two together.
 */
@Schema(
        name = "JobSubmission",
        description = "A job to run. Unknown members are refused (422), so a typo is not" + " silently a default.")
public record JobSubmission(
        @NotNull
        @Size(min = 1, max = 200)
        @Schema(
                required = true,
                description = "The model to run; GET /v1/models lists them",
                minLength = 1,
                maxLength = 200,
                examples = "copy-gpt")
        String model,

        @NotNull
        @Schema(
                required = true,
                description = "What to generate: a TextJobInput for a text model, an ImageJobInput for an image model"
                        + " (the model's modality decides)",
                oneOf = {TextJobInput.class, ImageJobInput.class})
        Object input,

        @Pattern(regexp = "^(interactive|bulk)$")
        @Schema(
                description = "interactive jobs are served before bulk ones",
                enumeration = {"interactive", "bulk"},
                defaultValue = "interactive",
                examples = "interactive")
        String priority,

        @JsonProperty("ttl_seconds")
        @Min(1)
        @Max(JobLimits.MAX_TTL_SECONDS)
        @Schema(
                description = "Seconds until the job expires unless a worker started it",
                minimum = "1",
                maximum = "604800",
                examples = "3600")
        Long ttlSeconds,

        @Valid @Schema(description = "Where the outcome is delivered (job.finished)")
        WebhookTarget webhook,

        @Size(max = 32)
        @Schema(
                description = "Up to 32 entries, keys of 1 to 64 characters, string (or number, boolean) values of"
                        + " at most 512 characters; kept with the job",
                maxProperties = 32,
                examples = "{\"order\": \"A-1042\"}")
        Map<String, @Size(max = 512) String> metadata) {}
