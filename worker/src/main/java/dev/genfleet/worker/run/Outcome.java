package dev.genfleet.worker.run;

import dev.genfleet.schemas.JobOutput;
import dev.genfleet.schemas.Reason;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What became of one job in a batch. Failed attempts before the final outcome are kept for the audit. */
public sealed interface Outcome {

    /** Reasons of the attempts that failed before this outcome (each one a FAILED + RETRIED pair). */
    List<Reason> failedAttempts();

    /** @param details facts for the SUCCEEDED audit event (the quality decision of a checked job), or empty */
    record Succeeded(
            JobOutput output,
            int attempt,
            Instant startedAt,
            long inferenceMillis,
            int batchSize,
            List<Reason> failedAttempts,
            Map<String, String> details)
            implements Outcome {

        public Succeeded {
            details = details == null ? Map.of() : Map.copyOf(details);
        }

        public Succeeded(
                JobOutput output,
                int attempt,
                Instant startedAt,
                long inferenceMillis,
                int batchSize,
                List<Reason> failedAttempts) {
            this(output, attempt, startedAt, inferenceMillis, batchSize, failedAttempts, Map.of());
        }
    }

    /**
     * The job ran and its outcome is final without a retry: generation is deterministic by seed, so a
     * rerun would fail the same way (e.g. {@code QUALITY_CHECK_FAILED}: no candidate passed the job's
     * checks). A FAILED result, no dead letter: the job is not poison, its input was simply not met.
     *
     * @param details facts for the FAILED audit event (the quality decision)
     */
    record Failed(
            Reason reason,
            int attempt,
            Instant startedAt,
            long inferenceMillis,
            int batchSize,
            Map<String, String> details,
            List<Reason> failedAttempts)
            implements Outcome {

        public Failed {
            details = details == null ? Map.of() : Map.copyOf(details);
        }
    }

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
