package dev.genfleet.worker.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genfleet.inference.Modality;
import dev.genfleet.inference.ModelInfo;
import dev.genfleet.inference.NonFiniteOutputException;
import dev.genfleet.schemas.ControlAction;
import dev.genfleet.schemas.ControlCommand;
import dev.genfleet.schemas.CopyQuality;
import dev.genfleet.schemas.ImageInput;
import dev.genfleet.schemas.JobInput;
import dev.genfleet.schemas.JobOutput;
import dev.genfleet.schemas.JobRequest;
import dev.genfleet.schemas.Priority;
import dev.genfleet.schemas.ReasonCode;
import dev.genfleet.schemas.TextInput;
import dev.genfleet.schemas.TextOutput;
import dev.genfleet.worker.model.HostedModel;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Processor decisions with a scripted model (failures cannot be provoked in the real one) and fake time. */
class JobProcessorTest {

    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

    /** Echoes prompts; throws for prompts containing "poison", or for batches larger than oomAbove. */
    static final class ScriptedModel implements HostedModel {
        final List<Integer> batchSizes = new ArrayList<>();
        int oomAbove = Integer.MAX_VALUE;
        int failFirstCalls;

        @Override
        public ModelInfo info() {
            return new ModelInfo("scripted", "1", Modality.TEXT, "cpu()", 0);
        }

        @Override
        public void check(JobInput input) {
            if (!(input instanceof TextInput)) {
                throw new IllegalArgumentException("text only");
            }
        }

        @Override
        public List<JobOutput> run(List<JobInput> inputs) {
            batchSizes.add(inputs.size());
            if (inputs.size() > oomAbove) {
                throw new OutOfMemoryError("simulated: batch of " + inputs.size());
            }
            if (failFirstCalls > 0) {
                failFirstCalls--;
                throw new IllegalStateException("transient");
            }
            List<JobOutput> out = new ArrayList<>();
            for (JobInput in : inputs) {
                String prompt = ((TextInput) in).prompt();
                if (prompt.contains("poison")) {
                    throw new IllegalStateException("cannot digest " + prompt);
                }
                if (prompt.contains("nan")) {
                    throw new NonFiniteOutputException("realism score NaN for " + prompt);
                }
                TextInput text = (TextInput) in;
                CopyQuality quality = !text.checked()
                        ? null
                        : new CopyQuality(!prompt.contains("unmet"), List.of("Zoë"), List.of("20%"), 0.25, 3);
                out.add(new TextOutput(prompt.toUpperCase(), "length", 1, 1, quality));
            }
            return out;
        }

        @Override
        public void close() {}
    }

    private final ScriptedModel model = new ScriptedModel();
    private final CancellationRegistry cancellations = new CancellationRegistry(100);
    private final List<Duration> slept = new ArrayList<>();
    private final JobProcessor processor = new JobProcessor(
            model,
            cancellations,
            new RetryPolicy(3, Duration.ofMillis(100), 2, Duration.ofSeconds(1)),
            Clock.fixed(NOW, ZoneOffset.UTC),
            slept::add);
    private final List<String> started = new ArrayList<>();

    @Test
    void shouldExpireJobsPastTheirDeadlineWithoutTouchingTheModel() {
        List<Outcome> outcomes = process(job("a", "hi", NOW.minusSeconds(1)), job("b", "ok", NOW.plusSeconds(60)));
        assertInstanceOf(Outcome.Expired.class, outcomes.get(0));
        assertInstanceOf(Outcome.Succeeded.class, outcomes.get(1));
        assertEquals(List.of(1), model.batchSizes);
        assertEquals(List.of("b"), started);
    }

    @Test
    void shouldCancelJobsAndCampaignsOfTheSameTenantOnly() {
        cancellations.apply(new ControlCommand("c1", ControlAction.CANCEL_JOB, "acme", "a", null, "t", NOW, null));
        cancellations.apply(
                new ControlCommand("c2", ControlAction.CANCEL_CAMPAIGN, "other", null, "camp", "t", NOW, null));
        JobRequest inCampaign = new JobRequest(
                "c", "acme", "camp", "r1", "scripted", Priority.BULK, text("x"), NOW, null, 1, null, null);
        List<Outcome> outcomes = process(job("a", "hi", null), inCampaign);
        assertInstanceOf(Outcome.Cancelled.class, outcomes.get(0));
        assertInstanceOf(
                Outcome.Succeeded.class, outcomes.get(1), "another tenant's campaign cancel must not touch acme");
    }

    @Test
    void shouldFailAJobWhoseOutputIsNotFiniteWithItsOwnReasonAndKeepTheOthers() {
        List<Outcome> outcomes = process(job("a", "one", null), job("b", "nan here", null), job("c", "three", null));
        assertInstanceOf(Outcome.Succeeded.class, outcomes.get(0));
        Outcome.DeadLettered dead = assertInstanceOf(Outcome.DeadLettered.class, outcomes.get(1));
        assertEquals(NonFiniteOutputException.CODE, dead.reason().code());
        assertTrue(dead.reason().message().contains("NaN"), dead.reason().message());
        dead.failedAttempts().forEach(r -> assertEquals(NonFiniteOutputException.CODE, r.code()));
        assertInstanceOf(Outcome.Succeeded.class, outcomes.get(2));
    }

