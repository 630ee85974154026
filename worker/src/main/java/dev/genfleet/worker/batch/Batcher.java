package dev.genfleet.worker.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Dynamic batching for one model: rows from any thread, batches on one thread (the model runs one
 * batch at a time, which is what a GPU wants). The decision is {@link BatchQueue}'s; this class adds
 * the thread, the clock and the futures. See {@code DESIGN.md} in this package.
 *
 * @param <I> a row's input
 * @param <O> a row's outcome
 */
public final class Batcher<I, O> implements AutoCloseable {

    /** Runs one batch; returns one outcome per input, in order. Must not throw for a single bad row. */
    @FunctionalInterface
    public interface BatchRunner<I, O> {
        List<O> run(List<I> batch);
    }

    private record Row<I, O>(I input, CompletableFuture<O> outcome) {}

    private final BatchQueue<Row<I, O>> queue;
    private final BatchRunner<I, O> runner;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Thread thread;
    private volatile boolean closing;
    private final java.util.function.IntConsumer batchSizeObserver;

    public Batcher(String name, BatchSettings settings, BatchRunner<I, O> runner) {
        this(name, settings, runner, size -> {});
    }

    public Batcher(
            String name,
            BatchSettings settings,
            BatchRunner<I, O> runner,
            java.util.function.IntConsumer batchSizeObserver) {
        this.queue = new BatchQueue<>(settings);
        this.runner = Objects.requireNonNull(runner, "runner");
        this.batchSizeObserver = batchSizeObserver;
        this.thread = new Thread(this::loop, "batcher-" + name);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Queues a row; the future completes with its outcome (or exceptionally if the runner broke its
     * contract).
     *
     * @throws BatcherFullException when the queue is at capacity
     * @throws IllegalStateException when the batcher is closing
     */
    public CompletableFuture<O> submit(I input, boolean interactive) {
        CompletableFuture<O> outcome = new CompletableFuture<>();
        lock.lock();
        try {
            if (closing) {
                throw new IllegalStateException("batcher is closing");
            }
            queue.offer(new Row<>(input, outcome), interactive, System.nanoTime());
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        return outcome;
    }

    /** Rows waiting now. */
    public int waiting() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    private void loop() {
        while (true) {
            List<Row<I, O>> batch;
            lock.lock();
            try {
                while (true) {
                    if (closing && queue.size() == 0) {
                        return;
                    }
                    long now = System.nanoTime();
                    batch = closing ? queue.take() : queue.pollReady(now);
                    if (!batch.isEmpty()) {
                        break;
                    }
                    long wait = queue.nanosUntilReady(now);
                    if (wait == Long.MAX_VALUE) {
                        changed.await();
                    } else {
                        changed.awaitNanos(wait);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                lock.unlock();
            }
            execute(batch);
        }
    }

    private void execute(List<Row<I, O>> batch) {
        batchSizeObserver.accept(batch.size());
        List<I> inputs = new ArrayList<>(batch.size());
        batch.forEach(row -> inputs.add(row.input()));
        try {
            List<O> outcomes = runner.run(inputs);
            if (outcomes.size() != batch.size()) {
                throw new IllegalStateException(
                        "runner returned " + outcomes.size() + " outcomes for " + batch.size() + " rows");
            }
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).outcome().complete(outcomes.get(i));
            }
        } catch (RuntimeException | Error e) {
            batch.forEach(row -> row.outcome().completeExceptionally(e));
        }
    }

    /** Stops taking rows, runs what waits, and returns when the last batch is done (or the timeout passed). */
    public boolean drain(long timeout, TimeUnit unit) throws InterruptedException {
        lock.lock();
        try {
            closing = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        thread.join(unit.toMillis(timeout));
        return !thread.isAlive();
    }

    @Override
    public void close() {
        try {
            if (!drain(1, TimeUnit.MINUTES)) {
                thread.interrupt();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
