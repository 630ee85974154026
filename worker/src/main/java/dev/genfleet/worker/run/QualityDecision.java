package dev.genfleet.worker.run;

import dev.genfleet.schemas.CopyQuality;
import dev.genfleet.schemas.JobInput;
import dev.genfleet.schemas.JobOutput;
import dev.genfleet.schemas.Reason;
import dev.genfleet.schemas.ReasonCode;
import dev.genfleet.schemas.TextInput;
import dev.genfleet.schemas.TextOutput;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a checked text job's output means for the job: its {@code quality} passed (SUCCEEDED), failed
 * with {@code quality: best_effort} (SUCCEEDED, {@code passed: false}), or failed under
 * {@code quality: strict} (FAILED, {@code QUALITY_CHECK_FAILED}, no retry: the same seed draws the same
 * candidates, so a rerun would fail again, and no dead letter: the job is not poison). The audit event of
 * the outcome records the decision in its details: {@code quality} ({@value #PASSED}, {@value #FAILED},
 * {@value #BEST_EFFORT}), {@code candidates}, and what the returned (or best) candidate failed:
 * {@code required_missing}, {@code unstated_offers} (JSON arrays) and {@code unknown_word_ratio}.
 */
public final class QualityDecision {

    public static final String PASSED = "passed";
    public static final String FAILED = "failed";
    public static final String BEST_EFFORT = "best_effort";

    private QualityDecision() {}

    static Outcome outcome(
            JobInput input,
            JobOutput output,
            int attempt,
            Instant startedAt,
            long inferenceMillis,
            int batchSize,
            List<Reason> failedAttempts) {
        if (!(input instanceof TextInput text) || !(output instanceof TextOutput out) || out.quality() == null) {
            return new Outcome.Succeeded(output, attempt, startedAt, inferenceMillis, batchSize, failedAttempts);
        }
        CopyQuality q = out.quality();
        if (q.passed() || text.bestEffort()) {
            return new Outcome.Succeeded(
                    output,
                    attempt,
                    startedAt,
                    inferenceMillis,
                    batchSize,
                    failedAttempts,
                    details(q.passed() ? PASSED : BEST_EFFORT, q));
        }
        return new Outcome.Failed(
                ReasonCode.QUALITY_CHECK_FAILED.reason(message(q)),
                attempt,
                startedAt,
                inferenceMillis,
                batchSize,
                details(FAILED, q),
                failedAttempts);
    }

    /** The audit details of a decision. */
    public static Map<String, String> details(String decision, CopyQuality q) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("quality", decision);
        d.put("candidates", String.valueOf(q.candidates()));
        d.put("required_missing", jsonArray(q.requiredMissing()));
        d.put("unstated_offers", jsonArray(q.unstatedOffers()));
        d.put("unknown_word_ratio", String.format(Locale.ROOT, "%.4f", q.unknownWordRatio()));
        return d;
    }

    /** One line for the FAILED reason: how many candidates, and what the best one failed. */
    static String message(CopyQuality q) {
        List<String> failed = new ArrayList<>();
        if (!q.requiredMissing().isEmpty()) {
            failed.add("required strings missing " + q.requiredMissing());
        }
        if (!q.unstatedOffers().isEmpty()) {
            failed.add("offers the brief does not state " + q.unstatedOffers());
        }
        if (failed.isEmpty() || q.unknownWordRatio() > 0) {
            failed.add(String.format(Locale.ROOT, "unknown-word ratio %.3f", q.unknownWordRatio()));
        }
        return "none of " + q.candidates() + " candidate(s) passed the output checks; the best had "
                + String.join(", ", failed);
    }

    private static String jsonArray(List<String> values) {
        StringBuilder b = new StringBuilder("[");
        for (String v : values) {
            if (b.length() > 1) {
                b.append(',');
            }
            b.append('"');
            for (char c : v.toCharArray()) {
                switch (c) {
                    case '"' -> b.append("\\\"");
                    case '\\' -> b.append("\\\\");
                    default -> {
                        if (c < 0x20) {
                            b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                        } else {
                            b.append(c);
                        }
                    }
                }
            }
            b.append('"');
        }
        return b.append(']').toString();
    }
}
