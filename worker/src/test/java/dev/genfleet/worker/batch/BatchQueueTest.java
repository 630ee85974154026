package dev.genfleet.worker.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BatchQueueTest {

    private static final long MS = 1_000_000L;
    private final BatchQueue<String> queue = new BatchQueue<>(new BatchSettings(4, Duration.ofMillis(10), 8));

    @Test
    void shouldCloseBatchWhenMaxBatchSizeRowsWait() {
        for (int i = 0; i < 5; i++) {
            queue.offer("b" + i, false, 0);
        }
        assertEquals(0, queue.nanosUntilReady(0));
        assertEquals(List.of("b0", "b1", "b2", "b3"), queue.pollReady(0));
        assertEquals(1, queue.size());
    }

    @Test
    void shouldCloseBatchWhenOldestRowWaitedMaxWait() {
        queue.offer("a", false, 0);
        queue.offer("b", false, 4 * MS);
        assertEquals(List.of(), queue.pollReady(9 * MS));
        assertEquals(1 * MS, queue.nanosUntilReady(9 * MS));
        assertEquals(List.of("a", "b"), queue.pollReady(10 * MS));
    }

    @Test
    void shouldServeInteractiveRowsBeforeOlderBulkRows() {
        queue.offer("bulk-1", false, 0);
        queue.offer("bulk-2", false, 0);
        queue.offer("bulk-3", false, 0);
        queue.offer("int-1", true, 5 * MS);
        queue.offer("int-2", true, 6 * MS);
        assertEquals(List.of("int-1", "int-2", "bulk-1", "bulk-2"), queue.pollReady(6 * MS));
        assertEquals(List.of("bulk-3"), queue.pollReady(10 * MS));
    }

    @Test
    void shouldRefuseRowsBeyondCapacity() {
        for (int i = 0; i < 8; i++) {
            queue.offer("r" + i, i % 2 == 0, 0);
        }
        assertThrows(BatcherFullException.class, () -> queue.offer("one-too-many", true, 0));
    }

    @Test
    void shouldWaitForeverWhenEmpty() {
        assertEquals(Long.MAX_VALUE, queue.nanosUntilReady(123));
        assertEquals(List.of(), queue.pollReady(Long.MAX_VALUE / 2));
    }

    @Test
    void shouldRejectSettingsThatCannotHoldOneBatch() {
        assertThrows(IllegalArgumentException.class, () -> new BatchSettings(8, Duration.ofMillis(1), 4));
        assertThrows(IllegalArgumentException.class, () -> new BatchSettings(0, Duration.ofMillis(1), 4));
    }

    @Test
    void batcherShouldRunSubmittedRowsAndDrainOnClose() throws Exception {
        List<Integer> sizes = new java.util.concurrent.CopyOnWriteArrayList<>();
        Batcher<Integer, Integer> batcher = new Batcher<>(
                "t",
                new BatchSettings(3, Duration.ofMillis(50), 10),
                rows -> rows.stream().map(r -> r * 10).toList(),
                sizes::add);
        CompletableFuture<Integer> a = batcher.submit(1, false);
        CompletableFuture<Integer> b = batcher.submit(2, false);
        CompletableFuture<Integer> c = batcher.submit(3, true);
        assertEquals(30, c.get(5, TimeUnit.SECONDS));
        assertEquals(10, a.get(5, TimeUnit.SECONDS));
        assertEquals(20, b.get(5, TimeUnit.SECONDS));
        CompletableFuture<Integer> d = batcher.submit(4, false);
        assertTrue(batcher.drain(5, TimeUnit.SECONDS));
        assertEquals(40, d.get());
        assertEquals(List.of(3, 1), sizes);
        assertThrows(IllegalStateException.class, () -> batcher.submit(5, false));
    }
}
