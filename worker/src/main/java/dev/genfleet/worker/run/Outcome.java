package dev.genfleet.worker.run;

import dev.genfleet.schemas.JobOutput;
import dev.genfleet.schemas.Reason;
import java.time.Instant;
import java.util.List;

/** What became of one job in a batch. Failed attempts before the final outcome are kept for the audit. */
public sealed interface Outcome {

    /** Reasons of the attempts that failed before this outcome (each one a FAILED + RETRIED pair). */
    List<Reason> failedAttempts();

    record Succeeded(
            JobOutput output,
            int attempt,
            Instant startedAt,
            long inferenceMillis,
            int batchSize,
            List<Reason> failedAttempts)
            implements Outcome {}

    record Expired(Instant deadline) implements Outcome {
        @Override
        public List<Reason> failedAttempts() {
            return List.of();
        }
    }

    record Cancelled(String reason) implements Outcome {
        @Override
        public List<Reason> failedAttempts() {
            return List.of();
        }
    }

    /** The job cannot succeed here: a bad input (no retry) or a model that kept failing. */
    record DeadLettered(Reason reason, int attempts, List<Reason> failedAttempts) implements Outcome {}
}
