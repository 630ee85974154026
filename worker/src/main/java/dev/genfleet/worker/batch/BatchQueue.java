package dev.genfleet.worker.batch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The batching decision, without threads or clocks: rows wait in two queues (interactive before
 * bulk); a batch closes when {@code maxBatchSize} rows wait or when the oldest waiting row has waited
 * {@code maxWait}. Time is passed in (nanoseconds from any fixed origin), so tests drive it by hand.
 * Not thread-safe: {@link Batcher} guards it.
 */
public final class BatchQueue<T> {

    private record Waiting<T>(T row, long enqueuedNanos) {}

    private final BatchSettings settings;
    private final ArrayDeque<Waiting<T>> interactive = new ArrayDeque<>();
    private final ArrayDeque<Waiting<T>> bulk = new ArrayDeque<>();

    public BatchQueue(BatchSettings settings) {
        this.settings = settings;
    }

    /**
     * Queues a row.
     *
     * @throws BatcherFullException when {@code capacity} rows already wait (back-pressure)
     */
    public void offer(T row, boolean isInteractive, long nowNanos) {
        if (size() >= settings.capacity()) {
            throw new BatcherFullException(settings.capacity());
        }
        (isInteractive ? interactive : bulk).addLast(new Waiting<>(row, nowNanos));
    }

    public int size() {
        return interactive.size() + bulk.size();
    }

    /**
     * Nanoseconds until a batch is due: 0 when one is ready now, {@link Long#MAX_VALUE} when
     * nothing waits.
     */
    public long nanosUntilReady(long nowNanos) {
        if (size() == 0) {
            return Long.MAX_VALUE;
        }
        if (size() >= settings.maxBatchSize()) {
            return 0;
        }
        long due = oldestEnqueuedNanos() + settings.maxWait().toNanos();
        return Math.max(0, due - nowNanos);
    }

    /** The next batch if one is due at {@code nowNanos}: interactive rows first, then bulk, oldest first. */
    public List<T> pollReady(long nowNanos) {
        return nanosUntilReady(nowNanos) == 0 ? take() : List.of();
    }

    /** Takes up to {@code maxBatchSize} rows regardless of time (used when draining). */
    public List<T> take() {
        List<T> batch = new ArrayList<>(Math.min(size(), settings.maxBatchSize()));
        while (batch.size() < settings.maxBatchSize() && !interactive.isEmpty()) {
            batch.add(interactive.pollFirst().row());
        }
        while (batch.size() < settings.maxBatchSize() && !bulk.isEmpty()) {
            batch.add(bulk.pollFirst().row());
        }
        return batch;
    }

    private long oldestEnqueuedNanos() {
        long oldest = Long.MAX_VALUE;
        if (!interactive.isEmpty()) {
            oldest = interactive.peekFirst().enqueuedNanos();
        }
        if (!bulk.isEmpty()) {
            oldest = Math.min(oldest, bulk.peekFirst().enqueuedNanos());
        }
        return oldest;
    }
}
