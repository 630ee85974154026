package dev.genfleet.worker.batch;

import java.time.Duration;
import java.util.Objects;

/**
 * How a model's batches form.
 *
 * @param maxBatchSize a batch closes when this many rows wait (the model's best batch on its device)
 * @param maxWait a batch closes when its oldest row has waited this long, full or not: the latency a
 *     lone job pays for the chance of company
 * @param capacity at most this many rows wait; beyond it {@code offer} refuses (the consumer pauses)
 */
public record BatchSettings(int maxBatchSize, Duration maxWait, int capacity) {

    public BatchSettings {
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("maxBatchSize must be ≥ 1, was " + maxBatchSize);
        }
        Objects.requireNonNull(maxWait, "maxWait");
        if (maxWait.isNegative()) {
            throw new IllegalArgumentException("maxWait must be ≥ 0, was " + maxWait);
        }
        if (capacity < maxBatchSize) {
            throw new IllegalArgumentException(
                    "capacity (" + capacity + ") must be ≥ maxBatchSize (" + maxBatchSize + ")");
        }
    }
}
