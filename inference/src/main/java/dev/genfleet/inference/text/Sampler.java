package dev.genfleet.inference.text;

import dev.genfleet.inference.TokenMask;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Picks the next token from one row's logits, in Java and in double precision, with that row's own
 * random generator. Temperature 0 (or less, or NaN) is greedy: the highest logit, lowest id on ties.
 * Otherwise: scale by 1/temperature, keep the top-k (k = 0: all), softmax, keep the smallest prefix of
 * tokens by descending probability whose mass reaches top-p (at least one), then draw one
 * {@code nextDouble()} from the row's generator. Candidate order is (logit desc, id asc), so the result
 * depends only on the logits and the generator.
 *
 * <p>A {@link TokenMask} removes its ids from the candidates before any of this (greedy included): a
 * banned id is never returned, whatever its logit, and the remaining candidates keep their order. Greedy
 * rows pick what they would have picked unless it is banned; sampled rows renormalize over the allowed
 * ids (top-k counts allowed ids only), so their draws may change. No mask: exactly the unmasked path.
 */
public final class Sampler {

    private Sampler() {}

    public static int sample(
            float[] logits, int offset, int vocab, double temperature, int topK, double topP, SplittableRandom rng) {
        return sample(logits, offset, vocab, temperature, topK, topP, rng, TokenMask.none());
    }

    /**
     * @throws IllegalStateException when the mask bans every id of the vocabulary
     */
    public static int sample(
            float[] logits,
            int offset,
            int vocab,
            double temperature,
            int topK,
            double topP,
            SplittableRandom rng,
            TokenMask banned) {
        boolean masked = !banned.isEmpty();
        if (!(temperature > 0) || (topK == 1)) {
            return masked ? argmax(logits, offset, vocab, banned) : argmax(logits, offset, vocab);
        }
        int[] order = order(logits, offset, vocab);
        if (masked) {
            order = allowed(order, banned);
        }
        int candidates = order.length;
        int keep = topK > 0 ? Math.min(topK, candidates) : candidates;
        double max = logits[offset + order[0]];
        double[] p = new double[keep];
        double sum = 0;
        for (int i = 0; i < keep; i++) {
            double z = (logits[offset + order[i]] - max) / temperature;
            p[i] = Double.isFinite(z) ? Math.exp(z) : (z > 0 ? Double.MAX_VALUE : 0.0);
            sum += p[i];
        }
        if (!(sum > 0) || !Double.isFinite(sum)) {
            return order[0];
        }
        if (topP < 1.0) {
            double cum = 0;
            int cut = 1;
            for (int i = 0; i < keep; i++) {
                cum += p[i] / sum;
                cut = i + 1;
                if (cum >= topP) {
                    break;
                }
            }
            keep = cut;
            sum = 0;
            for (int i = 0; i < keep; i++) {
                sum += p[i];
            }
        }
        double u = rng.nextDouble() * sum;
        double acc = 0;
        for (int i = 0; i < keep; i++) {
            acc += p[i];
            if (u < acc) {
                return order[i];
            }
        }
        return order[keep - 1];
    }

    /**
     * Token ids by (logit descending as {@link Float#compare} orders, id ascending). Sorted as primitive
     * longs, {@code (~sortable(logit) << 32) | id}, instead of boxed ids with a comparator: the same order,
     * without the boxing and comparator calls that took ~15% of a batch's time in a worker profile.
     */
    static int[] order(float[] logits, int offset, int vocab) {
        long[] keys = new long[vocab];
        for (int i = 0; i < vocab; i++) {
            keys[i] = ((long) ~sortable(logits[offset + i]) << 32) | i;
        }
        Arrays.sort(keys);
        int[] order = new int[vocab];
        for (int i = 0; i < vocab; i++) {
            order[i] = (int) keys[i];
        }
        return order;
    }

    /** An int that orders like {@link Float#compare}: -0.0 below 0.0, NaN above everything. */
    static int sortable(float f) {
        int bits = Float.floatToIntBits(f);
        return bits ^ ((bits >> 31) & 0x7fffffff);
    }

    /** {@code order} without the banned ids, in the same order. */
    private static int[] allowed(int[] order, TokenMask banned) {
        int[] out = new int[order.length];
        int n = 0;
        for (int id : order) {
            if (!banned.bans(id)) {
                out[n++] = id;
            }
        }
        if (n == 0) {
            throw new IllegalStateException("the row's token mask bans all " + order.length + " ids");
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    /** The highest logit among the allowed ids, lowest id on ties. */
    static int argmax(float[] logits, int offset, int vocab, TokenMask banned) {
        int best = -1;
        for (int i = 0; i < vocab; i++) {
            if (!banned.bans(i) && (best < 0 || logits[offset + i] > logits[offset + best])) {
                best = i;
            }
        }
        if (best < 0) {
            throw new IllegalStateException("the row's token mask bans all " + vocab + " ids");
        }
        return best;
    }

    static int argmax(float[] logits, int offset, int vocab) {
        int best = 0;
        for (int i = 1; i < vocab; i++) {
            if (logits[offset + i] > logits[offset + best]) {
                best = i;
            }
        }
        return best;
    }
}
