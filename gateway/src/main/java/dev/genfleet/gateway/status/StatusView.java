package dev.genfleet.gateway.status;

import dev.genfleet.gateway.refusal.Refused;
import dev.genfleet.schemas.ModelAnnouncement;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Reads the status view. Every replica materializes the whole view (see DESIGN.md), so every read is
 * local. Jobs accepted by this replica but not yet read back from Kafka are answered from
 * {@link RecentSubmissions}, so a client can GET right after its POST.
 */
@ApplicationScoped
public class StatusView {

    private static final Pattern PARTITION = Pattern.compile("[0-9]{1,10}");

    private final KafkaStreams streams;
    private final RecentSubmissions recent;

    @Inject
    public StatusView(KafkaStreams streams, RecentSubmissions recent) {
        this.streams = streams;
        this.recent = recent;
    }

    /** The job as the view knows it (any tenant; callers check ownership). */
    public Optional<JobView> job(String jobId) {
        JobView v = ViewTopology.read(read(ViewTopology.JOBS, s -> s.get(jobId)), JobView.class);
        if (v != null) {
            return Optional.of(v);
        }
        return recent.get(jobId);
    }

    /** The job if it belongs to {@code tenant}, else empty (so another tenant's job is a 404). */
    public Optional<JobView> job(String jobId, String tenant) {
        return job(jobId).filter(v -> v.tenant().equals(tenant));
    }

    /** The tenant's counts of a campaign summed over partitions, if any of its jobs or upload events is known. */
    public Optional<CampaignCounts> campaign(String campaignId, String tenant) {
        return read(ViewTopology.CAMPAIGN_COUNTS, store -> campaign(store, campaignId, tenant));
    }

    /** {@link #campaign(String, String)} on one store (the topology's own tests read their driver's store). */
    static Optional<CampaignCounts> campaign(
            ReadOnlyKeyValueStore<String, byte[]> store, String campaignId, String tenant) {
        CampaignCounts sum = null;
        String prefix = ViewTopology.countsPrefix(campaignId, tenant);
        try (KeyValueIterator<String, byte[]> it = store.prefixScan(prefix, new StringSerializer())) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                if (!PARTITION
                        .matcher(kv.key)
                        .region(prefix.length(), kv.key.length())
                        .matches()) {
                    continue; // another campaign whose id or tenant contains '|'
                }
                CampaignCounts c = ViewTopology.read(kv.value, CampaignCounts.class);
                if (c.tenant().equals(tenant)) {
                    sum = sum == null ? c : sum.merge(c);
                }
            }
        }
        return Optional.ofNullable(sum);
    }

    /** Whether the view itself (not {@link RecentSubmissions}) has read the job. */
    public boolean inView(String jobId) {
        return read(ViewTopology.JOBS, s -> s.get(jobId)) != null;
    }

    /** Jobs of the tenant that the view knows and that have not finished, summed over partitions. */
    public long openJobs(String tenant) {
        return read(ViewTopology.TENANT_OPEN, store -> {
            long sum = 0;
            try (KeyValueIterator<String, byte[]> it = store.prefixScan(tenant + "|", new StringSerializer())) {
                while (it.hasNext()) {
                    sum += Long.parseLong(new String(it.next().value, StandardCharsets.UTF_8));
                }
            }
            return Math.max(0, sum);
        });
    }

    /** Visits the jobs of a campaign without holding them all: (job id, custom id) pairs. */
    public void campaignJobs(String campaignId, Consumer<KeyValue<String, String>> visitor) {
        String prefix = campaignId + "|";
        try (KeyValueIterator<String, byte[]> it =
                store(ViewTopology.CAMPAIGN_JOBS).prefixScan(prefix, new StringSerializer())) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> kv = it.next();
                String custom = new String(kv.value, StandardCharsets.UTF_8);
                visitor.accept(KeyValue.pair(kv.key.substring(prefix.length()), custom.isEmpty() ? null : custom));
            }
        } catch (InvalidStateStoreException e) {
            throw Refused.unavailable("the status view is rebuilding; retry shortly");
        }
    }

    /** Every announcement known, latest per worker and model. */
    public List<ModelAnnouncement> announcements() {
        return read(ViewTopology.MODELS, store -> {
            List<ModelAnnouncement> out = new ArrayList<>();
            try (KeyValueIterator<String, byte[]> it = store.all()) {
                while (it.hasNext()) {
                    out.add(ViewTopology.read(it.next().value, ModelAnnouncement.class));
                }
            }
            return out;
        });
    }

    /** Announcements grouped by model id. */
    public Map<String, List<ModelAnnouncement>> announcementsByModel() {
        Map<String, List<ModelAnnouncement>> byModel = new LinkedHashMap<>();
        for (ModelAnnouncement a : announcements()) {
            byModel.computeIfAbsent(a.model(), k -> new ArrayList<>()).add(a);
        }
        return byModel;
    }

    /**
     * Runs a read against a store, retrying for up to 5 s while Kafka Streams is (re)starting or
     * rebalancing (the store handle refuses reads then), after that 503.
     */
    private <T> T read(String name, java.util.function.Function<ReadOnlyKeyValueStore<String, byte[]>, T> query) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            try {
                return query.apply(store(name));
            } catch (InvalidStateStoreException e) {
                if (System.nanoTime() > deadline) {
                    throw Refused.unavailable("the status view is rebuilding; retry shortly");
                }
                pause();
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw Refused.unavailable("interrupted while the status view is rebuilding");
        }
    }

    private ReadOnlyKeyValueStore<String, byte[]> store(String name) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            try {
                return streams.store(StoreQueryParameters.fromNameAndType(
                        name, QueryableStoreTypes.<String, byte[]>keyValueStore()));
            } catch (InvalidStateStoreException e) {
                if (System.nanoTime() > deadline) {
                    throw Refused.unavailable("the status view is rebuilding; retry shortly");
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw Refused.unavailable("interrupted while the status view is rebuilding");
                }
            }
        }
    }
}
