package dev.genfleet.schemas;

import java.time.Instant;
import java.util.List;

/**
 * A job record that could not be processed, on {@code genfleet.jobs.dlq}, with the original bytes
 * and headers so an operator can inspect or replay it.
 *
 * @param jobId null when the record was too broken to name its job
 * @param key the original Kafka key, or null
 * @param value the original record value, exactly as read
 */
public record DeadLetter(
        String jobId,
        String tenant,
        String sourceTopic,
        int sourcePartition,
        long sourceOffset,
        String key,
        byte[] value,
        List<OriginalHeader> headers,
        Reason reason,
        int attempts,
        Instant failedAt,
        String workerId)
        implements GenfleetPayload {

    public DeadLetter {
        Checks.required("source_topic", sourceTopic);
        Checks.required("reason", reason);
        Checks.required("failed_at", failedAt);
        headers = headers == null ? List.of() : List.copyOf(headers);
    }

    /** A Kafka header of the original record; the value is kept as bytes (base64 in JSON). */
    public record OriginalHeader(String name, byte[] value) {}

    @Override
    public EventType eventType() {
        return EventType.DEAD_LETTER;
    }

    @Override
    public String subject() {
        return jobId != null ? jobId : key != null ? key : sourceTopic + "-" + sourcePartition + "@" + sourceOffset;
    }
}
