package dev.genfleet.worker.consume;

import dev.genfleet.schemas.Decoded;
import dev.genfleet.schemas.EventCodec;
import dev.genfleet.schemas.ImageOutput;
import dev.genfleet.schemas.JobOutput;
import dev.genfleet.schemas.JobRequest;
import dev.genfleet.schemas.Reason;
import dev.genfleet.schemas.ReasonCode;
import dev.genfleet.schemas.TextOutput;
import dev.genfleet.schemas.TraceContext;
import dev.genfleet.worker.blob.DirectoryBlobStore;
import dev.genfleet.worker.config.WorkerConfig;
import dev.genfleet.worker.publish.ClaimCheck;
import dev.genfleet.worker.publish.Publisher;
import dev.genfleet.worker.publish.RecordSizes;
import dev.genfleet.worker.run.Outcome;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordBatchMetadata;
import io.smallrye.reactive.messaging.kafka.transactions.KafkaTransactions;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Consumes a pool's two jobs topics and turns each polled batch of records into results, audit
 * events and DLQ records written in one Kafka transaction together with the batch's offsets
 * (exactly-once processing). See {@code DESIGN.md} in this package.
 */
@ApplicationScoped
public class JobConsumer {

    private static final Logger LOG = Logger.getLogger(JobConsumer.class);
    static final String INTERACTIVE = "jobs-interactive";
    static final String BULK = "jobs-bulk";
    /** The second bulk lane (same topic, same group): see "Two bulk lanes" in DESIGN.md. */
    static final String BULK_2 = "jobs-bulk-2";
    /** The channels that read jobs: they subscribe to their groups only once the models are loaded. */
    static final List<String> JOB_CHANNELS = List.of(INTERACTIVE, BULK, BULK_2);

    @Inject
    HostedModels hosted;

    @Inject
    Publisher publisher;

    @Inject
    WorkerConfig config;

    @Inject
    MeterRegistry meters;

    @Inject
    KafkaClientService clients;

    @Inject
    Tracer tracer;

    @Inject
    @Identifier(JobHistory.NAME)
    JobHistory history;

    @Inject
    @Channel("tx-interactive")
    KafkaTransactions<byte[]> txInteractive;

    @Inject
    @Channel("tx-bulk")
    KafkaTransactions<byte[]> txBulk;

    @Inject
    @Channel("tx-bulk-2")
    KafkaTransactions<byte[]> txBulk2;

    /** A job whose result (or another record of its outcome) would exceed {@code max-record-bytes}. */
    public static final String RESULT_TOO_LARGE = ReasonCode.RESULT_TOO_LARGE.name();
    /** A job the pipeline failed outside the model (never expected; logged with its cause). */
    public static final String WORKER_ERROR = ReasonCode.WORKER_ERROR.name();

    private final EventCodec codec = EventCodec.forComponent("worker");
    private RecordSizes sizes;
    private ClaimCheck claimCheck;
    private JobTraces traces;

    @PostConstruct
    void init() {
        sizes = new RecordSizes(config.maxRecordBytes());
        claimCheck = config.blobs()
                .dir()
                .map(dir -> ClaimCheck.to(
                        new DirectoryBlobStore(Path.of(dir)), config.blobs().inlineMaxBytes()))
                .orElse(ClaimCheck.none());
        traces = new JobTraces(tracer);
    }

    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<KafkaTransactions<byte[]>, Lane> lanes = new ConcurrentHashMap<>();
    private volatile boolean draining;

    @Incoming(INTERACTIVE)
    public Uni<Void> interactive(Message<List<byte[]>> batch) {
        return handle(batch, true, txInteractive);
    }

    @Incoming(BULK)
    public Uni<Void> bulk(Message<List<byte[]>> batch) {
        return handle(batch, false, txBulk);
    }

    @Incoming(BULK_2)
    public Uni<Void> bulk2(Message<List<byte[]>> batch) {
        return handle(batch, false, txBulk2);
    }

