package dev.genfleet.gateway.status;

import dev.genfleet.gateway.GatewayConfig;
import dev.genfleet.schemas.AuditEvent;
import dev.genfleet.schemas.AuditType;
import dev.genfleet.schemas.Decoded;
import dev.genfleet.schemas.EventCodec;
import dev.genfleet.schemas.JobRequest;
import dev.genfleet.schemas.JobResult;
import dev.genfleet.schemas.Json;
import dev.genfleet.schemas.ModelAnnouncement;
import dev.genfleet.schemas.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.io.IOException;
import java.util.Objects;
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

/**
 * The status view's Kafka Streams topology (see DESIGN.md in this package). Three RocksDB stores fed
 * from {@code genfleet.audit} + {@code genfleet.results}: {@value #JOBS} (job id → {@link JobView}),
 * {@value #CAMPAIGN_JOBS} ({@code campaignId|jobId} → custom id), {@value #CAMPAIGN_COUNTS}
 * ({@link #countsKey campaignId|tenant|partition} → {@link CampaignCounts}), {@value #TENANT_OPEN}
 * ({@code tenant|partition} →
 * unfinished jobs, for the queued-jobs quota); and {@value #MODELS} from
 * {@code genfleet.models}. A record that cannot be decoded is skipped, never fatal.
 */
@ApplicationScoped
public class ViewTopology {

    public static final String JOBS = "jobs";
    public static final String CAMPAIGN_JOBS = "campaign-jobs";
    public static final String CAMPAIGN_COUNTS = "campaign-counts";

    /**
     * The layout of the stores' keys and values. A replica resumes from its own state only if that state was written
     * in this layout ({@link ViewState}); raise it whenever a key or value changes shape, so an upgraded gateway
     * replays once instead of misreading its old stores. 2: campaign counts keyed by tenant too.
     */
    public static final int STATE_LAYOUT = 2;

    public static final String MODELS = "models";
    public static final String TENANT_OPEN = "tenant-open";

    /** Kafka header of a job record with the hash of the client's request (see JobSubmitter). */
    public static final String REQUEST_SHA256_HEADER = "genfleet-request-sha256";

    /** Audit detail on a campaign's last recipient: how many recipients the campaign has. */
    public static final String CAMPAIGN_RECIPIENTS = "campaign_recipients";
    /** Webhook event type of a finished campaign (also the audit detail {@code event}). */
    public static final String CAMPAIGN_FINISHED = "campaign.finished";

    private static final Logger LOG = Logger.getLogger(ViewTopology.class);

    @Produces
    public Topology topology(GatewayConfig config, ViewProgress progress, CampaignLeases leases, ViewState state) {
        state.prepare(); // before Kafka Streams is built: unowned state removed, own state kept or wiped
        return build(config.toTopics(), progress, leases);
    }

    /** The topology, also used directly by tests that run a second replica. */
    public static Topology build(Topics topics) {
        return build(topics, new ViewProgress(), new CampaignLeases());
    }

    static Topology build(Topics topics, ViewProgress progress, CampaignLeases leases) {
        StreamsBuilder builder = new StreamsBuilder();
        for (String store : new String[] {JOBS, CAMPAIGN_JOBS, CAMPAIGN_COUNTS, MODELS, TENANT_OPEN}) {
            builder.addStateStore(Stores.keyValueStoreBuilder(
                            Stores.persistentKeyValueStore(store), Serdes.String(), Serdes.ByteArray())
                    .withLoggingDisabled());
        }
        builder.stream(
                        java.util.List.of(topics.audit(), topics.results()),
                        Consumed.with(Serdes.String(), Serdes.ByteArray()))
                .merge(builder.stream(jobsTopics(topics), Consumed.with(Serdes.String(), Serdes.ByteArray())))
                .process(
                        () -> new JobViewFolder(topics, progress, leases),
                        JOBS,
                        CAMPAIGN_JOBS,
                        CAMPAIGN_COUNTS,
                        TENANT_OPEN);
        builder.stream(topics.models(), Consumed.with(Serdes.String(), Serdes.ByteArray()))
                .process(AnnouncementFolder::new, MODELS);
        return builder.build();
    }

