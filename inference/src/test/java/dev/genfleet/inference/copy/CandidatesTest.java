package dev.genfleet.inference.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CandidatesTest {

    @Test
    void shouldKeepTheJobsSeedForTheFirstCandidate() {
        assertEquals(42L, Candidates.seed(42L, 0));
        assertEquals(Long.MIN_VALUE, Candidates.seed(Long.MIN_VALUE, 0));
    }

    @Test
    void shouldDeriveFurtherSeedsDeterministicallyAndApartFromNeighbouringJobs() {
        assertEquals(Candidates.seed(7, 3), Candidates.seed(7, 3));
        assertEquals(Candidates.mix64(7 + 2 * Candidates.GOLDEN_GAMMA), Candidates.seed(7, 2), "the documented rule");
        Set<Long> seen = new HashSet<>();
        for (long job = 0; job < 64; job++) {
            for (int k = 0; k < 16; k++) {
                assertTrue(seen.add(Candidates.seed(job, k)), "job " + job + " candidate " + k);
            }
        }
        // candidate 1's random stream is not candidate 0's shifted by one draw
        SplittableRandom c0 = new SplittableRandom(7);
        c0.nextLong();
        assertNotEquals(c0.nextLong(), new SplittableRandom(Candidates.seed(7, 1)).nextLong());
    }

    @Test
    void shouldSayGreedyDecodingIgnoresTheSeed() {
        assertFalse(Candidates.seedMatters(0, 0));
        assertFalse(Candidates.seedMatters(0.8, 1));
        assertTrue(Candidates.seedMatters(0.8, 0));
    }
}
