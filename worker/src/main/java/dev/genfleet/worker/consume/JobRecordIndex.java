package dev.genfleet.worker.consume;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;

/**
 * Which job ids sit at which offsets of each jobs partition, over the last {@code window} offsets: the facts
 * behind "a job record published twice has one outcome" (see "A job record published twice" in DESIGN.md).
 *
 * <p>A record is a repeat when a record of the same job id sits at a smaller offset of the same partition, at
 * most {@code window} offsets before it. That is a property of the log alone, so every worker and every lane
 * decides it the same way, whoever processed the first record and however often a poll is rolled back and
 * read again. Entries are facts about the log and never conflict, so learning one twice, or out of order, or
 * from a lane that has since lost the partition, changes nothing.
 *
 * <p>Besides the entries, each partition keeps the range of offsets {@code [from, to)} that it knows
 * completely, so a rebalance reads back only what is missing ({@link #missing}).
 */
final class JobRecordIndex {

    private final long window;
    private final Map<TopicPartition, Partition> partitions = new ConcurrentHashMap<>();

    JobRecordIndex(long window) {
        if (window < 1) {
            throw new IllegalArgumentException("the duplicate window must be at least 1 offset, not " + window);
        }
        this.window = window;
    }

    long window() {
        return window;
    }

    /**
     * Learns that {@code jobId} sits at {@code offset}, polled in order from the consumer's position, and
     * answers the offset of an earlier record of the same job within the window, if there is one.
     */
    OptionalLong earlierRecord(TopicPartition tp, String jobId, long offset) {
        Partition p = partitions.computeIfAbsent(tp, t -> new Partition());
        synchronized (p) {
            p.learn(jobId, offset, window);
            p.polled(offset);
            TreeSet<Long> offsets = p.offsetsOf.get(jobId);
            Long earlier = offsets == null ? null : offsets.lower(offset);
            return earlier != null && offset - earlier <= window ? OptionalLong.of(earlier) : OptionalLong.empty();
        }
    }

    /** Learns the records read back from {@code [from, to)}: the whole range is known afterwards. */
    void readBack(TopicPartition tp, long from, long to, Map<Long, String> jobIdsByOffset) {
        Partition p = partitions.computeIfAbsent(tp, t -> new Partition());
        synchronized (p) {
            jobIdsByOffset.forEach((offset, jobId) -> p.learn(jobId, offset, window));
            p.known(from, to);
        }
    }

    /**
     * The range still to read back so that a consumer starting at {@code position} (its committed offset) knows
     * every record in the window before it, or {@code null} when it knows them all. {@code logStart} is the
     * partition's first offset.
     */
    long[] missing(TopicPartition tp, long position, long logStart) {
        long need = Math.max(logStart, position - window);
        if (need >= position) {
            return null;
        }
        Partition p = partitions.get(tp);
        if (p == null) {
            return new long[] {need, position};
        }
        synchronized (p) {
            if (p.from <= need && p.to >= position) {
                return null;
            }
            if (p.from <= need && p.to > need && p.to < position) {
                return new long[] {p.to, position};
            }
            return new long[] {need, position};
        }
    }

    /** Entries held now, for tests and the log. */
    int size(TopicPartition tp) {
        Partition p = partitions.get(tp);
        if (p == null) {
            return 0;
        }
        synchronized (p) {
            return p.byOffset.size();
        }
    }

    private static final class Partition {
        final TreeMap<Long, String> byOffset = new TreeMap<>();
        final Map<String, TreeSet<Long>> offsetsOf = new HashMap<>();
        /** {@code [from, to)}: every record in it is known (empty while from == to). */
        long from;

        long to;

        void learn(String jobId, long offset, long window) {
            if (byOffset.putIfAbsent(offset, jobId) == null) {
                offsetsOf.computeIfAbsent(jobId, id -> new TreeSet<>()).add(offset);
            }
            // forget what lies more than a window before the newest record known
            long horizon = byOffset.lastKey() - window;
            while (!byOffset.isEmpty() && byOffset.firstKey() < horizon) {
                Map.Entry<Long, String> oldest = byOffset.pollFirstEntry();
                TreeSet<Long> offsets = offsetsOf.get(oldest.getValue());
                offsets.remove(oldest.getKey());
                if (offsets.isEmpty()) {
                    offsetsOf.remove(oldest.getValue());
                }
            }
            from = Math.max(from, horizon);
            if (to < from) {
                to = from;
            }
        }

        /** A record polled at {@code offset}: a consumer reads in order from its position, so the range grows. */
        void polled(long offset) {
            if (offset >= from && offset <= to) {
                to = Math.max(to, offset + 1);
            }
        }

        void known(long start, long end) {
            if (from == to || end < from || start > to) {
                // disjoint from what was known: the read-back range replaces it
                from = start;
                to = end;
            } else {
                from = Math.min(from, start);
                to = Math.max(to, end);
            }
        }
    }
}
