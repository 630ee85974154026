package dev.genfleet.gateway.status;

import java.io.IOException;
import java.util.Objects;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.jboss.logging.Logger;

import dev.genfleet.gateway.GatewayConfig;
import dev.genfleet.schemas.AuditEvent;
import dev.genfleet.schemas.Decoded;
import dev.genfleet.schemas.EventCodec;
import dev.genfleet.schemas.JobResult;
import dev.genfleet.schemas.Json;
import dev.genfleet.schemas.ModelAnnouncement;
import dev.genfleet.schemas.Topics;

/**
 * The status view's Kafka Streams topology (see DESIGN.md in this package). Three RocksDB stores fed
 * from {@code genfleet.audit} + {@code genfleet.results}: {@value #JOBS} (job id → {@link JobView}),
 * {@value #CAMPAIGN_JOBS} ({@code campaignId|jobId} → custom id), {@value #CAMPAIGN_COUNTS}
 * ({@code campaignId|partition} → {@link CampaignCounts}), {@value #TENANT_OPEN} ({@code tenant|partition} →
 * unfinished jobs, for the queued-jobs quota); and {@value #MODELS} from
 * {@code genfleet.models}. A record that cannot be decoded is skipped, never fatal.
 */
@ApplicationScoped
public class ViewTopology {

    public static final String JOBS = "jobs";
    public static final String CAMPAIGN_JOBS = "campaign-jobs";
    public static final String CAMPAIGN_COUNTS = "campaign-counts";
    public static final String MODELS = "models";
    public static final String TENANT_OPEN = "tenant-open";

    /** Audit detail on a campaign's last recipient: how many recipients the campaign has. */
    public static final String CAMPAIGN_RECIPIENTS = "campaign_recipients";
    /** Webhook event type of a finished campaign (also the audit detail {@code event}). */
    public static final String CAMPAIGN_FINISHED = "campaign.finished";

    private static final Logger LOG = Logger.getLogger(ViewTopology.class);

    @Produces
    public Topology topology(GatewayConfig config, ViewProgress progress) {
        return build(config.toTopics(), progress);
    }

    /** The topology, also used directly by tests that run a second replica. */
    public static Topology build(Topics topics) {
        return build(topics, new ViewProgress());
    }

