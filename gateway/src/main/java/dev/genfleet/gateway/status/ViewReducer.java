package dev.genfleet.gateway.status;

import dev.genfleet.schemas.AuditEvent;
import dev.genfleet.schemas.AuditType;
import dev.genfleet.schemas.Hashes;
import dev.genfleet.schemas.JobOutput;
import dev.genfleet.schemas.JobRequest;
import dev.genfleet.schemas.JobResult;
import dev.genfleet.schemas.JobStatus;
import dev.genfleet.schemas.Reason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Folds committed lifecycle facts into a {@link JobView}: the state machine of DESIGN.md in this package.
 * No decision compares clocks: the facts of one job on {@code genfleet.audit} arrive in the order of their
 * offsets in one partition (the job id is the key), and a result is combined with them so that the view
 * ends the same whatever order the two topics are interleaved in.
 * <ul>
 * <li>One authority per terminal state. The gateway decides REJECTED, and CANCELLED while no worker fact
 * precedes its cancel in the job's audit log (cancel before start). Otherwise the worker's committed
 * outcome decides: its result (authoritative for status and output) or, until the result is read, its
 * terminal audit event from the same transaction.</li>
 * <li>The first committed outcome stays: a later result or terminal event changes nothing; a gateway
 * cancel read after a worker fact is only a request (the worker answers it with its own outcome).</li>
 * <li>A job decided by the gateway never shows output (a CANCELLED or REJECTED job has none).</li>
 * <li>Non-terminal facts move the status only while the job is open, in log order.</li>
 * <li>A repeated audit event (same event id) is ignored; a fact naming another tenant is ignored.</li>
 * <li>An operator reopens a DEAD_LETTERED job: its redrive (a job record of a higher attempt, or the REDRIVEN
 * event of the same transaction) makes it RETRIED, not terminal; the worker decides the new attempt's outcome.
 * Worker facts of an older attempt than the reopened one change nothing, and an outcome of a newer attempt
 * replaces a dead-lettered one even when it is read before the redrive itself (attempts, not clocks).</li>
 * </ul>
 */
public final class ViewReducer {

    /** {@link JobView#decidedBy()}: rejection or cancel before start. */
    public static final String GATEWAY = "gateway";
    /** {@link JobView#decidedBy()}: a worker's committed outcome. */
    public static final String WORKER = "worker";

    private ViewReducer() {}

    /** A terminal fact the gateway decides: REJECTED, or a CANCELLED that no worker wrote. */
    static boolean gatewayDecision(AuditEvent e) {
        return e.type() == AuditType.REJECTED || (e.type() == AuditType.CANCELLED && e.workerId() == null);
    }

