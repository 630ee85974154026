package dev.genfleet.gateway.status;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.genfleet.schemas.AuditEvent;
import dev.genfleet.schemas.AuditType;
import dev.genfleet.schemas.JobResult;
import dev.genfleet.schemas.JobStatus;

/**
 * Folds lifecycle facts into a {@link JobView}. The audit and results topics are read independently,
 * so facts of one job may arrive in any order; the fold is order-insensitive where it matters:
 * <ul>
 * <li>among terminal facts, the one with the <em>earliest</em> time decides the status (a cancel
 * recorded before a late success stays cancelled), whatever order a rebuild reads them in;</li>
 * <li>non-terminal facts move the status only while no terminal fact is known, latest time first;</li>
 * <li>a repeated audit event (same event id) is ignored, so at-least-once writers do not double count;</li>
 * <li>a fact naming another tenant than the job's first fact is ignored.</li>
 * </ul>
 */
public final class ViewReducer {

    private ViewReducer() {}

    public static JobView apply(JobView prev, AuditEvent e) {
        if (prev != null && !prev.tenant().equals(e.tenant())) {
            return prev;
        }
        if (prev != null && prev.events().stream().anyMatch(x -> e.eventId().equals(x.eventId()))) {
            return prev;
        }
        JobView v = prev != null ? prev : empty(e.jobId(), e.tenant());
        boolean statusEvent = e.type() != AuditType.WEBHOOK_DELIVERED && e.type() != AuditType.WEBHOOK_FAILED;
        String status = v.status();
        boolean terminal = v.terminal();
        Instant statusTime = v.statusTime();
        if (statusEvent) {
            if (e.type().isTerminal()) {
                if (!terminal || e.time().isBefore(statusTime)) {
                    status = e.type().name();
                    terminal = true;
                    statusTime = e.time();
                }
            } else if (!terminal && (statusTime == null || !e.time().isBefore(statusTime))) {
                status = e.type().name();
                statusTime = e.time();
            }
        }
        Instant submittedAt = v.submittedAt();
        if (e.type() == AuditType.SUBMITTED && (submittedAt == null || e.time().isBefore(submittedAt))) {
            submittedAt = e.time();
        }
        Instant startedAt = v.startedAt();
        if (e.type() == AuditType.STARTED && startedAt == null) {
            startedAt = e.time();
        }
        Instant finishedAt = v.finishedAt();
        if (statusEvent && e.type().isTerminal() && status.equals(e.type().name())) {
            finishedAt = e.time();
        }
        String requestSha = v.requestSha256();
        String pool = v.pool();
        String priority = v.priority();
        requestSha = first(requestSha, e.details().get("request_sha256"));
        if (e.type() == AuditType.SUBMITTED) {
            pool = first(pool, e.details().get("pool"));
            priority = first(priority, e.details().get("priority"));
        }
        List<JobView.Event> events = new ArrayList<>(v.events());
        if (events.size() < JobView.MAX_EVENTS) {
            events.add(new JobView.Event(e.eventId(), e.type().name(), e.time(), e.attempt(), e.actor(), e.reason(),
                    e.details()));
        }
        boolean failure = e.type() == AuditType.FAILED || e.type() == AuditType.REJECTED
                || e.type() == AuditType.DEAD_LETTERED || e.type() == AuditType.EXPIRED
                || e.type() == AuditType.CANCELLED;
        return new JobView(v.jobId(), v.tenant(), first(v.campaignId(), e.campaignId()), first(v.customId(), e.customId()),
                first(v.model(), e.model()), e.modelVersion() != null ? e.modelVersion() : v.modelVersion(), pool,
                priority, status, terminal, statusTime, submittedAt, startedAt, finishedAt,
                Math.max(v.attempts(), e.attempt()), v.seed() != null ? v.seed() : e.seed(),
                first(v.inputSha256(), e.inputSha256()), first(v.outputSha256(), e.outputSha256()), requestSha,
                failure && e.reason() != null && statusEvent ? e.reason() : v.error(), v.output(),
                e.workerId() != null ? e.workerId() : v.workerId(), events);
    }

    public static JobView apply(JobView prev, JobResult r) {
        if (prev != null && !prev.tenant().equals(r.tenant())) {
            return prev;
        }
        JobView v = prev != null ? prev : empty(r.jobId(), r.tenant());
        String name = r.status().name();
        String status = v.status();
        boolean terminal = v.terminal();
        Instant statusTime = v.statusTime();
        Instant finishedAt = v.finishedAt();
        if (!terminal || r.finishedAt().isBefore(statusTime)) {
            status = name;
            terminal = true;
            statusTime = r.finishedAt();
            finishedAt = r.finishedAt();
        }
        return new JobView(v.jobId(), v.tenant(), first(v.campaignId(), r.campaignId()), first(v.customId(), r.customId()),
                first(v.model(), r.model()), r.modelVersion() != null ? r.modelVersion() : v.modelVersion(), v.pool(),
                v.priority(), status, terminal, statusTime, v.submittedAt(),
                v.startedAt() != null ? v.startedAt() : r.startedAt(), finishedAt, Math.max(v.attempts(), r.attempt()),
                v.seed(), v.inputSha256(), v.outputSha256(), v.requestSha256(),
                r.status() == JobStatus.SUCCEEDED ? v.error() : r.error(),
                r.output() != null ? r.output() : v.output(), r.workerId() != null ? r.workerId() : v.workerId(),
                v.events());
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
        return new JobView(jobId, tenant, null, null, null, null, null, null, null, false, null, null, null, null, 0,
                null, null, null, null, null, null, null, List.of());
    }

    private static String first(String current, String candidate) {
        return current != null ? current : candidate;
    }
}
