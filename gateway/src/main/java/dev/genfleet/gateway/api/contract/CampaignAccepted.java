package dev.genfleet.gateway.api.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The 202 of {@code POST /v1/campaigns}: the upload was read whole, every recipient acknowledged, and it is sealed. */
@Schema(
        name = "CampaignAccepted",
        description = "A sealed campaign upload: what was read, queued and rejected. Members without a value are left"
                + " out.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CampaignAccepted(
        @Schema(
                required = true,
                description = "The campaign id (derived from (tenant, Idempotency-Key) when one was sent)",
                examples = "5f0c2d4e-8d3b-4b7a-a1c2-7e0f9b3d6a10")
        String id,

        @Schema(required = true, description = "The campaign's name from its header", examples = "winter sale")
        String name,

        @Schema(
                required = true,
                description = "Always ACCEPTED: the upload is sealed (GET /v1/campaigns/{id} tells how its jobs go)",
                enumeration = "ACCEPTED",
                examples = "ACCEPTED")
        String status,

        @Schema(
                required = true,
                description = "Always true: the whole body was read and acknowledged",
                examples = "true")
        boolean sealed,

        @Schema(required = true, description = "Recipients read from the body", minimum = "0", examples = "1000")
        long recipients,

        @Schema(required = true, description = "Recipients that became queued jobs", minimum = "0", examples = "997")
        long queued,

        @Schema(
                required = true,
                description = "Recipients that became no job (template, policy, quota, malformed line)",
                minimum = "0",
                examples = "3")
        long rejected,

        @Schema(description = "Recipients beyond limits.max-recipients, not read", minimum = "1", examples = "20")
        Long ignored,

        @JsonProperty("ignored_reason")
        @Schema(description = "Why recipients were ignored", examples = "more than 100000 recipients")
        String ignoredReason,

        @Schema(required = true, description = "The first 100 rejected recipients; empty on a replay", maxItems = 100)
        List<Rejection> rejections,

        @Schema(
                required = true,
                description = "SHA-256 (hex) of the whole request body; a retry must send the same",
                pattern = "^[0-9a-f]{64}$",
                examples = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
        String digest,

        @Schema(required = true, description = "The campaign's URLs")
        Links links) {

    /** The status of every accepted campaign. */
    public static final String ACCEPTED = "ACCEPTED";

    /** A recipient that became no job. */
    @Schema(name = "CampaignRejection", description = "A recipient that became no job, and why")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Rejection(
            @Schema(required = true, description = "Its line in the upload (1-based)", minimum = "1", examples = "7")
            long line,

            @JsonProperty("custom_id")
            @Schema(description = "Its custom_id, when the line had a readable one", examples = "r-7")
            String customId,

            @JsonProperty("job_id")
            @Schema(
                    required = true,
                    description = "The id its REJECTED job is recorded under",
                    examples = "0b8e7c2a-4f5d-5e6a-9b7c-8d9e0f1a2b3c")
            String jobId,

            @Schema(required = true, description = "Why: a reason code", examples = "TEMPLATE_MISSING_VARIABLE")
            String code,

            @Schema(
                    required = true,
                    description = "Why, in words",
                    examples = "variable 'first_name' (template.prompt) is neither in vars nor in params")
            String message) {}

    @Schema(name = "CampaignAcceptedLinks", description = "The campaign's URLs, relative to the gateway")
    public record Links(
            @Schema(
                    required = true,
                    description = "GET here for the campaign's state",
                    examples = "/v1/campaigns/5f0c2d4e-8d3b-4b7a-a1c2-7e0f9b3d6a10")
            String self,

            @Schema(
                    required = true,
                    description = "NDJSON, one line per recipient",
                    examples = "/v1/campaigns/5f0c2d4e-8d3b-4b7a-a1c2-7e0f9b3d6a10/results")
            String results,

            @Schema(
                    required = true,
                    description = "POST here to cancel every unfinished job",
                    examples = "/v1/campaigns/5f0c2d4e-8d3b-4b7a-a1c2-7e0f9b3d6a10/cancel")
            String cancel) {

        public static Links of(String campaignId) {
            String self = "/v1/campaigns/" + campaignId;
            return new Links(self, self + "/results", self + "/cancel");
        }
    }
}
