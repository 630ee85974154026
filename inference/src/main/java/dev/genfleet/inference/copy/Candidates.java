package dev.genfleet.inference.copy;

/**
 * The seeds of a job's candidates when it may draw several ({@code best_of}). Candidate 0 uses the job's
 * own seed, so a job with one candidate generates exactly what it would without checks. Candidate
 * {@code k ≥ 1} uses {@code mix64(seed + k · 0x9E3779B97F4A7C15)} (the golden-ratio increment and the
 * 64-bit finalizer of {@link java.util.SplittableRandom}): a plain {@code seed + k} would give a
 * neighbouring job's seed, and {@code seed + k · gamma} alone would replay candidate 0's random stream
 * shifted by {@code k} draws, since the row's generator steps by the same gamma. Same seed, same
 * candidates, on every worker.
 */
public final class Candidates {

    static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private Candidates() {}

    /** The seed of candidate {@code k} (0-based) of a job with seed {@code seed}. */
    public static long seed(long seed, int k) {
        if (k < 0) {
            throw new IllegalArgumentException("candidate index must be ≥ 0, got " + k);
        }
        return k == 0 ? seed : mix64(seed + k * GOLDEN_GAMMA);
    }

    /**
     * Whether further candidates can differ from the first: not with greedy decoding (temperature 0 or
     * top-k 1), which ignores the seed, so a greedy job draws one candidate whatever its {@code best_of}.
     */
    public static boolean seedMatters(double temperature, int topK) {
        return temperature > 0 && topK != 1;
    }

    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
