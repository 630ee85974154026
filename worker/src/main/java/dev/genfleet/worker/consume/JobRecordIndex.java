package dev.genfleet.worker.consume;

import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.TopicPartition;

/**
 * Which job ids, at which attempts, sit at which offsets of each jobs partition, over the last {@code window}
 * offsets: the facts behind "a job record published twice has one outcome" (see "A job record published twice"
 * in DESIGN.md).
 *
 * <p>A record is a repeat when a record of the same job id with the same or a higher attempt sits at a smaller
 * offset of the same partition, at most {@code window} offsets before it. A record of a higher attempt than every
 * earlier one (an operator's redrive of a dead-lettered job, {@code attempt} = the dead-lettered one + 1) is a new
 * attempt and runs. That is a property of the log alone, so every worker and every lane
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

    /** A job record as the index knows it: its job id and its attempt. */
    record JobAttempt(String jobId, int attempt) {}

    /**
     * Learns that attempt {@code attempt} of {@code jobId} sits at {@code offset}, polled in order from the
     * consumer's position, and answers the offset of the nearest earlier record of the same job within the window
     * whose attempt is the same or higher, if there is one (then this record is a repeat).
     */
    OptionalLong earlierRecord(TopicPartition tp, String jobId, int attempt, long offset) {
        Partition p = partitions.computeIfAbsent(tp, t -> new Partition());
        synchronized (p) {
            p.learn(new JobAttempt(jobId, attempt), offset, window);
            p.polled(offset);
            TreeMap<Long, Integer> offsets = p.offsetsOf.get(jobId);
            if (offsets == null) {
                return OptionalLong.empty();
            }
            for (Map.Entry<Long, Integer> earlier :
                    offsets.headMap(offset, false).descendingMap().entrySet()) {
                if (offset - earlier.getKey() > window) {
                    break;
                }
                if (earlier.getValue() >= attempt) {
                    return OptionalLong.of(earlier.getKey());
                }
            }
            return OptionalLong.empty();
        }
    }

    /** Learns the records read back from {@code [from, to)}: the whole range is known afterwards. */
    void readBack(TopicPartition tp, long from, long to, Map<Long, JobAttempt> recordsByOffset) {
        Partition p = partitions.computeIfAbsent(tp, t -> new Partition());
        synchronized (p) {
            recordsByOffset.forEach((offset, record) -> p.learn(record, offset, window));
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
        /** Job id → its records' offsets → their attempts. */
        final Map<String, TreeMap<Long, Integer>> offsetsOf = new HashMap<>();
        /** {@code [from, to)}: every record in it is known (empty while from == to). */
        long from;

        long to;

        void learn(JobAttempt record, long offset, long window) {
            if (byOffset.putIfAbsent(offset, record.jobId()) == null) {
                offsetsOf.computeIfAbsent(record.jobId(), id -> new TreeMap<>()).put(offset, record.attempt());
            }
            // forget what lies more than a window before the newest record known
            long horizon = byOffset.lastKey() - window;
            while (!byOffset.isEmpty() && byOffset.firstKey() < horizon) {
                Map.Entry<Long, String> oldest = byOffset.pollFirstEntry();
                TreeMap<Long, Integer> offsets = offsetsOf.get(oldest.getValue());
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
