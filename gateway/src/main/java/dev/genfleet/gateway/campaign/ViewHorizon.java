package dev.genfleet.gateway.campaign;

import dev.genfleet.gateway.kafka.KafkaClients;
import dev.genfleet.gateway.refusal.Refusal;
import dev.genfleet.gateway.refusal.Refused;
import dev.genfleet.gateway.status.ViewReach;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Makes the decisions of a campaign upload independent of how far this replica's status view has replayed.
 * An upload asks the view what the log already holds of its campaign (the upload state on the campaign's audit
 * partition; on a resume, which recipients' job records are on the jobs topic). A view that is still replaying
 * (a gateway just restarted) would answer "nothing", and the upload would publish those recipients again. So
 * before it asks, the upload takes the partitions' end offsets <em>now</em> and waits until the view has read
 * every committed record below them; only then is the view's answer exact for everything that was on the log
 * when the request arrived. If that takes longer than {@link #MAX_WAIT}, the upload answers 503 with
 * {@code Retry-After} and publishes nothing.
 *
 * <p>"Read every committed record below the end" is decided without trusting offsets to be dense: transaction
 * markers and aborted records (workers write {@code genfleet.audit} in transactions) occupy offsets that a
 * read_committed reader never sees. So the end is the high watermark; the partition must have no transaction
 * still open below it (its last stable offset has reached it, else the records after the open transaction's
 * first one are invisible to every read_committed reader yet, the view included); and the target is the last
 * record below the end that a read_committed consumer of our own returns, which the view holds once
 * {@link ViewReach#hasRead} says so: the view has folded it since this replica started, or its committed offset is
 * past it (a view restarted from its own state holds what it read before the restart without folding it again;
 * webhook delivery asks the same question). A record produced by a gateway that has since died has either landed
 * below the end or never will (its producer is gone), so nothing of an earlier attempt can appear later.
 *
 * <p>Chosen over reading the campaign's job ids from the jobs topic directly: that read would need a start
 * offset (the first opening's position or time), which only the view or a scan of the audit topic can give,
 * and the upload state itself must come from a view that has caught up anyway. One wait covers both.
 */
@ApplicationScoped
public class ViewHorizon {

    /** This reader's name in {@link KafkaClients} (readiness, {@code client.id}). */
    public static final String CLIENT = "campaign-log-reader";

    /** How long an upload waits for the view before it answers 503. */
    static final Duration MAX_WAIT = Duration.ofSeconds(5);

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
    private static final int FIRST_WINDOW = 64;

    private final KafkaClients kafka;
    private final ViewReach reach;
    private final Object lock = new Object();
    private KafkaConsumer<byte[], byte[]> consumer;
    private Admin admin;

    @Inject
    public ViewHorizon(KafkaClients kafka, ViewReach reach) {
        this.kafka = kafka;
        this.reach = reach;
    }

    /** The partition that holds the records of {@code key} (the producer's default partitioner: murmur2). */
    public TopicPartition partitionOf(String topic, String key) {
        int n = partitions(topic).size();
        if (n == 0) {
            throw Refused.unavailable("topic " + topic + " has no partitions known to this gateway yet");
        }
        return new TopicPartition(topic, Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % n);
    }

    /** Every partition of {@code topic}. */
    public List<TopicPartition> partitions(String topic) {
        synchronized (lock) {
            List<PartitionInfo> infos = reader().partitionsFor(topic, CALL_TIMEOUT);
            List<TopicPartition> out = new ArrayList<>();
            if (infos != null) {
                infos.forEach(i -> out.add(new TopicPartition(i.topic(), i.partition())));
            }
            return out;
        }
    }

    /**
     * Waits until this replica's view has read every committed record that {@code partitions} held when called;
     * else 503 with {@code Retry-After} naming the campaign, after {@link #MAX_WAIT}.
     */
    public void awaitView(String campaignId, Collection<TopicPartition> partitions) {
        List<String> behind;
        try {
            behind = await(partitions, MAX_WAIT);
        } catch (KafkaException e) {
            throw Refused.unavailable("Kafka did not answer for the end of campaign " + campaignId
                    + "'s partitions (" + e.getClass().getSimpleName() + "); nothing was published; retry with the"
                    + " same Idempotency-Key");
        }
        if (!behind.isEmpty()) {
            throw new Refused(Refusal.OfCampaign.of(
                    campaignId,
                    new Refusal.Unavailable(
                            "this gateway's status view has not yet read what the log holds of campaign " + campaignId
                                    + " (behind on " + String.join(", ", behind.subList(0, Math.min(3, behind.size())))
                                    + (behind.size() > 3 ? " and " + (behind.size() - 3) + " more" : "")
                                    + "); nothing was published; retry with the same Idempotency-Key",
                            Duration.ofSeconds(2))));
        }
    }

    /** As {@link #awaitView}; the partitions still behind after {@code maxWait} ({@code topic-partition}), or none. */
    List<String> await(Collection<TopicPartition> partitions, Duration maxWait) {
        long deadline = System.nanoTime() + maxWait.toNanos();
        Map<TopicPartition, Long> ends = offsets(partitions, IsolationLevel.READ_UNCOMMITTED);
        Map<TopicPartition, Long> pending = new LinkedHashMap<>();
        ends.forEach((tp, end) -> {
            if (end > 0) {
                pending.put(tp, end);
            }
        });
        Map<TopicPartition, Long> target = new HashMap<>(); // last committed offset below the end, -1 for none
        long pause = 10;
        while (true) {
            Map<TopicPartition, Long> undecided = new LinkedHashMap<>(pending);
            undecided.keySet().removeAll(target.keySet());
            if (!undecided.isEmpty()) {
                Map<TopicPartition, Long> stable = offsets(undecided.keySet(), IsolationLevel.READ_COMMITTED);
                Map<TopicPartition, Long> decided = new LinkedHashMap<>();
                undecided.forEach((tp, end) -> {
                    if (stable.getOrDefault(tp, -1L) >= end) {
                        decided.put(tp, end);
                    }
                });
                if (!decided.isEmpty()) {
                    target.putAll(lastCommittedBelow(decided));
                }
            }
            pending.keySet().removeIf(tp -> {
                Long t = target.get(tp);
                return t != null && (t < 0 || reach.hasRead(tp, t));
            });
            if (pending.isEmpty()) {
                return List.of();
            }
            if (System.nanoTime() > deadline) {
                return pending.keySet().stream().map(TopicPartition::toString).toList();
            }
            sleep(pause);
            pause = Math.min(200, pause * 2);
        }
    }

    /** End offsets: the high watermark (READ_UNCOMMITTED) or the last stable offset (READ_COMMITTED). */
    private Map<TopicPartition, Long> offsets(Collection<TopicPartition> partitions, IsolationLevel isolation) {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        ListOffsetsResult result;
        synchronized (lock) {
            result = admin().listOffsets(latest, new ListOffsetsOptions(isolation));
        }
        try {
            Map<TopicPartition, Long> out = new HashMap<>();
            result.all()
                    .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .forEach((tp, info) -> out.put(tp, info.offset()));
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Refused.unavailable("interrupted");
        } catch (ExecutionException | TimeoutException e) {
            throw Refused.unavailable("Kafka did not answer for the end offsets of " + partitions);
        }
    }

    /**
     * The offset of the last record below each end that a read_committed reader sees (-1: none in the
     * partition). Reads a window before the end, widening it eightfold while it holds only markers and aborted
     * records. Every partition's last stable offset must have reached its end.
     */
    private Map<TopicPartition, Long> lastCommittedBelow(Map<TopicPartition, Long> ends) {
        synchronized (lock) {
            KafkaConsumer<byte[], byte[]> c = reader();
            c.assign(ends.keySet()); // before any offset lookup: the consumer updates only assigned partitions
            Map<TopicPartition, Long> begin = c.beginningOffsets(ends.keySet(), CALL_TIMEOUT);
            Map<TopicPartition, Long> out = new HashMap<>();
            Map<TopicPartition, Long> from = new HashMap<>();
            ends.forEach((tp, end) -> from.put(tp, Math.max(begin.getOrDefault(tp, 0L), end - FIRST_WINDOW)));
            try {
                while (!from.isEmpty()) {
                    c.assign(from.keySet());
                    c.resume(from.keySet());
                    from.forEach(c::seek);
                    Map<TopicPartition, Long> last = new HashMap<>();
                    long deadline = System.nanoTime() + CALL_TIMEOUT.toNanos();
                    while (from.keySet().stream().anyMatch(tp -> c.position(tp, CALL_TIMEOUT) < ends.get(tp))) {
                        if (System.nanoTime() > deadline) {
                            throw Refused.unavailable("Kafka did not serve the end of " + from.keySet());
                        }
                        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(100))) {
                            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                            if (r.offset() < ends.get(tp)) {
                                last.merge(tp, r.offset(), Math::max);
                            }
                        }
                    }
                    Map<TopicPartition, Long> wider = new HashMap<>();
                    from.forEach((tp, start) -> {
                        long first = begin.getOrDefault(tp, 0L);
                        if (last.containsKey(tp)) {
                            out.put(tp, last.get(tp));
                        } else if (start <= first) {
                            out.put(tp, -1L);
                        } else {
                            long window = (ends.get(tp) - start) * 8;
                            wider.put(tp, Math.max(first, ends.get(tp) - window));
                        }
                    });
                    from.clear();
                    from.putAll(wider);
                }
            } finally {
                c.pause(c.assignment()); // nothing is fetched between two lookups
            }
            return out;
        }
    }

    private KafkaConsumer<byte[], byte[]> reader() {
        if (consumer == null) {
            consumer = kafka.consumer(
                    CLIENT,
                    Map.of(
                            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                            "read_committed",
                            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                            false,
                            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                            "none"),
                    new ByteArrayDeserializer(),
                    new ByteArrayDeserializer());
        }
        return consumer;
    }

    private Admin admin() {
        if (admin == null) {
            admin = kafka.admin(CLIENT + "-offsets", Map.of());
        }
        return admin;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Refused.unavailable("interrupted");
        }
    }

    @PreDestroy
    public void close() {
        synchronized (lock) {
            if (consumer != null) {
                consumer.close(CloseOptions.timeout(Duration.ofSeconds(1)));
            }
            if (admin != null) {
                admin.close(Duration.ofSeconds(1));
            }
        }
    }
}
