package dev.genfleet.schemas;

import java.time.Instant;

/**
 * A worker announcing a model it hosts, on the compacted {@code genfleet.models} topic
 * (key = {@code workerId/model}). {@code ready=false} is announced when the worker drains.
 */
public record ModelAnnouncement(
        String workerId,
        String pool,
        String model,
        String version,
        String modality,
        String device,
        boolean ready,
        int maxBatchSize,
        Instant announcedAt)
        implements GenfleetPayload {

    public ModelAnnouncement {
        Checks.required("worker_id", workerId);
        Checks.required("pool", pool);
        Checks.required("model", model);
        Checks.required("version", version);
        Checks.required("modality", modality);
        Checks.required("announced_at", announcedAt);
    }

    @Override
    public EventType eventType() {
        return EventType.MODEL_ANNOUNCEMENT;
    }

    @Override
    public String subject() {
        return workerId + "/" + model;
    }

    @Override
    public String tenant() {
        return null;
    }
}
