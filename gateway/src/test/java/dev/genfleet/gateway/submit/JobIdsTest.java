package dev.genfleet.gateway.submit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Ids and seeds are functions of what identifies the request, the same on every replica and every restart. */
class JobIdsTest {

    @Test
    void shouldDeriveTheSameIdsAndSeedsFromTheSameRequest() {
        assertEquals(JobIds.job("t", "k"), JobIds.job("t", "k"));
        assertNotEquals(JobIds.job("t", "k"), JobIds.job("u", "k"), "keys are per tenant");
        assertNotEquals(JobIds.job("t", "k"), JobIds.campaign("t", "k"), "jobs and campaigns have their own namespace");
        String campaign = JobIds.campaign("t", "k");
        assertEquals(JobIds.recipient(campaign, "r-1"), JobIds.recipient(campaign, "r-1"));
        assertNotEquals(JobIds.recipient(campaign, "r-1"), JobIds.recipient(campaign, "r-2"));
        assertNotEquals(JobIds.recipient(campaign, "2"), JobIds.line(campaign, 2));
        // unchanged since the first release: keys sent before this version still name the same jobs
        assertEquals(
                java.util
                        .UUID
                        .nameUUIDFromBytes(
                                "genfleet-idempotency\nt\nk".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                        .toString(),
                JobIds.job("t", "k"));
    }

    @Test
    void shouldDeriveSeedsBelowTwoToThe53() {
        for (int i = 0; i < 10_000; i++) {
            long seed = JobIds.seed("job-" + i);
            assertTrue(seed >= 0 && seed < JobIds.SEED_BOUND, Long.toString(seed));
            assertEquals(seed, JobIds.seed("job-" + i));
        }
        assertNotEquals(JobIds.seed("a"), JobIds.seed("b"));
    }
}
