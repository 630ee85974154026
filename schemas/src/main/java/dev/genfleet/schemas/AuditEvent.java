package dev.genfleet.schemas;

import java.time.Instant;
import java.util.Map;

/**
 * One lifecycle transition of a job, append-only on {@code genfleet.audit} (key = job id).
 *
 * @param actor who caused it: {@code gateway}, a worker id, or {@code tenant:<id>} for a client action
 * @param inputSha256 hash of the rendered model input, lowercase hex
 * @param outputSha256 hash of the output bytes, lowercase hex
 * @param details small extra facts (durations, batch size, webhook status, …)
 */
public record AuditEvent(
        String eventId,
        AuditType type,
        String jobId,
        String campaignId,
        String customId,
        String tenant,
        String actor,
        Instant time,
        String model,
        String modelVersion,
        Long seed,
        String inputSha256,
        String outputSha256,
        int attempt,
        Reason reason,
        String workerId,
        Long durationMs,
        Map<String, String> details)
        implements GenfleetPayload {

    public AuditEvent {
        Checks.required("event_id", eventId);
        Checks.required("type", type);
        Checks.required("job_id", jobId);
        Checks.required("tenant", tenant);
        Checks.required("actor", actor);
        Checks.required("time", time);
        Checks.range("attempt", attempt, 0, 1000);
        details = details == null ? Map.of() : Map.copyOf(details);
    }

    @Override
    public EventType eventType() {
        return EventType.AUDIT_EVENT;
    }

    @Override
    public String subject() {
        return jobId;
    }
}
