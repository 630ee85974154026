package dev.genfleet.worker.publish;

import dev.genfleet.inference.ModelInfo;
import dev.genfleet.schemas.AuditEvent;
import dev.genfleet.schemas.DeadLetter;
import dev.genfleet.schemas.EventCodec;
import dev.genfleet.schemas.Hashes;
import dev.genfleet.schemas.JobRequest;
import dev.genfleet.schemas.JobResult;
import dev.genfleet.schemas.JobStatus;
import dev.genfleet.schemas.Reason;
import dev.genfleet.schemas.ReasonCode;
import dev.genfleet.schemas.RuntimeFingerprint;
import dev.genfleet.schemas.Topics;
import dev.genfleet.schemas.TraceContext;
import dev.genfleet.worker.model.HostedModel;
import dev.genfleet.worker.run.Outcome;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/**
 * The Kafka records a worker writes for what happened to a job: its one result, its audit events and,
 * for a dead-lettered job, its DLQ record. A job that failed for good ({@link Outcome.Failed}, e.g.
 * {@code QUALITY_CHECK_FAILED}) gets a FAILED result and a FAILED audit event, and no DLQ record. Pure: the caller sends them (in one transaction).
 */
public final class OutcomeRecords {

    private final EventCodec codec;
    private final Topics topics;
    private final String workerId;
    private final Clock clock;

    public OutcomeRecords(EventCodec codec, Topics topics, String workerId, Clock clock) {
        this.codec = codec;
        this.topics = topics;
        this.workerId = workerId;
        this.clock = clock;
    }

    /** STARTED, sent when the job's batch reaches the model (outside the result transaction). */
    public ProducerRecord<String, byte[]> started(JobRequest job, ModelInfo model, Instant at, TraceContext trace) {
        return codec.encode(topics.audit(), AuditEvent.started(eventId(), job, workerId, version(model), at), trace);
    }

