package dev.genfleet.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Issue 18's figures over the results of a checked copywriter campaign. Required strings and offer characters
 * are checked here independently of the worker's own checks (which report {@code output.quality}); the
 * unknown-word ratio is the worker's, over its word list.
 */
final class CopyFigures {

    private static final Pattern OFFER_CHARACTERS = Pattern.compile("[0-9%$€£¥]");
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{M}']+");

    int jobs;
    int succeeded;
    int qualityFailed;
    int otherFailures;
    int firstTryPassed;
    int requiredPresent;
    int unstatedOffers;
    int offerCharactersWithoutOffer;
    long candidates;
    double unknownWeighted;
    long words;
    private final Set<String> bigrams = new HashSet<>();
    private long bigramCount;

    void add(JsonNode brief, JsonNode line) {
        jobs++;
        String status = line.path("status").asText();
        JsonNode quality = line.path("quality");
        if ("FAILED".equals(status)
                && "QUALITY_CHECK_FAILED".equals(line.path("error").path("code").asText())) {
            qualityFailed++;
        } else if (!"SUCCEEDED".equals(status)) {
            otherFailures++;
            return;
        }
        if ("SUCCEEDED".equals(status)) {
            succeeded++;
        }
        int tries = quality.path("candidates").asInt(1);
        candidates += tries;
        if (!"SUCCEEDED".equals(status)) {
            return;
        }
        if (quality.path("passed").asBoolean() && tries == 1) {
            firstTryPassed++;
        }
        String text = line.path("output").isTextual()
                ? line.path("output").asText()
                : line.path("output").path("text").asText();
        boolean required = text.contains(brief.path("product").asText());
        if (brief.hasNonNull("name")) {
            required &= text.contains(brief.path("name").asText());
        }
        if (required) {
            requiredPresent++;
        }
        unstatedOffers += quality.path("unstated_offers").size();
        if (!brief.hasNonNull("offer")) {
            String rest = text;
            for (String field : List.of("product", "audience", "benefit", "name")) {
                if (brief.hasNonNull(field)) {
                    rest = rest.replace(brief.path(field).asText(), " ");
                }
            }
            if (OFFER_CHARACTERS.matcher(rest).find()) {
                offerCharactersWithoutOffer++;
            }
        }
        List<String> w = WORD.matcher(text.toLowerCase(Locale.ROOT))
                .results()
                .map(m -> m.group())
                .toList();
        words += w.size();
        unknownWeighted += quality.path("unknown_word_ratio").asDouble() * w.size();
        for (int i = 1; i < w.size(); i++) {
            bigrams.add(w.get(i - 1) + " " + w.get(i));
            bigramCount++;
        }
    }

    double requiredPresent() {
        return succeeded == 0 ? 0 : (double) requiredPresent / succeeded;
    }

    double unknownWordRatio() {
        return words == 0 ? 1 : unknownWeighted / words;
    }

    double distinct2() {
        return bigramCount == 0 ? 0 : (double) bigrams.size() / bigramCount;
    }

    String table(double seconds) {
        return String.format(
                Locale.ROOT,
                """
                | figure (copywriter/1, %d held-out briefs, best_of 4, strict, T 0.8, top-p 0.95) | value |
                |---|---:|
                | jobs / succeeded / QUALITY_CHECK_FAILED / other failures | %d / %d / %d / %d |
                | raw first-try pass rate (passed with 1 candidate) | %.1f%% |
                | required strings present (product, name), of succeeded | %.1f%% |
                | unstated offers (worker's check) | %d |
                | outputs with a digit, %%, or currency sign for a brief without an offer (this test's check) | %d |
                | unknown-word ratio (worker's word list, weighted by words) | %.2f%% |
                | distinct-2 across the campaign | %.3f |
                | mean candidates per job | %.3f |
                | throughput, submission to FINISHED (1 text worker, 2-core machine) | %.1f jobs/s (%.1f s) |
                """,
                jobs,
                jobs,
                succeeded,
                qualityFailed,
                otherFailures,
                100.0 * firstTryPassed / Math.max(1, jobs),
                100.0 * requiredPresent(),
                unstatedOffers,
                offerCharactersWithoutOffer,
                100.0 * unknownWordRatio(),
                distinct2(),
                (double) candidates / Math.max(1, jobs),
                jobs / seconds,
                seconds);
    }
}
