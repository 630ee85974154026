package dev.genfleet.gateway.api.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A campaign as {@code GET /v1/campaigns/{id}} shows it: its upload's state and its jobs' counts. */
@Schema(
        name = "Campaign",
        description = "A campaign: the state of its upload and how many of its jobs are in each state. Members"
                + " without a value are left out.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Campaign(
        @Schema(
                required = true,
                description = "The campaign id (derived from (tenant, Idempotency-Key) when one was sent)",
                examples = "5f0c2d4e-8d3b-4b7a-a1c2-7e0f9b3d6a10")
        String id,

        @Schema(description = "The campaign's name from its header", examples = "winter sale")
        String name,

        @Schema(
                required = true,
                description = "UPLOADING (the upload is still streaming), INCOMPLETE (never sealed; accepted"
                        + " says how many were published), RUNNING, or FINISHED (sealed and every job final)",
                enumeration = {"UPLOADING", "INCOMPLETE", "RUNNING", "FINISHED"},
                examples = "RUNNING")
        String status,

        @Schema(
                description = "Whether the whole upload was read and every recipient acknowledged by Kafka;"
                        + " absent for a campaign the view has no upload state of",
                examples = "true")
        Boolean sealed,

        @Schema(description = "The final recipient count, once sealed", minimum = "0", examples = "1000")
        Long recipients,

        @Schema(description = "Recipients published so far, while not sealed", minimum = "0", examples = "250")
        Long accepted,

        @Schema(required = true, description = "The campaign's jobs by state")
        Counts counts,

        @Schema(required = true, description = "Where to read the results and cancel the campaign")
        Links links) {

    /** Every bucket, zeros included. */
    @Schema(name = "CampaignCounts", description = "The campaign's jobs by state; every bucket, zeros included")
    public record Counts(
            @Schema(required = true, description = "Jobs in all states", minimum = "0", examples = "1000")
            long total,

            @Schema(required = true, description = "Submitted, not yet started", minimum = "0", examples = "600")
            long queued,

            @Schema(required = true, description = "Started by a worker, not yet final", minimum = "0", examples = "16")
            long running,

            @Schema(required = true, description = "Finished with output", minimum = "0", examples = "380")
            long succeeded,

            @Schema(
                    required = true,
                    description = "Failed for good (also dead-lettered)",
                    minimum = "0",
                    examples = "1")
            long failed,

            @Schema(
                    required = true,
                    description = "Refused recipients (template, policy, quota, malformed line)",
                    minimum = "0",
                    examples = "3")
            long rejected,

            @Schema(required = true, description = "Cancelled before a result", minimum = "0", examples = "0")
            long cancelled,

            @Schema(
                    required = true,
                    description = "Expired before a worker started them",
                    minimum = "0",
                    examples = "0")
            long expired) {

        /** From the view's buckets with their total ({@code status.CampaignCounts#withTotal}). */
        public static Counts of(Map<String, Long> withTotal) {
            return new Counts(
                    withTotal.getOrDefault("total", 0L),
                    withTotal.getOrDefault("queued", 0L),
                    withTotal.getOrDefault("running", 0L),
                    withTotal.getOrDefault("succeeded", 0L),
                    withTotal.getOrDefault("failed", 0L),
                    withTotal.getOrDefault("rejected", 0L),
                    withTotal.getOrDefault("cancelled", 0L),
                    withTotal.getOrDefault("expired", 0L));
        }
    }

    @Schema(name = "CampaignLinks", description = "The campaign's URLs, relative to the gateway")
    public record Links(
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
            return new Links(self + "/results", self + "/cancel");
        }
    }
}
