package dev.genfleet.inference;

import java.util.List;

/**
 * One row of a text batch. Rows in one batch may carry different sampling parameters, seeds and masks;
 * the same prompt, parameters, seed and mask give byte-identical output whether the row runs alone or
 * batched.
 *
 * @param temperature 0 means greedy
 * @param topK 0 means no top-k cut
 * @param topP 1.0 means no nucleus cut
 * @param banned token ids this row never samples (greedy included); {@link TokenMask#none()} when null.
 *     Every text family applies it to the row's own logits before sampling, so it keeps batch invariance.
 */
public record TextRequest(
        String prompt,
        int maxTokens,
        double temperature,
        int topK,
        double topP,
        List<String> stop,
        long seed,
        TokenMask banned) {

    public TextRequest {
        stop = stop == null ? List.of() : List.copyOf(stop);
        banned = banned == null ? TokenMask.none() : banned;
    }

    /** A row without a mask. */
    public TextRequest(
            String prompt, int maxTokens, double temperature, int topK, double topP, List<String> stop, long seed) {
        this(prompt, maxTokens, temperature, topK, topP, stop, seed, TokenMask.none());
    }

    /** This row with another seed (a further candidate of the same job). */
    public TextRequest withSeed(long newSeed) {
        return new TextRequest(prompt, maxTokens, temperature, topK, topP, stop, newSeed, banned);
    }
}
