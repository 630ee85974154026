package dev.genfleet.gateway.submit;

import dev.genfleet.gateway.policy.ContentPolicy;
import dev.genfleet.gateway.refusal.Refusal;
import dev.genfleet.gateway.refusal.Refused;
import dev.genfleet.gateway.status.JobView;
import dev.genfleet.gateway.status.RecentSubmissions;
import dev.genfleet.gateway.status.StatusView;
import dev.genfleet.gateway.tenant.QueuedQuota;
import dev.genfleet.schemas.AuditEvent;
import dev.genfleet.schemas.AuditType;
import dev.genfleet.schemas.Hashes;
import dev.genfleet.schemas.JobRequest;
import dev.genfleet.schemas.Reason;
import dev.genfleet.schemas.TraceContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Turns drafts into Kafka records: the {@link JobRequest} on {@code genfleet.jobs.<pool>.<priority>}, and
 * nothing else. That record is the fact the status view learns SUBMITTED from (see status/DESIGN.md), so
 * there is no second write to lose. When the content policy refuses the prompt (or a string of the brief, or a
 * required string), only a REJECTED audit event (with a deterministic event id) is written; its details name the
 * refused field.
 *
 * <p>Idempotency: the caller names the job id ({@link JobIds}); with an {@code Idempotency-Key} it is
 * derived from (tenant, key) and the default seed from the id, so a retry on any replica publishes the same
 * job. The request body's hash travels as the Kafka header {@value #REQUEST_SHA256} of the job record and a
 * replay is compared against it (422 on another body). Within one replica a lock per key keeps a race to
 * one record; two replicas racing one key may both publish the same job (same id, same seed, same input):
 * workers and the view treat them as one job, and the view keeps the first committed outcome.
 */
@ApplicationScoped
public class JobSubmitter {

    /** Outcome of a submission: the job as now known, and whether it was a replay. */
    public record Submitted(JobView view, boolean replay) {}

    private final EventPublisher publisher;
    private final StatusView view;
    private final RecentSubmissions recent;
    private final ContentPolicy policy;
    private final QueuedQuota quota;
    private final Clock clock;
    private final Object[] locks = new Object[64];

