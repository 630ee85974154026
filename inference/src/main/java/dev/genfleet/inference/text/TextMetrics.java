package dev.genfleet.inference.text;

/** Baselines for the text model's metrics. */
public final class TextMetrics {

    private TextMetrics() {}

    /**
     * Perplexity of {@code heldOut} (every character after the first, the same targets as
     * {@link GptTextModel#perplexity}) under a unigram character model fit on {@code train} with add-one
     * smoothing.
     */
    public static double unigramPerplexity(CharTokenizer tokenizer, String train, String heldOut) {
        int v = tokenizer.vocabSize();
        double[] counts = new double[v];
        java.util.Arrays.fill(counts, 1.0);
        double total = v;
        for (int id : tokenizer.encode(train)) {
            counts[id]++;
            total++;
        }
        int[] ids = tokenizer.encode(heldOut);
        double nll = 0;
        for (int i = 1; i < ids.length; i++) {
            nll -= Math.log(counts[ids[i]] / total);
        }
        return ids.length < 2 ? Double.NaN : Math.exp(nll / (ids.length - 1));
    }
}
