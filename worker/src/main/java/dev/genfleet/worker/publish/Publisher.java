package dev.genfleet.worker.publish;

import dev.genfleet.inference.ModelInfo;
import dev.genfleet.schemas.EventCodec;
import dev.genfleet.schemas.JobRequest;
import dev.genfleet.schemas.ModelAnnouncement;
import dev.genfleet.schemas.Topics;
import dev.genfleet.schemas.TraceContext;
import dev.genfleet.worker.config.WorkerConfig;
import dev.genfleet.worker.consume.PipelineRow;
import dev.genfleet.worker.model.HostedModel;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Writes what is not part of a job's result transaction: STARTED audit events (they must be visible
 * while the job runs) and model announcements. Both go through the non-transactional, idempotent
 * {@code events} channel.
 */
@ApplicationScoped
public class Publisher {

    private static final Logger LOG = Logger.getLogger(Publisher.class);

    @Inject
    @Channel("events")
    MutinyEmitter<byte[]> events;

    @Inject
    WorkerConfig config;

    @Inject
    MeterRegistry meters;

    private final EventCodec codec = EventCodec.forComponent("worker");
    private Topics topics;
    private OutcomeRecords records;

    @PostConstruct
    void init() {
        WorkerConfig.TopicNames t = config.topics();
        topics = new Topics(t.jobsPrefix(), t.results(), t.audit(), t.deadLetters(), t.control(), t.models());
        records = new OutcomeRecords(codec, topics, config.id(), Clock.systemUTC());
    }

    public Topics topics() {
        return topics;
    }

    public OutcomeRecords records() {
        return records;
    }

    /** STARTED for each job that reached the model; also records how long each waited in the batcher. */
    public void started(List<PipelineRow> rows, List<JobRequest> jobs, ModelInfo model, Instant at) {
        Map<String, PipelineRow> byId = new HashMap<>();
        rows.forEach(r -> byId.put(r.job().jobId(), r));
        long now = System.nanoTime();
        for (JobRequest job : jobs) {
            PipelineRow row = byId.get(job.jobId());
            TraceContext trace = row == null ? TraceContext.NONE : row.trace();
            if (row != null) {
                meters.timer(
                                "genfleet.queue.wait",
                                "model",
                                model.id(),
                                "priority",
                                row.interactive() ? "interactive" : "bulk")
                        .record(Duration.ofNanos(now - row.enqueuedNanos()));
            }
            events.sendMessageAndForget(message(records.started(job, model, at, trace)));
        }
    }

    /** Tells the gateway which models this worker hosts, and whether it takes jobs now. */
    public void announce(List<HostedModel> models, boolean ready) {
        for (HostedModel model : models) {
            ModelInfo info = model.info();
            ModelAnnouncement announcement = new ModelAnnouncement(
                    config.id(),
                    config.pool(),
                    info.id(),
                    info.version(),
                    info.modality().name(),
                    info.device(),
                    ready,
                    config.batch().maxSize(),
                    Instant.now());
            try {
                events.sendMessageAndAwait(message(codec.encode(topics.models(), announcement, TraceContext.NONE)));
            } catch (RuntimeException e) {
                LOG.warnf("announcing %s (ready=%s) failed: %s", info.id(), ready, e.getMessage());
            }
        }
    }

    /** A Reactive Messaging message that writes exactly this Kafka record (topic, key, headers, value). */
    public static Message<byte[]> message(ProducerRecord<String, byte[]> record) {
        return Message.of(record.value())
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                        .withTopic(record.topic())
                        .withKey(record.key())
                        .withHeaders(record.headers())
                        .build());
    }
}
