package dev.genfleet.schemas;

import java.time.Instant;
import java.util.Map;

/**
 * A job on {@code genfleet.jobs.<pool>.<priority>}: what the gateway accepted and a worker runs.
 *
 * @param campaignId null for a single job
 * @param customId the recipient's id within its campaign, or null
 * @param deadline the job becomes EXPIRED if no worker starts it before this instant; null = never
 * @param attempt 1 on submission; a worker's retries count up
 * @param webhookUrl where the gateway reports the outcome, or null
 */
public record JobRequest(
        String jobId,
        String tenant,
        String campaignId,
        String customId,
        String model,
        Priority priority,
        JobInput input,
        Instant submittedAt,
        Instant deadline,
        int attempt,
        String webhookUrl,
        Map<String, String> metadata)
        implements GenfleetPayload {

    public JobRequest {
        Checks.required("job_id", jobId);
        Checks.required("tenant", tenant);
        Checks.required("model", model);
        Checks.required("priority", priority);
        Checks.required("input", input);
        Checks.required("submitted_at", submittedAt);
        Checks.range("attempt", attempt, 1, 1000);
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    @Override
    public EventType eventType() {
        return EventType.JOB_REQUEST;
    }

    @Override
    public String subject() {
        return jobId;
    }

    public JobRequest withAttempt(int nextAttempt) {
        return new JobRequest(
                jobId,
                tenant,
                campaignId,
                customId,
                model,
                priority,
                input,
                submittedAt,
                deadline,
                nextAttempt,
                webhookUrl,
                metadata);
    }
}
