package dev.genfleet.worker.consume;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RollbackPauseTest {

    @Test
    void shouldDoubleThePauseAfterEachRollbackInARowUpToEightSeconds() {
        assertEquals(Duration.ofMillis(500), JobConsumer.rollbackPause(1));
        assertEquals(Duration.ofSeconds(1), JobConsumer.rollbackPause(2));
        assertEquals(Duration.ofSeconds(2), JobConsumer.rollbackPause(3));
        assertEquals(Duration.ofSeconds(8), JobConsumer.rollbackPause(5));
        assertEquals(Duration.ofSeconds(8), JobConsumer.rollbackPause(1_000));
    }
}
