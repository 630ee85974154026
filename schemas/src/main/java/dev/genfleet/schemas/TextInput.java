package dev.genfleet.schemas;

import java.util.List;
import java.util.Objects;

/**
 * Input of a text job, as rendered and checked by the gateway.
 *
 * @param temperature 0 = greedy
 * @param topK 0 = no top-k cut
 * @param topP 1 = no nucleus cut
 * @param stop stop sequences, not part of the output
 */
public record TextInput(
        String prompt, int maxTokens, double temperature, int topK, double topP, List<String> stop, long seed)
        implements JobInput {

    public static final int MAX_TOKENS_LIMIT = 4096;
    public static final int MAX_STOP_SEQUENCES = 8;

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
    }
}
