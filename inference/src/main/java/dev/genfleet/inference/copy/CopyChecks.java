package dev.genfleet.inference.copy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * The checks every checked text output goes through, and what they found. Three checks, each exact and
 * deterministic (the same text and criteria give the same result):
 *
 * <ol>
 *   <li>required strings: each must occur verbatim (case and accents as given);
 *   <li>unstated offers ({@link OfferClaims}), when forbidden: no offer claim that the brief's offer (or,
 *       without a brief, the prompt) does not state, after the brief's own values (and the job's opening,
 *       the client's own words) are removed from the text;
 *   <li>unknown words ({@link WordList}): the share of words that are neither English (the shipped list)
 *       nor words of the brief (or prompt) must be at most {@value #MAX_UNKNOWN_WORD_RATIO}.
 * </ol>
 *
 * <p>Why {@value #MAX_UNKNOWN_WORD_RATIO} per output: marketing copy is short (20-60 words), so one
 * coined word in a 20-word text is already 0.05; a garbled output ("Coook and rof your") is far above it
 * (0.3 and more), and an honest brand word the list lacks is covered by the brief's words. The evaluation
 * figure (≤ 1% over all outputs) is an aggregate, not a per-output bound.
 */
public final class CopyChecks {

    /** The most unknown words, as a share of all words, an output may hold and pass. */
    public static final double MAX_UNKNOWN_WORD_RATIO = 0.05;

    /**
     * What to check.
     *
     * @param required strings that must occur verbatim
     * @param forbidUnstatedOffers whether offer claims that {@code stated} does not make fail the check
     * @param stated the text whose offer claims are allowed (the brief's offer, or the prompt); null = none
     * @param offerGiven whether the brief gives an offer (or the prompt states one)
     * @param strip the brief's values, removed from the text before offers are looked for
     * @param knownText texts whose words count as known (the brief's values, or the prompt)
     */
    public record Criteria(
            List<String> required,
            boolean forbidUnstatedOffers,
            String stated,
            boolean offerGiven,
            List<String> strip,
            List<String> knownText) {

        public Criteria {
            required = List.copyOf(required);
            strip = List.copyOf(strip);
            knownText = List.copyOf(knownText);
        }

        /** The checks of a brief job: offers stated by {@code brief.offer()}, the brief's words known. */
        public static Criteria forBrief(CopyBrief brief, List<String> required, boolean forbidUnstatedOffers) {
            return forBrief(brief, null, required, forbidUnstatedOffers);
        }

        /**
         * The checks of a brief job whose copy opens with the job's own {@code opening} (null or empty:
         * none): the opening is the client's text, not the model's, so it is removed before offers are
         * looked for and its words count as known, like the brief's.
         */
        public static Criteria forBrief(
                CopyBrief brief, String opening, List<String> required, boolean forbidUnstatedOffers) {
            List<String> own = new ArrayList<>(brief.values());
            if (opening != null && !opening.isBlank()) {
                own.add(opening);
            }
            return new Criteria(required, forbidUnstatedOffers, brief.offer(), brief.offer() != null, own, own);
        }

        /** The checks of a prompt-only job: offers stated by the prompt, the prompt's words known. */
        public static Criteria forPrompt(String prompt, List<String> required, boolean forbidUnstatedOffers) {
            return new Criteria(
                    required,
                    forbidUnstatedOffers,
                    prompt,
                    !OfferClaims.find(prompt).isEmpty(),
                    List.of(),
                    prompt == null ? List.of() : List.of(prompt));
        }
    }

    /**
     * What the checks found in one output.
     *
     * @param unstatedOffers empty when offers were not forbidden
     * @param unknownWords the unknown words, as written, in order, with repeats
     */
    public record Result(
            boolean passed,
            List<String> requiredMissing,
            List<String> unstatedOffers,
            double unknownWordRatio,
            List<String> unknownWords) {

        /**
         * Best first: fewest missing required strings, then fewest unstated offers, then the lowest
         * unknown-word ratio (a passing result is always before a failing one).
         */
        public static final Comparator<Result> BEST_FIRST = Comparator.comparing((Result r) -> !r.passed())
                .thenComparingInt(r -> r.requiredMissing().size())
                .thenComparingInt(r -> r.unstatedOffers().size())
                .thenComparingDouble(Result::unknownWordRatio);

        /** One line naming what failed, or "passed". */
        public String summary() {
            if (passed) {
                return "passed";
            }
            List<String> parts = new ArrayList<>();
            if (!requiredMissing.isEmpty()) {
                parts.add("required missing " + requiredMissing);
            }
            if (!unstatedOffers.isEmpty()) {
                parts.add("unstated offers " + unstatedOffers);
            }
            if (unknownWordRatio > MAX_UNKNOWN_WORD_RATIO) {
                parts.add(String.format(
                        java.util.Locale.ROOT,
                        "unknown-word ratio %.3f > %.2f %s",
                        unknownWordRatio,
                        MAX_UNKNOWN_WORD_RATIO,
                        unknownWords.stream().distinct().limit(8).toList()));
            }
            return String.join("; ", parts);
        }
    }

    private final WordList words;

    public CopyChecks(WordList words) {
        this.words = words;
    }

    /** Checks against the shipped English word list. */
    public static CopyChecks english() {
        return new CopyChecks(WordList.english());
    }

    public Result check(String text, Criteria criteria) {
        List<String> missing =
                criteria.required().stream().filter(s -> !text.contains(s)).toList();
        List<String> offers = criteria.forbidUnstatedOffers()
                ? OfferClaims.unstated(text, criteria.stated(), criteria.offerGiven(), criteria.strip())
                : List.of();
        Set<String> known = WordList.known(criteria.knownText());
        List<String> unknown = words.unknown(text, known);
        int total = WordList.words(text).size();
        double ratio = total == 0 ? 0.0 : (double) unknown.size() / total;
        boolean passed = missing.isEmpty() && offers.isEmpty() && ratio <= MAX_UNKNOWN_WORD_RATIO;
        return new Result(passed, missing, offers, ratio, unknown);
    }
}
