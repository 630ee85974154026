package dev.genfleet.gateway.tenant;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per tenant: {@code ratePerSecond} refill, {@code burst} capacity. Time comes in as a
 * nanosecond clock so tests advance it instead of sleeping.
 */
public final class RateLimiter {

    private final double ratePerSecond;
    private final int burst;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(double ratePerSecond, int burst, LongSupplier nanoClock) {
        this.ratePerSecond = ratePerSecond;
        this.burst = Math.max(1, burst);
        this.nanoClock = nanoClock;
    }

    /** 0 when the request may go ahead, else the whole seconds to wait before retrying. */
    public long acquire(String tenant) {
        if (ratePerSecond <= 0) {
            return 0;
        }
        Bucket bucket = buckets.computeIfAbsent(tenant, t -> new Bucket(burst, nanoClock.getAsLong()));
        synchronized (bucket) {
            long now = nanoClock.getAsLong();
            bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.last) / 1e9 * ratePerSecond);
            bucket.last = now;
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - bucket.tokens) / ratePerSecond));
        }
    }

    private static final class Bucket {
        double tokens;
        long last;

        Bucket(double tokens, long last) {
            this.tokens = tokens;
            this.last = last;
        }
    }
}
