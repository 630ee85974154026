package dev.genfleet.worker.batch;

/** A batcher refused a row because {@code capacity} rows already wait: typed overload, never an OOM. */
public final class BatcherFullException extends RuntimeException {

    public BatcherFullException(int capacity) {
        super("batcher full: " + capacity + " rows already wait");
    }
}
