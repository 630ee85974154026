package dev.genfleet.gateway.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    @Test
    void shouldAllowABurstThenAskToRetryAfterTheRefill() {
        AtomicLong now = new AtomicLong();
        RateLimiter limiter = new RateLimiter(0.5, 2, now::get);
        assertEquals(0, limiter.acquire("t"));
        assertEquals(0, limiter.acquire("t"));
        long wait = limiter.acquire("t");
        assertEquals(2, wait, "one token per 2 s");
        assertEquals(0, limiter.acquire("other"), "tenants have their own buckets");
        now.addAndGet(2_000_000_000L);
        assertEquals(0, limiter.acquire("t"));
        assertTrue(limiter.acquire("t") > 0);
    }

    @Test
    void shouldNotLimitWhenRateIsZero() {
        RateLimiter limiter = new RateLimiter(0, 1, () -> 0L);
        for (int i = 0; i < 100; i++) {
            assertEquals(0, limiter.acquire("t"));
        }
    }
}
