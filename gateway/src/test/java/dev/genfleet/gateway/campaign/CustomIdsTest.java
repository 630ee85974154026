package dev.genfleet.gateway.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CustomIdsTest {

    @Test
    void shouldReportTheFirstLineOfEveryRepeatedIdAcrossGrowth() {
        CustomIds ids = new CustomIds();
        for (int i = 0; i < 100_000; i++) {
            assertEquals(-1, ids.firstSeen("c" + i, i + 2));
        }
        assertEquals(2, ids.firstSeen("c0", 100_002));
        assertEquals(50_001, ids.firstSeen("c49999", 100_003));
        assertEquals(-1, ids.firstSeen("new", 100_004));
    }
}