    public static JobView apply(JobView prev, AuditEvent e) {
        if (prev != null && !prev.tenant().equals(e.tenant())) {
            return prev;
        }
        if (prev != null && prev.events().stream().anyMatch(x -> e.eventId().equals(x.eventId()))) {
            return prev;
        }
        JobView v = prev != null ? prev : empty(e.jobId(), e.tenant());
        AuditType type = e.type();
        if (type == AuditType.REDRIVEN) {
            v = reopen(v, e.attempt(), e.time());
        } else if (!gatewayDecision(e) && type.isTerminal() && supersedes(v, e.attempt())) {
            v = reopen(v, e.attempt(), e.time());
        }
        // a worker fact of an attempt older than the one an operator reopened is history, not state
        boolean stale = e.workerId() != null && e.attempt() < v.floorAttempt();
        String status = v.status();
        boolean terminal = v.terminal();
        Instant statusTime = v.statusTime();
        Instant submittedAt = v.submittedAt();
        Instant startedAt = v.startedAt();
        Instant finishedAt = v.finishedAt();
        Reason error = v.error();
        JobOutput output = v.output();
        String outputSha = v.outputSha256();
        String decidedBy = v.decidedBy();
        boolean workerSeen = v.workerSeen();
        Integer outcomeAttempt = v.outcomeAttempt();
        switch (type) {
            case WEBHOOK_DELIVERED, WEBHOOK_FAILED, REDRIVEN -> {
                // deliveries are recorded on the job and never change its status; a redrive was folded above
            }
            case SUBMITTED -> {
                if (status == null) {
                    status = type.name();
                    statusTime = e.time();
                }
                if (submittedAt == null) {
                    submittedAt = e.time();
                }
            }
            case STARTED, FAILED, RETRIED -> {
                workerSeen = true;
                if (!terminal && !stale) {
                    status = type.name();
                    statusTime = e.time();
                    if (type == AuditType.FAILED && e.reason() != null) {
                        error = e.reason();
                    }
                }
                if (type == AuditType.STARTED && v.events().stream().noneMatch(x -> "STARTED".equals(x.type()))) {
                    startedAt = e.time(); // the first STARTED in the log, also over a result's own start time
                }
            }
            default -> {
                if (gatewayDecision(e)) {
                    boolean decides = !GATEWAY.equals(decidedBy) && (type == AuditType.REJECTED || !workerSeen);
                    if (decides) {
                        decidedBy = GATEWAY;
                        outcomeAttempt = null;
                        status = type.name();
                        terminal = true;
                        statusTime = e.time();
                        finishedAt = e.time();
                        error = e.reason();
                        output = null;
                        outputSha = null;
                    }
                } else if (!stale) {
                    workerSeen = true;
                    if (decidedBy == null) {
                        decidedBy = WORKER;
                        outcomeAttempt = e.attempt();
                        status = type.name();
                        terminal = true;
                        statusTime = e.time();
                        finishedAt = e.time();
                        error = type == AuditType.SUCCEEDED ? null : e.reason();
                        outputSha = type == AuditType.SUCCEEDED ? e.outputSha256() : null;
                    } else if (WORKER.equals(decidedBy)
                            && outputSha == null
                            && type == AuditType.SUCCEEDED
                            && AuditType.SUCCEEDED.name().equals(status)) {
                        outputSha = e.outputSha256(); // a result without output: its audit event's hash
                    }
                }
            }
        }
        String requestSha = first(v.requestSha256(), e.details().get("request_sha256"));
        String pool = v.pool();
        String priority = v.priority();
        if (type == AuditType.SUBMITTED) {
            pool = first(pool, e.details().get("pool"));
            priority = first(priority, e.details().get("priority"));
        }
        List<JobView.Event> events = new ArrayList<>(v.events());
        if (events.size() < JobView.MAX_EVENTS) {
            events.add(new JobView.Event(
                    e.eventId(), type.name(), e.time(), e.attempt(), e.actor(), e.reason(), e.details()));
        }
        return new JobView(
                v.jobId(),
                v.tenant(),
                first(v.campaignId(), e.campaignId()),
                first(v.customId(), e.customId()),
                first(v.model(), e.model()),
                v.resultSeen() ? v.modelVersion() : first(v.modelVersion(), e.modelVersion()),
                pool,
                priority,
                status,
                terminal,
                statusTime,
                submittedAt,
                startedAt,
                finishedAt,
                Math.max(v.attempts(), e.attempt()),
                v.seed() != null ? v.seed() : e.seed(),
                first(v.inputSha256(), e.inputSha256()),
                outputSha,
                requestSha,
                error,
                output,
                v.resultSeen() ? v.workerId() : first(v.workerId(), e.workerId()),
                events,
                decidedBy,
                workerSeen,
                v.resultSeen(),
                v.reopenedAt(),
                outcomeAttempt);
    }

    /**
     * The job record itself is the SUBMITTED fact: the gateway writes nothing else for an accepted job, so
     * the view cannot know an audit event without its job or a job without its SUBMITTED. It folds as a
     * SUBMITTED event with a deterministic id ({@code submitted:<job id>}): a second record of the same job
     * (a retry that raced another replica, the same id, seed and input) changes nothing, and neither does a
     * record read after a worker fact of the job (the topics interleave) beyond filling what was unknown.
     *
     * @param pool the pool of the jobs topic the record came from
     * @param requestSha256 the record's {@code genfleet-request-sha256} header, or null
     */
    public static JobView apply(JobView prev, JobRequest job, String pool, String requestSha256) {
        return apply(prev, job, pool, requestSha256, job.submittedAt());
    }