    @Test
    void shouldIsolateAPoisonRowBySplittingAndDeadLetterItAfterRetries() {
        List<Outcome> outcomes =
                process(job("a", "one", null), job("b", "two", null), job("c", "poison", null), job("d", "four", null));
        assertEquals("ONE", ((TextOutput) ((Outcome.Succeeded) outcomes.get(0)).output()).text());
        assertInstanceOf(Outcome.Succeeded.class, outcomes.get(1));
        Outcome.DeadLettered dead = assertInstanceOf(Outcome.DeadLettered.class, outcomes.get(2));
        assertEquals(JobProcessor.MODEL_ERROR, dead.reason().code());
        assertEquals(3, dead.attempts());
        assertEquals(2, dead.failedAttempts().size(), "attempts 1 and 2 failed and were retried");
        assertInstanceOf(Outcome.Succeeded.class, outcomes.get(3));
        assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(200)), slept);
    }

    @Test
    void shouldSplitABatchThatRunsOutOfMemoryAndRunTheHalves() {
        model.oomAbove = 2;
        List<Outcome> outcomes =
                process(job("a", "1", null), job("b", "2", null), job("c", "3", null), job("d", "4", null));
        outcomes.forEach(o -> assertInstanceOf(Outcome.Succeeded.class, o));
        assertEquals(List.of(4, 2, 2), model.batchSizes);
    }

    @Test
    void shouldSucceedOnRetryAfterATransientFailureAndKeepTheFailedAttempt() {
        model.failFirstCalls = 1;
        Outcome.Succeeded ok = assertInstanceOf(
                Outcome.Succeeded.class, process(job("a", "x", null)).get(0));
        assertEquals(2, ok.attempt());
        assertEquals(1, ok.failedAttempts().size());
    }

    @Test
    void shouldDeadLetterAnInputTheModelCannotRunWithoutRetrying() {
        JobRequest image = new JobRequest(
                "img",
                "acme",
                null,
                null,
                "scripted",
                Priority.INTERACTIVE,
                new ImageInput(1, 1, null, 1, null),
                NOW,
                null,
                1,
                null,
                null);
        Outcome.DeadLettered dead =
                assertInstanceOf(Outcome.DeadLettered.class, process(image).get(0));
        assertEquals(JobProcessor.INVALID_INPUT, dead.reason().code());
        assertTrue(model.batchSizes.isEmpty());
        assertTrue(slept.isEmpty());
    }

    @Test
    void shouldFailACheckedJobWhoseCandidatesAllFailedWithoutRetryOrDeadLetter() {
        JobRequest strict = checked("q", "unmet copy", null);
        List<Outcome> outcomes = process(strict, job("b", "plain", null));
        Outcome.Failed failed = assertInstanceOf(Outcome.Failed.class, outcomes.get(0));
        assertEquals(ReasonCode.QUALITY_CHECK_FAILED.name(), failed.reason().code());
        assertEquals(
                "none of 3 candidate(s) passed the output checks; the best had required strings missing [Zoë],"
                        + " offers the brief does not state [20%], unknown-word ratio 0.250",
                failed.reason().message());
        assertEquals(1, failed.attempt());
        assertEquals(
                Map.of(
                        "quality", "failed",
                        "candidates", "3",
                        "required_missing", "[\"Zoë\"]",
                        "unstated_offers", "[\"20%\"]",
                        "unknown_word_ratio", "0.2500"),
                failed.details());
        assertTrue(failed.failedAttempts().isEmpty());
        assertInstanceOf(Outcome.Succeeded.class, outcomes.get(1));
        assertEquals(List.of(2), model.batchSizes, "one model call: a deterministic failure is not retried");
        assertTrue(slept.isEmpty());
    }

    @Test
    void shouldSucceedOnBestEffortAndRecordTheDecision() {
        Outcome.Succeeded bestEffort = assertInstanceOf(
                Outcome.Succeeded.class,
                process(checked("q", "unmet copy", "best_effort")).get(0));
        assertEquals("best_effort", bestEffort.details().get("quality"));
        assertTrue(!((TextOutput) bestEffort.output()).quality().passed());
        Outcome.Succeeded passed = assertInstanceOf(
                Outcome.Succeeded.class,
                process(checked("p", "fine copy", null)).get(0));
        assertEquals("passed", passed.details().get("quality"));
        Outcome.Succeeded unchecked = assertInstanceOf(
                Outcome.Succeeded.class, process(job("u", "unmet", null)).get(0));
        assertEquals(Map.of(), unchecked.details(), "an unchecked job has no quality decision");
    }

    private static JobRequest checked(String id, String prompt, String quality) {
        TextInput input = new TextInput(prompt, 8, 0.8, 0, 1.0, List.of(), 7L, null, List.of("Zoë"), null, 3, quality);
        return new JobRequest(id, "acme", null, null, "scripted", Priority.BULK, input, NOW, null, 1, null, null);
    }

    private List<Outcome> process(JobRequest... jobs) {
        return processor.process(List.of(jobs), (live, at) -> live.forEach(j -> started.add(j.jobId())));
    }

    private static JobRequest job(String id, String prompt, Instant deadline) {
        return new JobRequest(
                id, "acme", null, null, "scripted", Priority.BULK, text(prompt), NOW, deadline, 1, null, null);
    }

    private static TextInput text(String prompt) {
        return new TextInput(prompt, 8, 0.8, 0, 1.0, List.of(), 7L);
    }
}