    static Topology build(Topics topics, ViewProgress progress) {
        StreamsBuilder builder = new StreamsBuilder();
        for (String store : new String[] {JOBS, CAMPAIGN_JOBS, CAMPAIGN_COUNTS, MODELS, TENANT_OPEN}) {
            builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(store), Serdes.String(),
                    Serdes.ByteArray()).withLoggingDisabled());
        }
        builder.stream(java.util.List.of(topics.audit(), topics.results()),
                Consumed.with(Serdes.String(), Serdes.ByteArray()))
                .process(() -> new JobProcessor(topics, progress), JOBS, CAMPAIGN_JOBS, CAMPAIGN_COUNTS, TENANT_OPEN);
        builder.stream(topics.models(), Consumed.with(Serdes.String(), Serdes.ByteArray()))
                .process(ModelProcessor::new, MODELS);
        return builder.build();
    }

    static byte[] write(Object value) {
        try {
            return Json.mapper().writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static <T> T read(byte[] bytes, Class<T> type) {
        if (bytes == null) {
            return null;
        }
        try {
            return Json.mapper().readValue(bytes, type);
        } catch (IOException e) {
            throw new IllegalStateException("corrupt view entry: " + e.getMessage(), e);
        }
    }

    static final class JobProcessor implements Processor<String, byte[], Void, Void> {
        private final Topics topics;
        private final ViewProgress progress;
        private final EventCodec codec = EventCodec.forComponent("gateway");
        private ProcessorContext<Void, Void> context;
        private KeyValueStore<String, byte[]> jobs;
        private KeyValueStore<String, byte[]> campaignJobs;
        private KeyValueStore<String, byte[]> counts;
        private KeyValueStore<String, byte[]> open;

        JobProcessor(Topics topics, ViewProgress progress) {
            this.topics = topics;
            this.progress = progress;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            this.context = context;
            this.jobs = context.getStateStore(JOBS);
            this.campaignJobs = context.getStateStore(CAMPAIGN_JOBS);
            this.counts = context.getStateStore(CAMPAIGN_COUNTS);
            this.open = context.getStateStore(TENANT_OPEN);
        }

        @Override
        public void process(Record<String, byte[]> record) {
            try {
                fold(record);
            } finally {
                context.recordMetadata().ifPresent(m -> progress.processed(m.topic(), m.partition(), m.offset()));
            }
        }

        private void fold(Record<String, byte[]> record) {
            String topic = context.recordMetadata().map(m -> m.topic()).orElse("");
            if (record.value() == null) {
                return; // a compaction tombstone: the view keeps what it knew
            }
            String jobId;
            JobView prev;
            JobView next;
            AuditEvent audit = null;
            if (topic.equals(topics.results())) {
                Decoded<JobResult> decoded = codec.decode(record.headers(), record.value(), JobResult.class);
                if (!(decoded instanceof Decoded.Ok<JobResult> ok)) {
                    skip(topic, record, (Decoded.Failed<?>) decoded);
                    return;
                }
                jobId = ok.payload().jobId();
                prev = read(jobs.get(jobId), JobView.class);
                next = ViewReducer.apply(prev, ok.payload());
            } else {
                Decoded<AuditEvent> decoded = codec.decode(record.headers(), record.value(), AuditEvent.class);
                if (!(decoded instanceof Decoded.Ok<AuditEvent> ok)) {
                    skip(topic, record, (Decoded.Failed<?>) decoded);
                    return;
                }
                audit = ok.payload();
                jobId = audit.jobId();
                prev = read(jobs.get(jobId), JobView.class);
                next = ViewReducer.apply(prev, audit);
            }
            if (Objects.equals(prev, next)) {
                return;
            }
            jobs.put(jobId, write(next));
            int partition = context.recordMetadata().map(m -> m.partition()).orElse(0);
            boolean wasOpen = prev != null && !prev.terminal();
            if (wasOpen != !next.terminal()) {
                String openKey = next.tenant() + "|" + partition;
                byte[] current = open.get(openKey);
                long n = current == null ? 0 : Long.parseLong(new String(current, java.nio.charset.StandardCharsets.UTF_8));
                n += wasOpen ? -1 : 1;
                open.put(openKey, Long.toString(n).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            if (next.campaignId() != null) {
                String countsKey = next.campaignId() + "|" + partition;
                boolean known = prev != null && prev.campaignId() != null;
                if (!known) {
                    campaignJobs.put(next.campaignId() + "|" + jobId,
                            (next.customId() == null ? "" : next.customId()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
                String before = known ? ViewReducer.bucket(prev) : null;
                String after = ViewReducer.bucket(next);
                if (!after.equals(before)) {
                    CampaignCounts c = read(counts.get(countsKey), CampaignCounts.class);
                    if (c == null) {
                        c = new CampaignCounts(next.tenant(), null);
                    }
                    if (before != null) {
                        c = c.plus(before, -1);
                    }
                    counts.put(countsKey, write(c.plus(after, 1)));
                }
                if (audit != null) {
                    campaignFacts(countsKey, next, audit);
                }
            }
        }

        /** The recipient count travels on the campaign's last recipient; a delivered campaign webhook is noted. */
        private void campaignFacts(String countsKey, JobView job, AuditEvent audit) {
            String recipients = audit.details().get(CAMPAIGN_RECIPIENTS);
            boolean notified = audit.type() == dev.genfleet.schemas.AuditType.WEBHOOK_DELIVERED
                    && CAMPAIGN_FINISHED.equals(audit.details().get("event"));
            if (recipients == null && !notified) {
                return;
            }
            CampaignCounts c = read(counts.get(countsKey), CampaignCounts.class);
            if (c == null) {
                c = new CampaignCounts(job.tenant(), null);
            }
            if (recipients != null && recipients.matches("[0-9]{1,12}")) {
                c = c.withExpected(Long.parseLong(recipients));
            }
            if (notified) {
                c = c.withNotified();
            }
            counts.put(countsKey, write(c));
        }

        private static void skip(String topic, Record<String, byte[]> record, Decoded.Failed<?> failed) {
            LOG.debugf("status view skips a record of %s (key %s): %s %s", topic, record.key(),
                    failed.reason().code(), failed.reason().message());
        }
    }

    static final class ModelProcessor implements Processor<String, byte[], Void, Void> {
        private final EventCodec codec = EventCodec.forComponent("gateway");
        private KeyValueStore<String, byte[]> models;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            this.models = context.getStateStore(MODELS);
        }

        @Override
        public void process(Record<String, byte[]> record) {
            if (record.value() == null) {
                if (record.key() != null) {
                    models.delete(record.key());
                }
                return;
            }
            Decoded<ModelAnnouncement> decoded = codec.decode(record.headers(), record.value(), ModelAnnouncement.class);
            if (decoded instanceof Decoded.Ok<ModelAnnouncement> ok) {
                ModelAnnouncement a = ok.payload();
                models.put(a.workerId() + "/" + a.model(), write(a));
            }
        }
    }
}
