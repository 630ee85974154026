package dev.genfleet.schemas;

import java.time.Instant;

/**
 * The one visible result of a job on the compacted {@code genfleet.results} topic (key = job id).
 *
 * @param output set when {@code status} is SUCCEEDED
 * @param error set otherwise
 * @param runtime the tuple the output's bits depend on (weights, engine, device, ISA, CPU, threads); set by
 *     workers on every result they write, null on results the gateway writes (rejections, early cancels)
 */
public record JobResult(
        String jobId,
        String tenant,
        String campaignId,
        String customId,
        JobStatus status,
        String model,
        String modelVersion,
        JobOutput output,
        Reason error,
        int attempt,
        Instant startedAt,
        Instant finishedAt,
        String workerId,
        RuntimeFingerprint runtime)
        implements GenfleetPayload {

    /** A result without a runtime fingerprint (written by the gateway, or by a worker that predates it). */
    public JobResult(
            String jobId,
            String tenant,
            String campaignId,
            String customId,
            JobStatus status,
            String model,
            String modelVersion,
            JobOutput output,
            Reason error,
            int attempt,
            Instant startedAt,
            Instant finishedAt,
            String workerId) {
        this(
                jobId,
                tenant,
                campaignId,
                customId,
                status,
                model,
                modelVersion,
                output,
                error,
                attempt,
                startedAt,
                finishedAt,
                workerId,
                null);
    }

    public JobResult {
        Checks.required("job_id", jobId);
        Checks.required("tenant", tenant);
        Checks.required("status", status);
        Checks.required("finished_at", finishedAt);
        if (status == JobStatus.SUCCEEDED && output == null) {
            throw new IllegalArgumentException("output: required when status is SUCCEEDED");
        }
        if (status != JobStatus.SUCCEEDED && error == null) {
            throw new IllegalArgumentException("error: required when status is " + status);
        }
    }

    @Override
    public EventType eventType() {
        return EventType.JOB_RESULT;
    }

    @Override
    public String subject() {
        return jobId;
    }
}