    /**
     * Every jobs topic ({@code <jobs-prefix><pool>.interactive|bulk}), also of pools announced later. The view
     * learns SUBMITTED from the job records themselves; they must be co-partitioned with the audit topic
     * (same partition count, key = job id) so one task holds all facts of a job.
     */
    public static java.util.regex.Pattern jobsTopics(Topics topics) {
        return java.util.regex.Pattern.compile(
                java.util.regex.Pattern.quote(topics.jobsPrefix()) + "[a-z0-9][a-z0-9-]{0,48}\\.(interactive|bulk)");
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

    /**
     * Folds job, result and audit records into the job, campaign and tenant view stores (the Kafka
     * Streams processor of the status view; the worker's {@code JobProcessor} runs jobs on a model).
     */
    static final class JobViewFolder implements Processor<String, byte[], Void, Void> {
        private final Topics topics;
        private final ViewProgress progress;
        private final CampaignLeases leases;
        private final EventCodec codec = EventCodec.forComponent("gateway");
        private ProcessorContext<Void, Void> context;
        private KeyValueStore<String, byte[]> jobs;
        private KeyValueStore<String, byte[]> campaignJobs;
        private KeyValueStore<String, byte[]> counts;
        private KeyValueStore<String, byte[]> open;

        JobViewFolder(Topics topics, ViewProgress progress, CampaignLeases leases) {
            this.topics = topics;
            this.progress = progress;
            this.leases = leases;
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
            } else if (!topic.equals(topics.audit())) {
                Decoded<JobRequest> decoded = codec.decode(record.headers(), record.value(), JobRequest.class);
                if (!(decoded instanceof Decoded.Ok<JobRequest> ok)) {
                    skip(topic, record, (Decoded.Failed<?>) decoded);
                    return;
                }
                jobId = ok.payload().jobId();
                String pool = topic.startsWith(topics.jobsPrefix())
                                && topic.lastIndexOf('.') > topics.jobsPrefix().length()
                        ? topic.substring(topics.jobsPrefix().length(), topic.lastIndexOf('.'))
                        : null;
                org.apache.kafka.common.header.Header sha = record.headers().lastHeader(REQUEST_SHA256_HEADER);
                prev = read(jobs.get(jobId), JobView.class);
                next = ViewReducer.apply(
                        prev,
                        ok.payload(),
                        pool,
                        sha == null ? null : new String(sha.value(), java.nio.charset.StandardCharsets.UTF_8),
                        java.time.Instant.ofEpochMilli(record.timestamp()));
            } else {
                Decoded<AuditEvent> decoded = codec.decode(record.headers(), record.value(), AuditEvent.class);
                if (!(decoded instanceof Decoded.Ok<AuditEvent> ok)) {
                    skip(topic, record, (Decoded.Failed<?>) decoded);
                    return;
                }
                audit = ok.payload();
                if (isCampaignEvent(audit.type())) {
                    upload(audit);
                    return;
                }
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
                long n = current == null
                        ? 0
                        : Long.parseLong(new String(current, java.nio.charset.StandardCharsets.UTF_8));
                n += wasOpen ? -1 : 1;
                open.put(openKey, Long.toString(n).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            if (next.campaignId() != null) {
                // keyed by the job's tenant too: a record of another tenant naming this campaign id (only a forged
                // or buggy producer writes one; ids are UUIDs or tenant-scoped hashes) counts in its own entry
                String countsKey = countsKey(next.campaignId(), next.tenant(), partition);
                boolean known = prev != null && prev.campaignId() != null;
                if (!known) {
                    campaignJobs.put(
                            next.campaignId() + "|" + jobId,
                            (next.customId() == null ? "" : next.customId())
                                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
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

        /**
         * A campaign upload's own event (key = campaign id, so all of one campaign's sit in one partition, read
         * in log order): folded into that partition's counts entry as the upload state.
         */
        private void upload(AuditEvent e) {
            String campaignId = e.campaignId() != null ? e.campaignId() : e.jobId();
            int partition = context.recordMetadata().map(m -> m.partition()).orElse(0);
            String countsKey = countsKey(campaignId, e.tenant(), partition);
            CampaignCounts c = read(counts.get(countsKey), CampaignCounts.class);
            if (c == null) {
                c = new CampaignCounts(e.tenant(), null);
            }
            CampaignCounts.Upload next = foldUpload(c.upload(), e);
            if (Objects.equals(next, c.upload())) {
                return;
            }
            counts.put(countsKey, write(c.withUpload(next)));
            leases.observed(campaignId, e.tenant(), next);
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
            LOG.debugf(
                    "status view skips a record of %s (key %s): %s %s",
                    topic, record.key(), failed.reason().code(), failed.reason().message());
        }
    }

    /**
     * Key of one partition's counts of a tenant's campaign. {@link StatusView#campaign} reads them by the prefix
     * {@code campaignId|tenant|} and takes only entries whose rest is a partition number and whose value names the
     * tenant, so ids that contain {@code |} cannot read as another campaign's.
     */
    static String countsKey(String campaignId, String tenant, int partition) {
        return countsPrefix(campaignId, tenant) + partition;
    }

    static String countsPrefix(String campaignId, String tenant) {
        return campaignId + "|" + tenant + "|";
    }

    static boolean isCampaignEvent(AuditType type) {
        return type == AuditType.CAMPAIGN_OPENED
                || type == AuditType.CAMPAIGN_SEALED
                || type == AuditType.CAMPAIGN_INCOMPLETE;
    }

    /** The upload state machine (see DESIGN.md): the first seal is final; INCOMPLETE only ends the opening it names. */
    static CampaignCounts.Upload foldUpload(CampaignCounts.Upload prev, AuditEvent e) {
        java.util.Map<String, String> d = e.details();
        if (prev != null && prev.sealed()) {
            return prev;
        }
        String name = prev != null && prev.name() != null ? prev.name() : d.get("name");
        String headerSha = prev != null && prev.headerSha256() != null ? prev.headerSha256() : d.get("header_sha256");
        String webhook = prev != null && prev.webhookUrl() != null ? prev.webhookUrl() : d.get("webhook_url");
        Long lease = number(d.get("lease_ms"));
        return switch (e.type()) {
            case CAMPAIGN_OPENED ->
                new CampaignCounts.Upload(
                        CampaignCounts.UPLOADING,
                        name,
                        headerSha,
                        null,
                        null,
                        prev == null ? null : prev.accepted(),
                        null,
                        null,
                        e.eventId(),
                        lease != null ? lease : prev == null ? null : prev.leaseMs(),
                        webhook);
            case CAMPAIGN_SEALED ->
                new CampaignCounts.Upload(
                        CampaignCounts.SEALED,
                        name,
                        headerSha,
                        d.get("digest"),
                        number(d.get("recipients")),
                        number(d.get("accepted")),
                        number(d.get("queued")),
                        number(d.get("rejected")),
                        prev == null ? null : prev.openedEventId(),
                        prev == null ? null : prev.leaseMs(),
                        webhook);
            default -> {
                String opening = d.get("opened_event_id");
                if (prev != null
                        && CampaignCounts.INCOMPLETE.equals(prev.state())
                        && opening != null
                        && opening.equals(prev.openedEventId())) {
                    // a second mark of the same opening (the uploader's own after a replica's, whose view lagged)
                    Long more = number(d.get("accepted"));
                    yield more == null || (prev.accepted() != null && prev.accepted() >= more)
                            ? prev
                            : new CampaignCounts.Upload(
                                    prev.state(),
                                    prev.name(),
                                    prev.headerSha256(),
                                    null,
                                    null,
                                    more,
                                    null,
                                    null,
                                    prev.openedEventId(),
                                    prev.leaseMs(),
                                    prev.webhookUrl());
                }
                if (prev == null
                        || !CampaignCounts.UPLOADING.equals(prev.state())
                        || (opening != null && !opening.equals(prev.openedEventId()))) {
                    yield prev; // an older opening's mark, or one already settled
                }
                yield new CampaignCounts.Upload(
                        CampaignCounts.INCOMPLETE,
                        name,
                        headerSha,
                        null,
                        null,
                        number(d.get("accepted")),
                        null,
                        null,
                        prev.openedEventId(),
                        prev.leaseMs(),
                        webhook);
            }
        };
    }

    private static Long number(String text) {
        return text != null && text.matches("[0-9]{1,15}") ? Long.valueOf(text) : null;
    }

    /** Folds workers' model announcements into {@value #MODELS} (worker/model → latest; a tombstone removes it). */
    static final class AnnouncementFolder implements Processor<String, byte[], Void, Void> {
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
            Decoded<ModelAnnouncement> decoded =
                    codec.decode(record.headers(), record.value(), ModelAnnouncement.class);
            if (decoded instanceof Decoded.Ok<ModelAnnouncement> ok) {
                ModelAnnouncement a = ok.payload();
                models.put(a.workerId() + "/" + a.model(), write(a));
            }
        }
    }
}
