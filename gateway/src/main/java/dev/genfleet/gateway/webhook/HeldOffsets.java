package dev.genfleet.gateway.webhook;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Committable offsets per partition: one past the last record read, but never past a record whose
 * delivery is still held.
 */
final class HeldOffsets {

    /** Keeps one record's offset from being committed until released (idempotent). */
    interface Hold {
        void release();
    }

    private final Map<TopicPartition, TreeMap<Long, Integer>> held = new HashMap<>();
    private final Map<TopicPartition, Long> next = new HashMap<>();
    private final Map<TopicPartition, Long> committed = new HashMap<>();

    synchronized void seen(TopicPartition tp, long offset) {
        next.merge(tp, offset + 1, Math::max);
    }

    synchronized Hold hold(TopicPartition tp, long offset) {
        held.computeIfAbsent(tp, k -> new TreeMap<>()).merge(offset, 1, Integer::sum);
        AtomicBoolean done = new AtomicBoolean();
        return () -> {
            if (done.compareAndSet(false, true)) {
                release(tp, offset);
            }
        };
    }

    private synchronized void release(TopicPartition tp, long offset) {
        TreeMap<Long, Integer> h = held.get(tp);
        if (h != null && h.merge(offset, -1, Integer::sum) <= 0) {
            h.remove(offset);
        }
    }

    synchronized Map<TopicPartition, OffsetAndMetadata> committable(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        for (TopicPartition tp : partitions) {
            Long n = next.get(tp);
            if (n == null) {
                continue;
            }
            TreeMap<Long, Integer> h = held.get(tp);
            long safe = h == null || h.isEmpty() ? n : Math.min(n, h.firstKey());
            if (!Long.valueOf(safe).equals(committed.get(tp))) {
                out.put(tp, new OffsetAndMetadata(safe));
                committed.put(tp, safe);
            }
        }
        return out;
    }
}
