package dev.genfleet.gateway.status;

import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.common.TopicPartition;

/**
 * How far this replica's status view has read each partition of {@code genfleet.audit} and
 * {@code genfleet.results}: one past the offset of the last record it has folded into its stores. A record
 * at an offset below that is in the view (the stores are written before the position moves), so a reader
 * that holds a record can tell "the view lags behind it" from "the view has read it and it changed nothing".
 */
@Singleton
public class ViewProgress {

    private final Map<TopicPartition, Long> next = new ConcurrentHashMap<>();
    private final LongAdder records = new LongAdder();
    private final Map<String, LongAdder> byTopic = new ConcurrentHashMap<>();

    /** Called by the topology after the record at {@code offset} has been applied (or skipped). */
    void processed(String topic, int partition, long offset) {
        next.merge(new TopicPartition(topic, partition), offset + 1, Math::max);
        records.increment();
        byTopic.computeIfAbsent(topic, t -> new LongAdder()).increment();
    }

    /** Records of {@code topic} this replica's view has read since it started. */
    public long recordsRead(String topic) {
        LongAdder a = byTopic.get(topic);
        return a == null ? 0 : a.sum();
    }

    /** Records this replica's view has read since it started (a replay's progress). */
    public long recordsRead() {
        return records.sum();
    }

    /** One past the last offset the view has read of the partition; 0 when none. */
    long next(TopicPartition tp) {
        return next.getOrDefault(tp, 0L);
    }

    /** Whether the view has read the record at {@code offset} of the partition (or a later one). */
    public boolean hasRead(String topic, int partition, long offset) {
        Long n = next.get(new TopicPartition(topic, partition));
        return n != null && n > offset;
    }
}