    /**
     * As {@link #apply(JobView, JobRequest, String, String)}; a record of attempt 2 or more is an operator's redrive
     * of a dead-lettered job ({@code DeadLetters redrive}; the gateway writes attempt 1): it reopens the job at
     * that attempt ({@link #reopen}) and adds no event (the REDRIVEN audit event of the same transaction does).
     *
     * @param recordTime the record's timestamp: when a redrive reopened the job
     */
    public static JobView apply(JobView prev, JobRequest job, String pool, String requestSha256, Instant recordTime) {
        if (job.attempt() > 1) {
            if (prev != null && !prev.tenant().equals(job.tenant())) {
                return prev;
            }
            JobView v = prev != null ? prev : empty(job.jobId(), job.tenant());
            return reopen(v, job.attempt(), recordTime != null ? recordTime : job.submittedAt());
        }
        java.util.Map<String, String> details = new java.util.HashMap<>();
        if (pool != null) {
            details.put("pool", pool);
        }
        details.put("priority", job.priority().wireName());
        if (requestSha256 != null) {
            details.put("request_sha256", requestSha256);
        }
        if (job.webhookUrl() != null) {
            details.put("webhook_url", job.webhookUrl());
        }
        AuditEvent submitted = AuditEvent.submitted(
                SUBMITTED_FROM_JOB + job.jobId(),
                AuditEvent.Subject.of(job),
                GATEWAY,
                job.submittedAt(),
                Hashes.inputSha256(job.input()),
                job.attempt(),
                details);
        return apply(prev, submitted);
    }

    /** Event id prefix of the SUBMITTED event the view derives from a job record. */
    public static final String SUBMITTED_FROM_JOB = "submitted:";

    /**
     * The worker's committed result: authoritative for status, output and {@code output_sha256} (computed here
     * from the output, so the view never shows a result's output without its hash, e.g. to a webhook that reads
     * the view between the result and its SUCCEEDED audit event). The first result stays.
     */
    public static JobView apply(JobView prev, JobResult r) {
        if (prev != null && !prev.tenant().equals(r.tenant())) {
            return prev;
        }
        JobView v = prev != null ? prev : empty(r.jobId(), r.tenant());
        if (supersedes(v, r.attempt())) {
            v = reopen(v, r.attempt(), r.finishedAt()); // a newer attempt's outcome, read before its redrive
        }
        if (v.resultSeen() || (r.workerId() != null && r.attempt() < v.floorAttempt())) {
            // the first committed result of the attempt is the job's one result; an older attempt's is history
            return v;
        }
        String status = v.status();
        boolean terminal = v.terminal();
        Instant statusTime = v.statusTime();
        Instant finishedAt = v.finishedAt();
        Reason error = v.error();
        JobOutput output = v.output();
        String outputSha = v.outputSha256();
        String decidedBy = v.decidedBy();
        Integer outcomeAttempt = v.outcomeAttempt();
        if (!GATEWAY.equals(decidedBy)) {
            boolean succeeded = r.status() == JobStatus.SUCCEEDED;
            decidedBy = WORKER;
            outcomeAttempt = r.attempt();
            status = r.status().name();
            terminal = true;
            statusTime = r.finishedAt();
            finishedAt = r.finishedAt();
            output = succeeded ? r.output() : null;
            error = succeeded ? null : r.error();
            // the hash of the committed output, computed as the worker computes it for its SUCCEEDED event
            // (Hashes.outputSha256): the view holds it from the moment it holds the output, whether or not the
            // audit event of the same transaction was read yet, and a reader never sees one without the other
            outputSha = !succeeded ? null : r.output() != null ? Hashes.outputSha256(r.output()) : outputSha;
        }
        return new JobView(
                v.jobId(),
                v.tenant(),
                first(v.campaignId(), r.campaignId()),
                first(v.customId(), r.customId()),
                first(v.model(), r.model()),
                r.modelVersion() != null ? r.modelVersion() : v.modelVersion(),
                v.pool(),
                v.priority(),
                status,
                terminal,
                statusTime,
                v.submittedAt(),
                v.startedAt() != null ? v.startedAt() : r.startedAt(),
                finishedAt,
                Math.max(v.attempts(), r.attempt()),
                v.seed(),
                v.inputSha256(),
                outputSha,
                v.requestSha256(),
                error,
                output,
                r.workerId() != null ? r.workerId() : v.workerId(),
                v.events(),
                decidedBy,
                v.workerSeen(),
                true,
                v.reopenedAt(),
                outcomeAttempt);
    }