    /** Result, audit and DLQ records for a job's outcome, in the order they should be written. */
    public List<ProducerRecord<String, byte[]>> forOutcome(
            JobRequest job,
            Outcome outcome,
            HostedModel hosted,
            ConsumerRecord<String, byte[]> source,
            TraceContext trace) {
        ModelInfo model = hosted == null ? null : hosted.info();
        RuntimeFingerprint runtime = hosted == null ? null : hosted.runtime();
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        Instant now = clock.instant();
        int attempt = job.attempt();
        for (Reason failure : outcome.failedAttempts()) {
            records.add(codec.encode(
                    topics.audit(),
                    AuditEvent.failed(eventId(), job, workerId, version(model), now, attempt, failure, null, null),
                    trace));
            attempt++;
            records.add(codec.encode(
                    topics.audit(),
                    AuditEvent.retried(eventId(), job, workerId, version(model), now, attempt, failure),
                    trace));
        }
        if (outcome instanceof Outcome.Succeeded ok) {
            records.add(codec.encode(
                    topics.results(),
                    new JobResult(
                            job.jobId(),
                            job.tenant(),
                            job.campaignId(),
                            job.customId(),
                            JobStatus.SUCCEEDED,
                            model.id(),
                            model.version(),
                            ok.output(),
                            null,
                            ok.attempt(),
                            ok.startedAt(),
                            now,
                            workerId,
                            runtime),
                    trace));
            records.add(codec.encode(
                    topics.audit(),
                    AuditEvent.succeeded(
                            eventId(),
                            job,
                            workerId,
                            version(model),
                            now,
                            ok.attempt(),
                            Hashes.outputSha256(ok.output()),
                            ok.inferenceMillis(),
                            withBatchSize(ok.details(), ok.batchSize())),
                    trace));
        } else if (outcome instanceof Outcome.Failed failed) {
            records.add(codec.encode(
                    topics.results(),
                    new JobResult(
                            job.jobId(),
                            job.tenant(),
                            job.campaignId(),
                            job.customId(),
                            JobStatus.FAILED,
                            job.model(),
                            model == null ? null : model.version(),
                            null,
                            failed.reason(),
                            failed.attempt(),
                            failed.startedAt(),
                            now,
                            workerId,
                            runtime),
                    trace));
            records.add(codec.encode(
                    topics.audit(),
                    AuditEvent.failed(
                            eventId(),
                            job,
                            workerId,
                            version(model),
                            now,
                            failed.attempt(),
                            failed.reason(),
                            failed.inferenceMillis(),
                            withBatchSize(failed.details(), failed.batchSize())),
                    trace));
        } else if (outcome instanceof Outcome.Expired expired) {
            Reason reason = ReasonCode.DEADLINE_PASSED.reason(
                    "deadline " + expired.deadline() + " passed before a worker started the job");
            records.add(codec.encode(
                    topics.results(),
                    failedResult(job, JobStatus.EXPIRED, model, runtime, reason, attempt, now),
                    trace));
            records.add(codec.encode(
                    topics.audit(),
                    AuditEvent.expired(eventId(), job, workerId, version(model), now, attempt, reason),
                    trace));
        } else if (outcome instanceof Outcome.Cancelled cancelled) {
            Reason reason = ReasonCode.CANCELLED_BY_CLIENT.reason(cancelled.reason());
            records.add(codec.encode(
                    topics.results(),
                    failedResult(job, JobStatus.CANCELLED, model, runtime, reason, attempt, now),
                    trace));
            records.add(codec.encode(
                    topics.audit(),
                    AuditEvent.cancelled(eventId(), job, workerId, version(model), now, attempt, reason),
                    trace));
        } else if (outcome instanceof Outcome.DeadLettered dead) {
            records.add(codec.encode(
                    topics.audit(),
                    AuditEvent.failed(
                            eventId(), job, workerId, version(model), now, dead.attempts(), dead.reason(), null, null),
                    trace));
            records.add(deadLetter(source, job, dead.reason(), dead.attempts(), trace));
            records.add(codec.encode(
                    topics.results(),
                    failedResult(job, JobStatus.DEAD_LETTERED, model, runtime, dead.reason(), dead.attempts(), now),
                    trace));
            records.add(codec.encode(
                    topics.audit(),
                    AuditEvent.deadLettered(
                            eventId(), job, workerId, version(model), now, dead.attempts(), dead.reason()),
                    trace));
        }
        return records;
    }

    private static Map<String, String> withBatchSize(Map<String, String> details, int batchSize) {
        Map<String, String> d = new LinkedHashMap<>(details);
        d.put("batch_size", String.valueOf(batchSize));
        return d;
    }

    /**
     * The DLQ record for a consumed record; {@code job} is null when the record could not be read
     * at all (then there is no result and no audit: nothing names the job or its tenant reliably).
     */
    public ProducerRecord<String, byte[]> deadLetter(
            ConsumerRecord<String, byte[]> source, JobRequest job, Reason reason, int attempts, TraceContext trace) {
        List<DeadLetter.OriginalHeader> headers = new ArrayList<>();
        for (Header h : source.headers()) {
            headers.add(new DeadLetter.OriginalHeader(h.key(), h.value()));
        }
        DeadLetter letter = new DeadLetter(
                job == null ? null : job.jobId(),
                job == null ? null : job.tenant(),
                source.topic(),
                source.partition(),
                source.offset(),
                source.key(),
                source.value(),
                headers,
                reason,
                attempts,
                clock.instant(),
                workerId);
        return codec.encode(topics.deadLetters(), letter, trace);
    }

    private JobResult failedResult(
            JobRequest job,
            JobStatus status,
            ModelInfo model,
            RuntimeFingerprint runtime,
            Reason reason,
            int attempt,
            Instant now) {
        return new JobResult(
                job.jobId(),
                job.tenant(),
                job.campaignId(),
                job.customId(),
                status,
                job.model(),
                model == null ? null : model.version(),
                null,
                reason,
                attempt,
                null,
                now,
                workerId,
                runtime);
    }

    private static String eventId() {
        return UUID.randomUUID().toString();
    }

    private static String version(ModelInfo model) {
        return model == null ? null : model.version();
    }
}
