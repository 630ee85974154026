package dev.genfleet.schemas;

/**
 * Every record that travels on a genfleet topic. The codec reads the CloudEvent attributes from
 * here: {@code subject} (the job id, or what the record is about) and the {@code tenant} extension.
 */
public sealed interface GenfleetPayload
        permits JobRequest, JobResult, AuditEvent, ControlCommand, DeadLetter, ModelAnnouncement {

    /** CloudEvent subject and the Kafka key. */
    String subject();

    /** Tenant the record belongs to; null only for fleet-wide records. */
    String tenant();

    /** Which payload kind this is (Java 17 has no pattern switch over sealed types). */
    EventType eventType();
}
