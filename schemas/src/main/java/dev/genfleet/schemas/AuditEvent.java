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
 *     <p>Write events with the factory of their kind ({@link #submitted}, {@link #started}, {@link
 *     #deadLettered}, …): each fills exactly the fields its kind carries. The canonical constructor stays
 *     for the codec and for fixtures that set every field.
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

    /** The job an event is about: the identity fields every job event copies from the job. */
    public record Subject(String jobId, String campaignId, String customId, String tenant, String model, Long seed) {

        /** The subject of a job request. */
        public static Subject of(JobRequest job) {
            return new Subject(
                    job.jobId(),
                    job.campaignId(),
                    job.customId(),
                    job.tenant(),
                    job.model(),
                    job.input() == null ? null : job.input().seed());
        }
    }

    // ---- the gateway's events ---------------------------------------------------------------------

    /** The gateway accepted the job and published its request ({@code attempt} is the request's). */
    public static AuditEvent submitted(
            String eventId,
            Subject job,
            String actor,
            Instant at,
            String inputSha256,
            int attempt,
            Map<String, String> details) {
        return of(
                eventId,
                AuditType.SUBMITTED,
                job,
                actor,
                at,
                null,
                inputSha256,
                null,
                attempt,
                null,
                null,
                null,
                details);
    }

    /** The gateway refused the job before publishing it (attempt 0: it never ran). */
    public static AuditEvent rejected(
            String eventId,
            Subject job,
            String actor,
            Instant at,
            String inputSha256,
            Reason reason,
            Map<String, String> details) {
        return of(eventId, AuditType.REJECTED, job, actor, at, null, inputSha256, null, 0, reason, null, null, details);
    }

    /** A client cancelled the job ({@code actor} = {@code tenant:<id>}). */
    public static AuditEvent cancelled(
            String eventId, Subject job, String actor, Instant at, int attempt, Reason reason) {
        return of(eventId, AuditType.CANCELLED, job, actor, at, null, null, null, attempt, reason, null, null, null);
    }

    /** An operator re-submitted a dead-lettered job as {@code attempt}; details name the dead letter. */
    public static AuditEvent redriven(
            String eventId, JobRequest job, String actor, Instant at, int attempt, Map<String, String> details) {
        return of(
                eventId,
                AuditType.REDRIVEN,
                Subject.of(job),
                actor,
                at,
                null,
                Hashes.inputSha256(job.input()),
                null,
                attempt,
                null,
                null,
                null,
                details);
    }

    /** One webhook delivery attempt: delivered when {@code reason} is null, failed otherwise. */
    public static AuditEvent webhook(
            String eventId,
            Subject job,
            String actor,
            Instant at,
            String modelVersion,
            int attempt,
            Reason reason,
            Long durationMs,
            Map<String, String> details) {
        AuditType type = reason == null ? AuditType.WEBHOOK_DELIVERED : AuditType.WEBHOOK_FAILED;
        return of(eventId, type, job, actor, at, modelVersion, null, null, attempt, reason, null, durationMs, details);
    }

    /** A campaign upload's event ({@code CAMPAIGN_*}): job id = key = the campaign id. */
    public static AuditEvent campaign(
            String eventId,
            AuditType type,
            String tenant,
            String campaignId,
            String model,
            String actor,
            Instant at,
            Map<String, String> details) {
        if (!type.name().startsWith("CAMPAIGN_")) {
            throw new IllegalArgumentException("not a campaign event: " + type);
        }
        Subject campaign = new Subject(campaignId, campaignId, null, tenant, model, null);
        return of(eventId, type, campaign, actor, at, null, null, null, 0, null, null, null, details);
    }

    // ---- a worker's events: actor and worker id are the worker, hashes are of the job's input ----------

    /** The worker began running the job on {@code modelVersion}. */
    public static AuditEvent started(String eventId, JobRequest job, String workerId, String modelVersion, Instant at) {
        return ofWorker(
                eventId, AuditType.STARTED, job, workerId, modelVersion, at, job.attempt(), null, null, null, null);
    }

    /** The job's output is published; {@code outputSha256} hashes its bytes. */
    public static AuditEvent succeeded(
            String eventId,
            JobRequest job,
            String workerId,
            String modelVersion,
            Instant at,
            int attempt,
            String outputSha256,
            Long durationMs,
            Map<String, String> details) {
        return ofWorker(
                eventId,
                AuditType.SUCCEEDED,
                job,
                workerId,
                modelVersion,
                at,
                attempt,
                null,
                outputSha256,
                durationMs,
                details);
    }

    /** An attempt failed (a retry or a dead letter may follow, or the failure is final). */
    public static AuditEvent failed(
            String eventId,
            JobRequest job,
            String workerId,
            String modelVersion,
            Instant at,
            int attempt,
            Reason reason,
            Long durationMs,
            Map<String, String> details) {
        return ofWorker(
                eventId, AuditType.FAILED, job, workerId, modelVersion, at, attempt, reason, null, durationMs, details);
    }

    /** The worker will run the job again after {@code attempt} failed. */
    public static AuditEvent retried(
            String eventId,
            JobRequest job,
            String workerId,
            String modelVersion,
            Instant at,
            int attempt,
            Reason reason) {
        return ofWorker(eventId, AuditType.RETRIED, job, workerId, modelVersion, at, attempt, reason, null, null, null);
    }

    /** The job's deadline passed before the worker started it. */
    public static AuditEvent expired(
            String eventId,
            JobRequest job,
            String workerId,
            String modelVersion,
            Instant at,
            int attempt,
            Reason reason) {
        return ofWorker(eventId, AuditType.EXPIRED, job, workerId, modelVersion, at, attempt, reason, null, null, null);
    }

    /** The worker skipped the job because a cancel for it had arrived. */
    public static AuditEvent cancelled(
            String eventId,
            JobRequest job,
            String workerId,
            String modelVersion,
            Instant at,
            int attempt,
            Reason reason) {
        return ofWorker(
                eventId, AuditType.CANCELLED, job, workerId, modelVersion, at, attempt, reason, null, null, null);
    }

    /** The job went to the dead-letter topic after {@code attempt}. */
    public static AuditEvent deadLettered(
            String eventId,
            JobRequest job,
            String workerId,
            String modelVersion,
            Instant at,
            int attempt,
            Reason reason) {
        return ofWorker(
                eventId, AuditType.DEAD_LETTERED, job, workerId, modelVersion, at, attempt, reason, null, null, null);
    }

    private static AuditEvent ofWorker(
            String eventId,
            AuditType type,
            JobRequest job,
            String workerId,
            String modelVersion,
            Instant at,
            int attempt,
            Reason reason,
            String outputSha256,
            Long durationMs,
            Map<String, String> details) {
        return new AuditEvent(
                eventId,
                type,
                job.jobId(),
                job.campaignId(),
                job.customId(),
                job.tenant(),
                workerId,
                at,
                job.model(),
                modelVersion,
                job.input().seed(),
                Hashes.inputSha256(job.input()),
                outputSha256,
                attempt,
                reason,
                workerId,
                durationMs,
                details);
    }

    private static AuditEvent of(
            String eventId,
            AuditType type,
            Subject job,
            String actor,
            Instant at,
            String modelVersion,
            String inputSha256,
            String outputSha256,
            int attempt,
            Reason reason,
            String workerId,
            Long durationMs,
            Map<String, String> details) {
        return new AuditEvent(
                eventId,
                type,
                job.jobId(),
                job.campaignId(),
                job.customId(),
                job.tenant(),
                actor,
                at,
                job.model(),
                modelVersion,
                job.seed(),
                inputSha256,
                outputSha256,
                attempt,
                reason,
                workerId,
                durationMs,
                details);
    }
}
