package dev.genfleet.gateway.api.contract;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A job as {@code GET /v1/jobs/{id}} shows it; also the body of {@code POST /v1/jobs}, of a job's cancel, of the
 * SSE {@code end} event and the {@code data} of a {@code job.finished} webhook. Optional members are absent, never
 * null.
 */
@Schema(
        name = "Job",
        description = "A job: its status, timestamps, provenance (model, version, pool, seed, input hash) and its"
                + " output or error. Members without a value are left out.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Job(
        @Schema(
                required = true,
                description = "The job id: a UUID, or derived from (tenant, Idempotency-Key), or from"
                        + " (campaign, custom_id) for a campaign's job",
                examples = "0b6f3a52-4c1e-4f7e-9a52-2d1c8c0f5e11")
        String id,

        @Schema(
                required = true,
                description = "Where the job is in its lifecycle. FAILED may still be retried (terminal"
                        + " false); SUCCEEDED, REJECTED, CANCELLED, EXPIRED and DEAD_LETTERED are final",
                enumeration = {
                    "SUBMITTED",
                    "STARTED",
                    "FAILED",
                    "RETRIED",
                    "SUCCEEDED",
                    "REJECTED",
                    "CANCELLED",
                    "EXPIRED",
                    "DEAD_LETTERED"
                },
                examples = "SUCCEEDED")
        String status,

        @Schema(
                required = true,
                description = "True once the status is final: the job changes no more",
                examples = "true")
        boolean terminal,

        @Schema(description = "The model the job was submitted for", examples = "copy-gpt")
        String model,

        @JsonProperty("model_version")
        @Schema(description = "The version of the model that ran the job, once a worker reported it", examples = "1")
        String modelVersion,

        @Schema(description = "The worker pool that hosts the model", examples = "text")
        String pool,

        @Schema(
                description =
                        "The lane the job was queued in: interactive is served before bulk" + " (campaign traffic)",
                enumeration = {"interactive", "bulk"},
                examples = "interactive")
        String priority,

        @JsonProperty("campaign_id")
        @Schema(
                description = "The campaign the job belongs to, for a campaign's job",
                examples = "5f0c2d4e-8d3b-4b7a-a1c2-7e0f9b3d6a10")
        String campaignId,

        @JsonProperty("custom_id")
        @Schema(description = "The recipient's custom_id, for a campaign's job", examples = "customer-42")
        String customId,

        @Schema(
                required = true,
                description = "How many times a worker started the job (0 while queued)",
                minimum = "0",
                examples = "1")
        int attempts,

        @JsonProperty("submitted_at")
        @Schema(
                description = "When the gateway accepted the job (ISO-8601, UTC)",
                examples = "2025-03-01T10:15:25.123Z")
        Instant submittedAt,

        @JsonProperty("started_at")
        @Schema(
                description = "When a worker first started the job (ISO-8601, UTC)",
                examples = "2025-03-01T10:15:26.456Z")
        Instant startedAt,

        @JsonProperty("finished_at")
        @Schema(
                description = "When the job reached its final state (ISO-8601, UTC)",
                examples = "2025-03-01T10:15:27.789Z")
        Instant finishedAt,

        @JsonProperty("updated_at")
        @Schema(description = "When the status last changed (ISO-8601, UTC)", examples = "2025-03-01T10:15:27.789Z")
        Instant updatedAt,

        @Schema(
                description = "The generation seed: the client's, or derived from the job id (below 2^53);"
                        + " the same seed and input give the same output",
                examples = "4242")
        Long seed,

        @JsonProperty("input_sha256")
        @Schema(
                description = "SHA-256 (lowercase hex) of the job's input as the worker receives it",
                pattern = "^[0-9a-f]{64}$",
                examples = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
        String inputSha256,

        @JsonProperty("output_sha256")
        @Schema(
                description = "SHA-256 (lowercase hex) of the output, once a worker's result was read",
                pattern = "^[0-9a-f]{64}$",
                examples = "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752")
        String outputSha256,

        @JsonProperty("worker_id")
        @Schema(description = "The worker that produced the result", examples = "worker-text-0")
        String workerId,

        @Schema(description = "Why the job failed or was refused; absent when it did not")
        JobError error,

        @Schema(description = "The output, once the job succeeded (text inline, images as links)")
        Output output,

        @Schema(required = true, description = "Where to read the job, its output and events, and cancel it")
        Links links) {

    /** The same job, shown with another status (a cancel the gateway decided before any worker started it). */
    public Job withStatus(String newStatus, boolean newTerminal) {
        return new Job(
                id,
                newStatus,
                newTerminal,
                model,
                modelVersion,
                pool,
                priority,
                campaignId,
                customId,
                attempts,
                submittedAt,
                startedAt,
                finishedAt,
                updatedAt,
                seed,
                inputSha256,
                outputSha256,
                workerId,
                error,
                output,
                links);
    }

    /** The job's own URLs. */
    @Schema(name = "JobLinks", description = "The job's URLs, relative to the gateway")
    public record Links(
            @Schema(
                    required = true,
                    description = "This job",
                    examples = "/v1/jobs/0b6f3a52-4c1e-4f7e-9a52-2d1c8c0f5e11")
            String self,

            @Schema(
                    required = true,
                    description = "The output itself (text/plain or image/png; ?index=n for an image)",
                    examples = "/v1/jobs/0b6f3a52-4c1e-4f7e-9a52-2d1c8c0f5e11/output")
            String output,

            @Schema(
                    required = true,
                    description = "Server-Sent Events of the job's lifecycle",
                    examples = "/v1/jobs/0b6f3a52-4c1e-4f7e-9a52-2d1c8c0f5e11/events")
            String events,

            @Schema(
                    required = true,
                    description = "POST here to cancel the job",
                    examples = "/v1/jobs/0b6f3a52-4c1e-4f7e-9a52-2d1c8c0f5e11/cancel")
            String cancel) {

        public static Links of(String jobId) {
            String self = "/v1/jobs/" + jobId;
            return new Links(self, self + "/output", self + "/events", self + "/cancel");
        }
    }
}
