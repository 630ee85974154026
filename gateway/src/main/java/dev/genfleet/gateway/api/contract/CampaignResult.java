package dev.genfleet.gateway.api.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** One line of {@code GET /v1/campaigns/{id}/results} (NDJSON): a recipient's job and what it produced. */
@Schema(
        name = "CampaignResult",
        description = "One NDJSON line per recipient: its job, status, and output or error. Members without a value"
                + " are left out.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CampaignResult(
        @JsonProperty("custom_id") @Schema(description = "The recipient's custom_id", examples = "customer-42")
        String customId,

        @JsonProperty("job_id")
        @Schema(required = true, description = "The recipient's job", examples = "0b6f3a52-4c1e-4f7e-9a52-2d1c8c0f5e11")
        String jobId,

        @JsonInclude(JsonInclude.Include.ALWAYS)
        @Schema(required = true, description = "The job's status (as in GET /v1/jobs/{id})", examples = "SUCCEEDED")
        String status,

        @Schema(description = "The generated text, for a text job with output", examples = "Hi Ada, meet the Trail 2.")
        String output,

        @Schema(description = "What the checks found; only for a checked job")
        Quality quality,

        @Schema(description = "Why the job failed or was refused")
        JobError error) {}
