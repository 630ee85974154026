package dev.genfleet.inference.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genfleet.inference.ImageRequest;
import dev.genfleet.inference.NonFiniteOutputException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the pipeline does with an engine that returns NaN or infinities: a failure, never a value. */
class ImagePipelineTest {

    static final int SIZE = 4;

    static int[][] grey(long[] seeds, int[] labels) {
        int[][] out = new int[seeds.length][];
        for (int i = 0; i < seeds.length; i++) {
            out[i] = new int[SIZE * SIZE];
        }
        return out;
    }

    @Test
    void shouldRefuseANanLogitInsteadOfScoringIt() {
        ImagePipeline.Critic nanForSecondRow = (chunk, labels) -> {
            float[] logits = new float[chunk.length];
            logits[1] = Float.NaN;
            return logits;
        };
        NonFiniteOutputException e = assertThrows(
                NonFiniteOutputException.class,
                () -> ImagePipeline.generate(
                        List.of(new ImageRequest(1L, 2, null, 2)),
                        SIZE,
                        s -> 0,
                        ImagePipelineTest::grey,
                        (images, labels) -> ImagePipeline.score(images, labels, SIZE, nanForSecondRow)));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
    }

    @Test
    void shouldRefuseAnInfinitePixelInsteadOfQuantisingIt() {
        ImagePipeline.Generator infinite = (latents, labels) -> {
            float[] chw = new float[latents.length * 3 * SIZE * SIZE];
            chw[5] = Float.POSITIVE_INFINITY;
            return chw;
        };
        assertThrows(
                NonFiniteOutputException.class,
                () -> ImagePipeline.render(new long[] {3L}, new int[] {0}, 8, SIZE, infinite));
    }

    @Test
    void shouldIgnoreNonFiniteValuesInThePaddingRowsOfAShortChunk() {
        // only row 0 is real; rows 1.. pad the chunk and are dropped, whatever they hold
        ImagePipeline.Critic nanInPadding = (chunk, labels) -> {
            float[] logits = new float[chunk.length];
            Arrays.fill(logits, 1, logits.length, Float.NaN);
            return logits;
        };
        double[] scores = ImagePipeline.score(new int[][] {new int[SIZE * SIZE]}, new int[] {0}, SIZE, nanInPadding);
        assertEquals(0.5, scores[0], 0.0);
    }
}
