package dev.genfleet.inference;

import java.util.List;

/**
 * One row of a text batch. Rows in one batch may carry different sampling parameters and seeds; the
 * same prompt, parameters and seed give byte-identical output whether the row runs alone or batched.
 *
 * @param temperature 0 means greedy
 * @param topK 0 means no top-k cut
 * @param topP 1.0 means no nucleus cut
 */
public record TextRequest(
        String prompt, int maxTokens, double temperature, int topK, double topP, List<String> stop, long seed) {

    public TextRequest {
        stop = stop == null ? List.of() : List.copyOf(stop);
    }
}
