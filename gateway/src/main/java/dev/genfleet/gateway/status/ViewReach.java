package dev.genfleet.gateway.status;

import dev.genfleet.gateway.kafka.KafkaClients;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;

/**
 * Whether this replica's status view holds the record at an offset: the question a reader asks before it trusts
 * the view's answer about that record (a campaign upload, {@code campaign/ViewHorizon}; a webhook delivery,
 * {@code webhook/FactResolver}). Two kinds of evidence count:
 * <ol>
 * <li>the view has folded the record, or a later one of its partition, since this replica started
 * ({@link ViewProgress}, moved after the stores are written);</li>
 * <li>the view's committed offset (its application id is its consumer group) is past the record, and the partition
 * is an active task of the view here, which is {@code RUNNING} (so a store read covers that partition).</li>
 * </ol>
 * The second is what a view restarted from its own state has (status/DESIGN.md, "Restart from own state"): it holds
 * what it read before the restart without folding it again, so on a partition that has been quiet since, the first
 * never comes. It is sound because Kafka Streams commits only offsets it has processed, after flushing the stores;
 * a clean stop commits and flushes both; and a start without usable state (first start, crash) deletes the group
 * before Kafka Streams is built ({@link ViewState#prepare()}), so no committed offset is read here before
 * {@code prepare} has run, and none read afterwards runs ahead of the stores.
 *
 * <p>Committed offsets are fetched for the whole group at most every {@link #REFRESH}, asynchronously: a caller
 * never waits for Kafka here (the webhook dispatcher asks from its timer threads). A stale answer is only ever too
 * low (a running view's committed offsets do not move back), so a caller that polls, as both do, is at worst one
 * refresh late; one that asks once may be told "not read" although the view holds the record.
 */
@Singleton
public class ViewReach {

    /** This client's name in {@link KafkaClients} ({@code client.id}). */
    public static final String CLIENT = "view-offsets";

    /** The most often the view's committed offsets are fetched. */
    static final Duration REFRESH = Duration.ofMillis(250);

    private static final int CALL_TIMEOUT_MS = 5000;

    private final KafkaClients kafka;
    private final ViewProgress progress;
    private final Supplier<KafkaStreams> streams;
    private final String applicationId;
    private final BooleanSupplier prepared;
    private final AtomicBoolean fetching = new AtomicBoolean();
    private final AtomicLong lastFetch = new AtomicLong();
    private volatile boolean fetchedOnce;
    private volatile Map<TopicPartition, Long> committed = Map.of();
    private Admin admin;

    @Inject
    public ViewReach(KafkaClients kafka, ViewProgress progress, Instance<KafkaStreams> streams, ViewState state) {
        this(kafka, progress, streams::get, state.applicationId(), () -> state.start() != null);
    }

    /** A reach over a given view (tests: a running view's own streams and application id). */
    public ViewReach(KafkaClients kafka, ViewProgress progress, KafkaStreams streams, String applicationId) {
        this(kafka, progress, () -> streams, applicationId, () -> true);
    }

    private ViewReach(
            KafkaClients kafka,
            ViewProgress progress,
            Supplier<KafkaStreams> streams,
            String applicationId,
            BooleanSupplier prepared) {
        this.kafka = kafka;
        this.progress = progress;
        this.streams = streams;
        this.applicationId = applicationId;
        this.prepared = prepared;
    }

    /** Whether the view holds the record at {@code offset} of the partition (see the class comment). */
    public boolean hasRead(TopicPartition tp, long offset) {
        if (progress.hasRead(tp.topic(), tp.partition(), offset)) {
            return true;
        }
        fetchIfStale();
        return committed.getOrDefault(tp, -1L) > offset && activeHere(tp);
    }

    /**
     * Waits at most {@code bound} until the view holds the record at {@code offset}; answers false at once when
     * the partition is not an active task of this replica's view (another replica holds it, or a rebalance is
     * under way), since waiting here would not help.
     */
    public boolean awaitRead(TopicPartition tp, long offset, Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!hasRead(tp, offset)) {
            if (!activeHere(tp) || System.nanoTime() >= deadline) {
                return false;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** As {@link #hasRead(TopicPartition, long)}. */
    public boolean hasRead(String topic, int partition, long offset) {
        return hasRead(new TopicPartition(topic, partition), offset);
    }

    /** Whether the partition is an active task of this replica's view, and the view is running. */
    private boolean activeHere(TopicPartition tp) {
        KafkaStreams s = streams.get();
        if (s.state() != KafkaStreams.State.RUNNING) {
            return false;
        }
        for (ThreadMetadata thread : s.metadataForLocalThreads()) {
            for (TaskMetadata task : thread.activeTasks()) {
                if (task.topicPartitions().contains(tp)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Starts a fetch of the view's committed offsets unless one ran within {@link #REFRESH} or is running. */
    private void fetchIfStale() {
        if (!prepared.getAsBoolean()) {
            return; // the group may still hold offsets of state that ViewState is about to wipe
        }
        long now = System.nanoTime();
        if (fetchedOnce && now - lastFetch.get() < REFRESH.toNanos()) {
            return;
        }
        if (!fetching.compareAndSet(false, true)) {
            return;
        }
        lastFetch.set(now);
        fetchedOnce = true;
        try {
            admin().listConsumerGroupOffsets(
                            applicationId, new ListConsumerGroupOffsetsOptions().timeoutMs(CALL_TIMEOUT_MS))
                    .partitionsToOffsetAndMetadata()
                    .whenComplete((offsets, e) -> {
                        if (e == null) {
                            Map<TopicPartition, Long> out = new HashMap<>();
                            offsets.forEach((tp, o) -> {
                                if (o != null) {
                                    out.put(tp, o.offset());
                                }
                            });
                            committed = Map.copyOf(out);
                        } // else not known now: the last answer (or the view's own progress) stands
                        fetching.set(false);
                    });
        } catch (RuntimeException e) {
            fetching.set(false);
        }
    }

    private synchronized Admin admin() {
        if (admin == null) {
            admin = kafka.admin(CLIENT, Map.of());
        }
        return admin;
    }

    @PreDestroy
    public synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(1));
            admin = null;
        }
    }
}
