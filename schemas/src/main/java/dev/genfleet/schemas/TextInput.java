package dev.genfleet.schemas;

import java.util.List;
import java.util.Objects;

/**
 * Input of a text job, as rendered and checked by the gateway.
 *
 * <p>A job carries a free {@code prompt}, a {@link Brief}, or both (then the prompt opens the copy the
 * model writes for the brief). A brief needs a model whose prompt format takes one.
 *
 * @param temperature 0 = greedy
 * @param topK 0 = no top-k cut
 * @param topP 1 = no nucleus cut
 * @param stop stop sequences, not part of the output
 * @param brief what to write about, or null
 * @param require strings the output must contain verbatim; null = the default (the brief's product and
 *     name when present), empty = none
 * @param forbidUnstatedOffers no discount, percentage, price, promo code or free-shipping claim the brief
 *     (or, without a brief, the prompt) does not state; null = the default (true with a brief)
 * @param bestOf the most candidates the worker draws (deterministically from {@code seed}) until one
 *     passes the checks; null = 1
 * @param quality {@code strict}: no passing candidate fails the job ({@code QUALITY_CHECK_FAILED});
 *     {@code best_effort}: the best candidate is returned with {@code passed: false}; null = strict
 */
public record TextInput(
        String prompt,
        int maxTokens,
        double temperature,
        int topK,
        double topP,
        List<String> stop,
        long seed,
        Brief brief,
        List<String> require,
        Boolean forbidUnstatedOffers,
        Integer bestOf,
        String quality)
        implements JobInput {

    public static final int MAX_TOKENS_LIMIT = 4096;
    public static final int MAX_STOP_SEQUENCES = 8;
    public static final int MAX_BEST_OF = 16;
    public static final int MAX_REQUIRED = 16;
    public static final String STRICT = "strict";
    public static final String BEST_EFFORT = "best_effort";

    public TextInput {
        Objects.requireNonNull(prompt, "prompt");
        stop = stop == null ? List.of() : List.copyOf(stop);
        Checks.range("max_tokens", maxTokens, 1, MAX_TOKENS_LIMIT);
        Checks.range("temperature", temperature, 0.0, 5.0);
        Checks.range("top_k", topK, 0, 100_000);
        Checks.range("top_p", topP, 0.0, 1.0);
        Checks.range("stop", stop.size(), 0, MAX_STOP_SEQUENCES);
        for (String s : stop) {
            if (s == null || s.isEmpty()) {
                throw new IllegalArgumentException("stop: sequences must be non-empty");
            }
        }
        if (require != null) {
            Checks.range("require", require.size(), 0, MAX_REQUIRED);
            for (String s : require) {
                if (s == null || s.isBlank()) {
                    throw new IllegalArgumentException("require: strings must be non-blank");
                }
                Checks.range("require length", s.length(), 1, Brief.MAX_FIELD_LENGTH);
            }
            require = List.copyOf(require);
        }
        if (bestOf != null) {
            Checks.range("best_of", bestOf, 1, MAX_BEST_OF);
        }
        if (quality != null && !quality.equals(STRICT) && !quality.equals(BEST_EFFORT)) {
            throw new IllegalArgumentException(
                    "quality: must be \"" + STRICT + "\" or \"" + BEST_EFFORT + "\", got '" + quality + "'");
        }
    }

    /** A free-prompt job without checks (the shape every text job had before briefs). */
    public TextInput(
            String prompt, int maxTokens, double temperature, int topK, double topP, List<String> stop, long seed) {
        this(prompt, maxTokens, temperature, topK, topP, stop, seed, null, null, null, null, null);
    }

    /**
     * Whether the worker checks the output: always with a brief; without one only when {@code require}
     * or {@code forbid_unstated_offers} is given.
     */
    public boolean checked() {
        return brief != null || require != null || forbidUnstatedOffers != null;
    }

    /** The strings the output must contain: {@code require}, or by default the brief's product and name. */
    public List<String> requiredStrings() {
        if (require != null) {
            return require;
        }
        if (brief == null) {
            return List.of();
        }
        return brief.name() == null ? List.of(brief.product()) : List.of(brief.product(), brief.name());
    }

    /** Whether offers the brief (or prompt) does not state are refused; true by default when checked. */
    public boolean forbidsUnstatedOffers() {
        return forbidUnstatedOffers == null ? checked() : forbidUnstatedOffers;
    }

    /** The most candidates the worker draws: {@code best_of}, 1 when absent. */
    public int candidateLimit() {
        return bestOf == null ? 1 : bestOf;
    }

    /** Whether a job whose every candidate fails its checks still succeeds with the best one. */
    public boolean bestEffort() {
        return BEST_EFFORT.equals(quality);
    }
}