    @SuppressWarnings("unchecked")
    private Uni<Void> handle(Message<List<byte[]>> message, boolean interactive, KafkaTransactions<byte[]> tx) {
        if (draining) {
            // never acknowledged: not committed, so the group hands these records to another worker
            return Uni.createFrom().nothing();
        }
        IncomingKafkaRecordBatchMetadata<String, byte[]> poll = message.getMetadata(
                        IncomingKafkaRecordBatchMetadata.class)
                .orElseThrow(() -> new IllegalStateException("channel is not in batch mode"));
        Lane lane =
                lanes.computeIfAbsent(tx, t -> new Lane(t, () -> haltIf("in-transaction", Duration.ofMillis(1500))));
        List<ConsumerRecord<String, byte[]>> records = lane.fresh(poll);
        if (records.isEmpty()) {
            // read before a rewind, and committed by this lane since: nothing to do
            return Uni.createFrom().completionStage(message.ack());
        }
        inFlight.incrementAndGet();
        // the poll's job spans, each ended once the transaction holding its outcome committed or failed
        List<Span> spans = new ArrayList<>(records.size());
        Context context = Vertx.currentContext();
        Executor back = context == null ? Runnable::run : task -> context.runOnContext(v -> task.run());
        return Uni.createFrom()
                .completionStage(hosted.ready())
                .onItem()
                .transformToUni(ready -> Uni.createFrom().completionStage(process(records, interactive, spans)))
                .emitOn(back)
                .onItem()
                .transformToUni(parts -> lane.commit(poll, parts))
                .call(() -> Uni.createFrom().completionStage(message.ack()))
                .onItemOrFailure()
                .invoke((done, failure) -> JobTraces.end(spans, failure))
                .onItem()
                .invoke(done -> lane.failuresInARow().set(0))
                .onFailure()
                .recoverWithUni(e -> {
                    // the consumer rewinds to the last commit and the poll runs again; a failure that repeats (the
                    // broker away, an ACL missing) waits longer each time instead of rerunning the batch in a hot loop
                    int failures = lane.failuresInARow().incrementAndGet();
                    Duration pause = rollbackPause(failures);
                    LOG.warnf(
                            e,
                            "batch of %d records rolled back (%d in a row); the consumer rewinds to the last commit"
                                    + " and retries in %d ms",
                            records.size(),
                            failures,
                            pause.toMillis());
                    return Uni.createFrom().voidItem().onItem().delayIt().by(pause);
                })
                .eventually(inFlight::decrementAndGet)
                .replaceWithVoid();
    }

    /** 0.5 s after the first rollback in a row, doubling, at most 8 s (a restarted broker is used soon). */
    static Duration rollbackPause(int failuresInARow) {
        long millis = 500L << Math.min(4, Math.max(0, failuresInARow - 1));
        return Duration.ofMillis(millis);
    }

