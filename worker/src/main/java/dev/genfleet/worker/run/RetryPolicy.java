package dev.genfleet.worker.run;

import java.time.Duration;

/**
 * How often and how patiently a failing job is retried before it is dead-lettered.
 *
 * @param maxAttempts attempts in all, the first included
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, double multiplier, Duration maxBackoff) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be ≥ 1");
        }
        if (multiplier < 1) {
            throw new IllegalArgumentException("multiplier must be ≥ 1");
        }
    }

    /** The wait before attempt {@code attempt} (2 = the first retry). */
    public Duration backoffBefore(int attempt) {
        double millis = initialBackoff.toMillis() * Math.pow(multiplier, Math.max(0, attempt - 2));
        return Duration.ofMillis((long) Math.min(millis, maxBackoff.toMillis()));
    }
}
