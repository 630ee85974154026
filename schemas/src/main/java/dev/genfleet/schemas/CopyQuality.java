package dev.genfleet.schemas;

import java.util.List;

/**
 * What the worker's checks found in a text output (see {@link TextInput#checked()}).
 *
 * @param passed every check held
 * @param requiredMissing the required strings the output lacks
 * @param unstatedOffers offer claims (discount, percentage, price, promo code, free shipping) the
 *     brief does not state, as they appear in the output
 * @param unknownWordRatio words neither in the English word list nor in the brief, over all words
 * @param candidates how many candidates the worker drew (1 when the first passed)
 */
public record CopyQuality(
        boolean passed,
        List<String> requiredMissing,
        List<String> unstatedOffers,
        double unknownWordRatio,
        int candidates) {

    public CopyQuality {
        requiredMissing = requiredMissing == null ? List.of() : List.copyOf(requiredMissing);
        unstatedOffers = unstatedOffers == null ? List.of() : List.copyOf(unstatedOffers);
        Checks.range("unknown_word_ratio", unknownWordRatio, 0.0, 1.0);
        Checks.range("candidates", candidates, 1, TextInput.MAX_BEST_OF);
    }
}