    /**
     * Whether a worker outcome of {@code attempt} replaces the job's dead-lettered outcome: only an operator's redrive
     * makes a newer attempt, so such an outcome may be read before the redrive's own record and event (the topics
     * interleave) and decides all the same.
     */
    private static boolean supersedes(JobView v, int attempt) {
        return v.terminal()
                && WORKER.equals(v.decidedBy())
                && AuditType.DEAD_LETTERED.name().equals(v.status())
                && attempt > (v.outcomeAttempt() != null ? v.outcomeAttempt() : v.attempts());
    }

    /**
     * An operator's redrive of attempt {@code attempt} (its job record or REDRIVEN event) or a newer attempt's
     * outcome: from now on worker facts of older attempts are stale. A job dead-lettered at an older attempt
     * is open again (RETRIED, the {@code queued} bucket), its result slot free for the new attempt's outcome; a
     * job decided otherwise (succeeded, cancelled, rejected, or dead-lettered at this attempt or later) stays as
     * it is; an open job (its dead-lettered outcome not read yet) keeps its status and only learns the attempt. A
     * redrive of an attempt already reopened changes nothing, so a redrive written twice reopens once.
     */
    static JobView reopen(JobView v, int attempt, Instant at) {
        if (attempt <= v.floorAttempt()) {
            return v;
        }
        boolean deadLettered = v.terminal()
                && WORKER.equals(v.decidedBy())
                && AuditType.DEAD_LETTERED.name().equals(v.status())
                && attempt > (v.outcomeAttempt() != null ? v.outcomeAttempt() : v.attempts());
        if (v.terminal() && !deadLettered) {
            return v; // decided otherwise: a redrive reopens only a dead-lettered job
        }
        return new JobView(
                v.jobId(),
                v.tenant(),
                v.campaignId(),
                v.customId(),
                v.model(),
                v.modelVersion(),
                v.pool(),
                v.priority(),
                deadLettered ? AuditType.RETRIED.name() : v.status(),
                false,
                deadLettered ? at : v.statusTime(),
                v.submittedAt(),
                v.startedAt(),
                deadLettered ? null : v.finishedAt(),
                Math.max(v.attempts(), attempt),
                v.seed(),
                v.inputSha256(),
                deadLettered ? null : v.outputSha256(),
                v.requestSha256(),
                v.error(),
                deadLettered ? null : v.output(),
                v.workerId(),
                v.events(),
                deadLettered ? null : v.decidedBy(),
                v.workerSeen(),
                deadLettered ? false : v.resultSeen(),
                attempt,
                deadLettered ? null : v.outcomeAttempt());
    }

    /** The campaign count bucket of a job: queued, running, succeeded, failed, rejected, cancelled, expired. */
    public static String bucket(JobView v) {
        return switch (v.status() == null ? "SUBMITTED" : v.status()) {
            case "STARTED" -> "running";
            case "SUCCEEDED" -> "succeeded";
            case "FAILED" -> v.terminal() ? "failed" : "queued";
            case "DEAD_LETTERED" -> "failed";
            case "REJECTED" -> "rejected";
            case "CANCELLED" -> "cancelled";
            case "EXPIRED" -> "expired";
            default -> "queued";
        };
    }

    private static JobView empty(String jobId, String tenant) {
        return new JobView(
                jobId, tenant, null, null, null, null, null, null, null, false, null, null, null, null, 0, null, null,
                null, null, null, null, null, List.of(), null, false, false, null, null);
    }

    private static String first(String current, String candidate) {
        return current != null ? current : candidate;
    }
}
