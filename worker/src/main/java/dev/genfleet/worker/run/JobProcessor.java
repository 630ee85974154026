package dev.genfleet.worker.run;

import dev.genfleet.inference.NonFiniteOutputException;
import dev.genfleet.schemas.JobOutput;
import dev.genfleet.schemas.JobRequest;
import dev.genfleet.schemas.Reason;
import dev.genfleet.schemas.ReasonCode;
import dev.genfleet.worker.model.HostedModel;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns one batch of jobs into one outcome per job: cancelled and expired jobs never reach the
 * model; the rest run as one model batch. A failing batch is split in halves and retried (an
 * out-of-memory on a big batch often fits in two smaller ones, and a poison row is isolated in
 * log₂(n) steps); a single failing row is retried with backoff, then dead-lettered. A checked text job
 * whose every candidate failed its checks fails for good ({@link QualityDecision}), without a retry.
 */
public final class JobProcessor {

    /** Told when a batch starts on the model, before inference. */
    @FunctionalInterface
    public interface StartListener {
        void started(List<JobRequest> jobs, Instant at);
    }

    /** Sleeps between retries; tests pass one that records instead. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    public static final String MODEL_ERROR = ReasonCode.MODEL_ERROR.name();
    public static final String INVALID_INPUT = ReasonCode.INVALID_INPUT.name();

    private final HostedModel model;
    private final CancellationRegistry cancellations;
    private final RetryPolicy retry;
    private final Clock clock;
    private final Sleeper sleeper;

    public JobProcessor(
            HostedModel model, CancellationRegistry cancellations, RetryPolicy retry, Clock clock, Sleeper sleeper) {
        this.model = model;
        this.cancellations = cancellations;
        this.retry = retry;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    public HostedModel model() {
        return model;
    }

    /** One outcome per job, in order; {@code startListener} hears of the jobs that reach the model. */
    public List<Outcome> process(List<JobRequest> batch, StartListener startListener) {
        Outcome[] outcomes = new Outcome[batch.size()];
        List<Integer> live = new ArrayList<>();
        Instant now = clock.instant();
        for (int i = 0; i < batch.size(); i++) {
            JobRequest job = batch.get(i);
            if (cancellations.isCancelled(job)) {
                outcomes[i] = new Outcome.Cancelled("cancelled on the control topic");
            } else if (job.deadline() != null && now.isAfter(job.deadline())) {
                outcomes[i] = new Outcome.Expired(job.deadline());
            } else {
                try {
                    model.check(job.input());
                    live.add(i);
                } catch (IllegalArgumentException e) {
                    outcomes[i] = new Outcome.DeadLettered(
                            ReasonCode.INVALID_INPUT.reason(e.getMessage()), job.attempt(), List.of());
                }
            }
        }
        if (!live.isEmpty()) {
            List<JobRequest> jobs = live.stream().map(batch::get).toList();
            startListener.started(jobs, now);
            List<Outcome> results = runSplitting(jobs, now);
            for (int k = 0; k < live.size(); k++) {
                outcomes[live.get(k)] = results.get(k);
            }
        }
        return Arrays.asList(outcomes);
    }

    private List<Outcome> runSplitting(List<JobRequest> jobs, Instant startedAt) {
        try {
            long t0 = System.nanoTime();
            List<JobOutput> outputs =
                    model.run(jobs.stream().map(JobRequest::input).toList());
            long millis = (System.nanoTime() - t0) / 1_000_000;
            List<Outcome> outcomes = new ArrayList<>(jobs.size());
            for (int i = 0; i < jobs.size(); i++) {
                outcomes.add(QualityDecision.outcome(
                        jobs.get(i).input(),
                        outputs.get(i),
                        jobs.get(i).attempt(),
                        startedAt,
                        millis,
                        jobs.size(),
                        List.of()));
            }
            return outcomes;
        } catch (RuntimeException | Error e) {
            if (jobs.size() > 1) {
                int half = jobs.size() / 2;
                List<Outcome> outcomes = new ArrayList<>(runSplitting(jobs.subList(0, half), startedAt));
                outcomes.addAll(runSplitting(jobs.subList(half, jobs.size()), startedAt));
                return outcomes;
            }
            return List.of(retrySingle(jobs.get(0), e));
        }
    }

    // Errors are caught with exceptions (a StackOverflowError in a model is a failed job, not a dead
    // worker): an escaped throwable would leave its jobs without an outcome and roll their poll back.
    private Outcome retrySingle(JobRequest job, Throwable firstFailure) {
        List<Reason> failures = new ArrayList<>();
        failures.add(reasonOf(firstFailure));
        int attempt = job.attempt();
        while (attempt < retry.maxAttempts()) {
            attempt++;
            try {
                sleeper.sleep(retry.backoffBefore(attempt));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            try {
                Instant startedAt = clock.instant();
                long t0 = System.nanoTime();
                JobOutput output = model.run(List.of(job.input())).get(0);
                return QualityDecision.outcome(
                        job.input(),
                        output,
                        attempt,
                        startedAt,
                        (System.nanoTime() - t0) / 1_000_000,
                        1,
                        List.copyOf(failures));
            } catch (RuntimeException | Error e) {
                failures.add(reasonOf(e));
            }
        }
        Reason last = failures.get(failures.size() - 1);
        return new Outcome.DeadLettered(
                last.withMessage("failed " + failures.size() + " attempt(s): " + last.message()),
                attempt,
                List.copyOf(failures.subList(0, failures.size() - 1)));
    }

    private static Reason reasonOf(Throwable e) {
        String message = e.getMessage() == null
                ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
        // a NaN or infinite output is its own reason: an operator tells an engine fault from a model bug
        ReasonCode code = e instanceof NonFiniteOutputException ? ReasonCode.NON_FINITE_OUTPUT : ReasonCode.MODEL_ERROR;
        return code.reason(message.length() > 500 ? message.substring(0, 500) : message);
    }
}
