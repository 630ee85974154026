package dev.genfleet.inference.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SamplerTest {

    /** The specification of the candidate order: logit descending as Float.compare orders, then id ascending. */
    private static int[] specifiedOrder(float[] logits, int offset, int vocab) {
        Integer[] order = new Integer[vocab];
        for (int i = 0; i < vocab; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            int c = Float.compare(logits[offset + b], logits[offset + a]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        return Arrays.stream(order).mapToInt(Integer::intValue).toArray();
    }

    @Test
    void shouldOrderCandidatesLikeTheComparatorIncludingTiesZerosInfinitiesAndNaN() {
        float[] special = {
            0f,
            -0f,
            Float.NaN,
            Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY,
            Float.MIN_VALUE,
            -Float.MIN_VALUE,
            Float.MAX_VALUE,
            -Float.MAX_VALUE,
            1f,
            1f,
            -1f
        };
        SplittableRandom random = new SplittableRandom(7);
        for (int round = 0; round < 2_000; round++) {
            int vocab = 1 + random.nextInt(80);
            int offset = random.nextInt(5);
            float[] logits = new float[offset + vocab + 3];
            for (int i = 0; i < logits.length; i++) {
                logits[i] = switch (random.nextInt(4)) {
                    case 0 -> special[random.nextInt(special.length)];
                    case 1 -> random.nextInt(3) - 1; // many ties
                    default -> (float) (random.nextGaussian() * 5);
                };
            }
            assertArrayEquals(
                    specifiedOrder(logits, offset, vocab),
                    Sampler.order(logits, offset, vocab),
                    "round " + round + ": " + Arrays.toString(logits));
        }
    }

    @Test
    void shouldDrawTheSameTokensForTheSameSeed() {
        float[] logits = new float[68];
        SplittableRandom random = new SplittableRandom(11);
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) random.nextGaussian() * 3;
        }
        SplittableRandom a = new SplittableRandom(42);
        SplittableRandom b = new SplittableRandom(42);
        for (int i = 0; i < 200; i++) {
            assertEquals(
                    Sampler.sample(logits, 0, 68, 0.8, 0, 0.95, a), Sampler.sample(logits, 0, 68, 0.8, 0, 0.95, b));
        }
    }

    @Test
    void shouldKeepOnlyTheTopKAndTheTopPMass() {
        float[] logits = {0f, 10f, 9.5f, -3f, 2f};
        SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i < 500; i++) {
            int k2 = Sampler.sample(logits, 0, 5, 1.0, 2, 1.0, rng);
            assertEquals(true, k2 == 1 || k2 == 2, "top-k 2 drew " + k2);
            assertEquals(1, Sampler.sample(logits, 0, 5, 1.0, 0, 0.1, rng), "top-p 0.1 keeps only the best token");
        }
        assertEquals(1, Sampler.sample(logits, 0, 5, 0.0, 0, 1.0, rng), "temperature 0 is greedy");
    }
}