    /** Each record's outcome records, in record order; completes when every job has an outcome. */
    private CompletableFuture<List<Lane.Part>> process(
            List<ConsumerRecord<String, byte[]>> records, boolean interactive, List<Span> spans) {
        List<CompletableFuture<Lane.Part>> parts = new ArrayList<>(records.size());
        for (ConsumerRecord<String, byte[]> record : records) {
            parts.add(processOne(record, interactive, spans));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(done -> {
            List<Lane.Part> out = new ArrayList<>(parts.size());
            parts.forEach(p -> out.add(p.join()));
            haltIf("after-generation", Duration.ZERO);
            return out;
        });
    }

    private CompletableFuture<Lane.Part> processOne(
            ConsumerRecord<String, byte[]> record, boolean interactive, List<Span> spans) {
        Decoded<JobRequest> decoded = codec.decode(record, JobRequest.class);
        if (decoded instanceof Decoded.Failed<JobRequest> failed) {
            count("unknown", "malformed");
            LOG.warnf(
                    "dead-lettering malformed record %s-%d@%d: %s",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    failed.reason().message());
            return CompletableFuture.completedFuture(new Lane.Part(
                    record,
                    List.of(publisher.records().deadLetter(record, null, failed.reason(), 0, TraceContext.NONE)),
                    null));
        }
        Decoded.Ok<JobRequest> ok = (Decoded.Ok<JobRequest>) decoded;
        JobRequest job = ok.payload();
        TraceContext trace = ok.trace();
        Span span = traces.startJob(record, job, trace);
        spans.add(span);
        OptionalLong earlier =
                history.earlierRecord(record.topic(), record.partition(), job.jobId(), job.attempt(), record.offset());
        if (earlier.isPresent()) {
            // the same job published twice (a submission retried while its first publish was in doubt): the first
            // record's outcome is the job's outcome; this one is committed with the poll and produces nothing
            count(job.model(), "repeated");
            JobTraces.outcome(span, "repeated", null);
            LOG.infof(
                    "job %s at %s-%d@%d repeats its record at offset %d: it has one outcome, from that record",
                    job.jobId(), record.topic(), record.partition(), record.offset(), earlier.getAsLong());
            return CompletableFuture.completedFuture(new Lane.Part(record, List.of(), null));
        }
        HostedModels.Slot slot = hosted.slot(job.model());
        if (slot == null) {
            count(job.model(), "dead_lettered");
            JobTraces.outcome(span, "dead_lettered", ReasonCode.UNKNOWN_MODEL.name());
            Outcome unknown = new Outcome.DeadLettered(
                    ReasonCode.UNKNOWN_MODEL.reason(
                            "pool " + config.pool() + " does not host model '" + job.model() + "'"),
                    job.attempt(),
                    List.of());
            return CompletableFuture.completedFuture(
                    new Lane.Part(record, publisher.records().forOutcome(job, unknown, null, record, trace), null));
        }
        return slot.batcher()
                .submit(new PipelineRow(job, record, trace, interactive, System.nanoTime(), span), interactive)
                .handle((outcome, error) -> {
                    if (error != null) {
                        // the processor turns every model failure into an outcome; what still arrives here is the
                        // pipeline's own fault. It gets an outcome too: an exception here would roll the poll back
                        // and rerun it for ever
                        Throwable cause = error instanceof CompletionException && error.getCause() != null
                                ? error.getCause()
                                : error;
                        LOG.errorf(cause, "job %s has no outcome from its batch; dead-lettering it", job.jobId());
                        outcome = new Outcome.DeadLettered(
                                ReasonCode.WORKER_ERROR.reason(
                                        cause.getClass().getSimpleName() + ": " + cause.getMessage()),
                                job.attempt(),
                                List.of());
                    }
                    // large images by claim check: their blobs are written now, before the transaction begins
                    outcome = claimCheck.aboveInlineMax(outcome);
                    List<ProducerRecord<String, byte[]>> out =
                            publisher.records().forOutcome(job, outcome, slot.model(), record, trace);
                    var oversized = sizes.firstOversized(out);
                    if (oversized.isPresent() && claimCheck.canTakeMore(outcome)) {
                        outcome = claimCheck.everyImage(outcome);
                        out = publisher.records().forOutcome(job, outcome, slot.model(), record, trace);
                        oversized = sizes.firstOversized(out);
                    }
                    if (oversized.isPresent()) {
                        LOG.warnf(
                                "job %s: its %s record would take %d bytes, over max-record-bytes %d; dead-lettering it",
                                job.jobId(),
                                oversized.get().topic(),
                                oversized.get().bytes(),
                                sizes.limit());
                        outcome = new Outcome.DeadLettered(
                                ReasonCode.RESULT_TOO_LARGE.reason(
                                        "the " + oversized.get().topic()
                                                + " record of this job would take "
                                                + oversized.get().bytes()
                                                + " bytes, over the " + sizes.limit()
                                                + "-byte limit (genfleet.worker.max-record-bytes)"),
                                job.attempt(),
                                outcome.failedAttempts());
                        out = publisher.records().forOutcome(job, outcome, slot.model(), record, trace);
                    }
                    count(job.model(), outcomeName(outcome));
                    JobTraces.outcome(span, outcomeName(outcome), reasonCode(outcome));
                    if (outcome instanceof Outcome.Succeeded succeeded) {
                        countProduced(job.model(), succeeded.output());
                    }
                    // should the broker refuse these records, the job is dead-lettered with the broker's reason (Lane)
                    Function<Reason, List<ProducerRecord<String, byte[]>>> deadLetter = reason -> publisher
                            .records()
                            .forOutcome(
                                    job,
                                    new Outcome.DeadLettered(reason, job.attempt(), List.of()),
                                    slot.model(),
                                    record,
                                    trace);
                    // should the broker refuse them as too large for the topic, every image by claim check (Lane)
                    Outcome published = outcome;
                    Supplier<List<ProducerRecord<String, byte[]>>> byClaimCheck = claimCheck.canTakeMore(published)
                            ? () -> publisher
                                    .records()
                                    .forOutcome(job, claimCheck.everyImage(published), slot.model(), record, trace)
                            : null;
                    return new Lane.Part(record, out, deadLetter, byClaimCheck);
                });
    }

    private void count(String model, String outcome) {
        meters.counter("genfleet.jobs", "model", model, "outcome", outcome).increment();
    }

    private void countProduced(String model, JobOutput output) {
        if (output instanceof TextOutput text) {
            meters.counter("genfleet.tokens.generated", "model", model).increment(text.completionTokens());
        } else if (output instanceof ImageOutput images) {
            meters.counter("genfleet.images.generated", "model", model)
                    .increment(images.images().size());
        }
    }

    private static String reasonCode(Outcome outcome) {
        if (outcome instanceof Outcome.DeadLettered dead) {
            return dead.reason().code();
        } else if (outcome instanceof Outcome.Failed failed) {
            return failed.reason().code();
        }
        return null;
    }

    private static String outcomeName(Outcome outcome) {
        if (outcome instanceof Outcome.Succeeded) {
            return "succeeded";
        } else if (outcome instanceof Outcome.Expired) {
            return "expired";
        } else if (outcome instanceof Outcome.Cancelled) {
            return "cancelled";
        } else if (outcome instanceof Outcome.Failed) {
            return "failed";
        }
        return "dead_lettered";
    }

    private void haltIf(String point, Duration after) {
        if (config.haltAt().filter(point::equals).isPresent()) {
            LOG.errorf("fault injection: halting at %s", point);
            try {
                Thread.sleep(after.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Runtime.getRuntime().halt(137);
        }
    }

    /**
     * SIGTERM: stop fetching, let the batches in flight finish, publish and commit, then let Quarkus
     * close the consumers (which leaves the group).
     */
    void onStop(@Observes ShutdownEvent event) {
        draining = true;
        for (String channel : JOB_CHANNELS) {
            try {
                var consumer = clients.getConsumer(channel);
                if (consumer != null) {
                    consumer.pause().await().atMost(Duration.ofSeconds(5));
                }
            } catch (RuntimeException e) {
                LOG.debugf("pausing %s: %s", channel, e.getMessage());
            }
        }
        long deadline = System.nanoTime() + config.drainTimeout().toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        LOG.infof("drained: %d batch(es) still in flight", inFlight.get());
        publisher.announce(hosted.models(), false);
    }

    /** Batches being processed or committed now. */
    public int inFlight() {
        return inFlight.get();
    }
}