    @Inject
    public JobSubmitter(
            EventPublisher publisher,
            StatusView view,
            RecentSubmissions recent,
            ContentPolicy policy,
            QueuedQuota quota) {
        this.quota = quota;
        this.publisher = publisher;
        this.view = view;
        this.recent = recent;
        this.policy = policy;
        this.clock = Clock.systemUTC();
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Object();
        }
    }

    /** Audit detail of a policy rejection: the input field refused ({@code input.prompt}, {@code input.brief.name}). */
    public static final String FIELD_DETAIL = "field";

    private static final String INPUT = "input.";

    /** Kafka header of a job record: the SHA-256 of the client's request (idempotent replays compare it). */
    public static final String REQUEST_SHA256 = dev.genfleet.gateway.status.ViewTopology.REQUEST_SHA256_HEADER;

    /**
     * A single job under {@code jobId}: 202 material, or a problem (422 policy, 422 idempotency conflict,
     * 503 Kafka). {@code idempotent}: the id derives from an Idempotency-Key, so a job already known under
     * it is a replay.
     */
    public Submitted submit(String tenant, String jobId, JobDraft draft, boolean idempotent, String requestSha256) {
        if (!idempotent) {
            return new Submitted(publish(tenant, jobId, draft, requestSha256, Traces.current(), true), false);
        }
        synchronized (locks[Math.floorMod(jobId.hashCode(), locks.length)]) {
            Optional<JobView> existing = view.job(jobId);
            if (existing.isPresent()) {
                JobView v = existing.get();
                if (!v.tenant().equals(tenant)
                        || v.requestSha256() == null
                        || !v.requestSha256().equals(requestSha256)) {
                    throw new Refused(new Refusal.IdempotencyKeyReused(
                            "this Idempotency-Key was already used with a different request body"));
                }
                if ("REJECTED".equals(v.status()) && v.error() != null) {
                    throw policyProblem(jobId, v.error(), rejectedField(v));
                }
                return new Submitted(v, true);
            }
            return new Submitted(publish(tenant, jobId, draft, requestSha256, Traces.current(), true), false);
        }
    }

    /**
     * Publishes one job (or its rejection) without waiting; campaign fan-out collects the futures.
     * A policy hit yields a REJECTED audit event; {@code rejected} tells which happened.
     */
    public Pending publishAsync(String tenant, String jobId, JobDraft draft, String requestSha256, TraceContext trace) {
        return publishAsync(tenant, jobId, draft, requestSha256, trace, Map.of());
    }

    /** As {@link #publishAsync(String, String, JobDraft, String, TraceContext)}, with extra audit details. */
    public Pending publishAsync(
            String tenant,
            String jobId,
            JobDraft draft,
            String requestSha256,
            TraceContext trace,
            Map<String, String> extraDetails) {
        Instant now = clock.instant();
        Optional<Reason> violation = Optional.empty();
        String field = null;
        for (Map.Entry<String, String> text : draft.policyTexts().entrySet()) {
            violation = policy.check(text.getValue(), text.getKey());
            if (violation.isPresent()) {
                field = INPUT + text.getKey();
                break;
            }
        }
        if (violation.isPresent()) {
            Map<String, String> details = new HashMap<>(extraDetails);
            details.put("rule", violation.get().code());
            details.put(FIELD_DETAIL, field);
            if (draft.webhookUrl() != null) {
                details.put("webhook_url", draft.webhookUrl());
            }
            if (requestSha256 != null) {
                details.put("request_sha256", requestSha256);
            }
            AuditEvent rejected = rejected(tenant, jobId, draft, now, violation.get(), details, inputSha(draft));
            return new Pending(
                    jobId,
                    violation.get(),
                    field,
                    publisher.send(publisher.topics().audit(), rejected, trace).thenApply(m -> null));
        }
        return publishAccepted(tenant, jobId, draft, requestSha256, trace, now, extraDetails);
    }

    /** Publishes a refusal decided before rendering (missing template variable, bad line, quota). */
    public Pending publishRejection(
            String tenant,
            String jobId,
            JobDraft draft,
            Reason reason,
            TraceContext trace,
            Map<String, String> extraDetails) {
        Map<String, String> details = new HashMap<>(extraDetails);
        details.put("rule", reason.code());
        if (draft.webhookUrl() != null) {
            details.put("webhook_url", draft.webhookUrl());
        }
        AuditEvent rejected = rejected(tenant, jobId, draft, clock.instant(), reason, details, null);
        return new Pending(
                jobId,
                reason,
                null,
                publisher.send(publisher.topics().audit(), rejected, trace).thenApply(m -> null));
    }

    private Pending publishAccepted(
            String tenant,
            String jobId,
            JobDraft draft,
            String requestSha256,
            TraceContext trace,
            Instant now,
            Map<String, String> extraDetails) {
        JobRequest request = new JobRequest(
                jobId,
                tenant,
                draft.campaignId(),
                draft.customId(),
                draft.model(),
                draft.priority(),
                draft.input(),
                now,
                draft.deadline(),
                1,
                draft.webhookUrl(),
                draft.metadata());
        Map<String, String> headers = requestSha256 == null ? Map.of() : Map.of(REQUEST_SHA256, requestSha256);
        CompletableFuture<Void> acked = publisher
                .send(publisher.topics().jobs(draft.route().pool(), draft.priority()), request, trace, headers)
                .thenApply(m -> null);
        return new Pending(jobId, null, null, acked);
    }

    private JobView publish(
            String tenant, String jobId, JobDraft draft, String requestSha256, TraceContext trace, boolean single) {
        QueuedQuota.Ticket ticket = quota.admitJob(tenant, jobId);
        Pending pending;
        try {
            pending = publishAsync(tenant, jobId, draft, requestSha256, trace);
            publisher.await(pending.acked());
        } catch (RuntimeException e) {
            ticket.release();
            throw e;
        }
        Instant now = clock.instant();
        if (pending.rejection() != null) {
            ticket.release();
            if (single) {
                recent.put(new JobView(
                        jobId,
                        tenant,
                        null,
                        null,
                        draft.model(),
                        null,
                        draft.route().pool(),
                        draft.priority().wireName(),
                        AuditType.REJECTED.name(),
                        true,
                        now,
                        null,
                        null,
                        now,
                        0,
                        draft.input().seed(),
                        inputSha(draft),
                        null,
                        requestSha256,
                        pending.rejection(),
                        null,
                        null,
                        List.of(),
                        "gateway",
                        false,
                        false,
                        null,
                        null));
            }
            throw policyProblem(jobId, pending.rejection(), pending.field());
        }
        JobView v = new JobView(
                jobId,
                tenant,
                draft.campaignId(),
                draft.customId(),
                draft.model(),
                null,
                draft.route().pool(),
                draft.priority().wireName(),
                AuditType.SUBMITTED.name(),
                false,
                now,
                now,
                null,
                null,
                1,
                draft.input().seed(),
                inputSha(draft),
                null,
                requestSha256,
                null,
                null,
                null,
                List.of(),
                null,
                false,
                false,
                null,
                null);
        recent.put(v);
        return v;
    }

    private static Refused policyProblem(String jobId, Reason reason, String field) {
        return new Refused(new Refusal.PolicyRefused(
                reason.message() + " (rule " + reason.code() + "); job " + jobId + " is recorded as REJECTED",
                reason.code(),
                new Refusal.FieldError(field == null ? INPUT + "prompt" : field, reason.message())));
    }

    private AuditEvent rejected(
            String tenant,
            String jobId,
            JobDraft draft,
            Instant now,
            Reason reason,
            Map<String, String> details,
            String inputSha) {
        // one rejection per job id: a retried campaign or job rejects under the same event id, which readers skip
        String eventId = JobIds.event(jobId, AuditType.REJECTED.name());
        AuditEvent.Subject job = new AuditEvent.Subject(
                jobId,
                draft.campaignId(),
                draft.customId(),
                tenant,
                draft.model(),
                draft.input() == null ? null : draft.input().seed());
        return AuditEvent.rejected(eventId, job, "gateway", now, inputSha, reason, details);
    }

    static String inputSha(JobDraft draft) {
        if (draft.input() == null) {
            return null;
        }
        return Hashes.inputSha256(draft.input());
    }

    /** The input field a policy rejection names, as its REJECTED event recorded it; null if none did. */
    private static String rejectedField(JobView v) {
        for (int i = v.events().size() - 1; i >= 0; i--) {
            JobView.Event e = v.events().get(i);
            if (AuditType.REJECTED.name().equals(e.type()) && e.details() != null) {
                return e.details().get(FIELD_DETAIL);
            }
        }
        return null;
    }

    /**
     * A publication in flight. {@code rejection} is set when the job was refused rather than queued;
     * {@code field} names the input field the content policy refused ({@code input.brief.name}), if it did.
     */
    public record Pending(String jobId, Reason rejection, String field, CompletableFuture<Void> acked) {}
}
