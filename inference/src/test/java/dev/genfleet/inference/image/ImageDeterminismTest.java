package dev.genfleet.inference.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.genfleet.inference.GeneratedImage;
import dev.genfleet.inference.ImageGeneration;
import dev.genfleet.inference.ImageModel;
import dev.genfleet.inference.ImageRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The determinism promise of worker/README.md ("Determinism") for both image models, proven by
 * repetition: answers to a few probe requests are taken on a cold model, then the model serves 50 varied
 * requests (counts, styles, best_of, batch mixes) from four threads at once, as a worker's lanes call it;
 * after that every probe must give the same PNG bytes and the same realism score alone, inside a mixed
 * batch, in sequence and from four threads concurrently, and every score is a finite number in [0, 1].
 */
class ImageDeterminismTest {

    static final List<ImageRequest> PROBES = List.of(
            new ImageRequest(77L, 3, null, 1),
            new ImageRequest(77L, 1, null, 1),
            new ImageRequest(-5L, 2, "neon", 9),
            new ImageRequest(123_456_789L, 1, "ocean", 1),
            new ImageRequest(2024L, 4, "forest", 20));

    static Stream<Arguments> models() {
        Supplier<ImageModel> banner = () -> GanImageModel.load(GanImageModelTest.VERSION_DIR, Device.cpu());
        Supplier<ImageModel> torchscript =
                () -> TorchScriptImageModel.load(TorchScriptImageModelTest.VERSION_DIR, Device.cpu());
        return Stream.of(Arguments.of("banner-gan", banner), Arguments.of("banner-gan-torchscript", torchscript));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void shouldGiveTheSameBytesAndScoresAloneBatchedInSequenceAndConcurrentlyOnAWarmModel(
            String name, Supplier<ImageModel> loader) throws Exception {
        try (ImageModel model = loader.get()) {
            List<ImageGeneration> cold = new ArrayList<>();
            for (ImageRequest probe : PROBES) {
                cold.add(model.generate(List.of(probe)).get(0));
            }

            warmUp(model, 50);

            // alone, in sequence, three times over
            for (int round = 0; round < 3; round++) {
                for (int p = 0; p < PROBES.size(); p++) {
                    assertSame(
                            cold.get(p),
                            model.generate(List.of(PROBES.get(p))).get(0),
                            name + " probe " + p + " alone, round " + round);
                }
            }
            // batched: the probes between unrelated rows
            SplittableRandom rnd = new SplittableRandom(99);
            List<ImageRequest> batch = new ArrayList<>();
            List<Integer> at = new ArrayList<>();
            for (ImageRequest probe : PROBES) {
                batch.add(randomRequest(rnd));
                at.add(batch.size());
                batch.add(probe);
            }
            List<ImageGeneration> mixed = model.generate(batch);
            for (int p = 0; p < PROBES.size(); p++) {
                assertSame(cold.get(p), mixed.get(at.get(p)), name + " probe " + p + " in a mixed batch");
            }
            // concurrently: four threads, each asking every probe while the others do
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<List<ImageGeneration>>> futures = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    futures.add(pool.submit(() -> {
                        List<ImageGeneration> answers = new ArrayList<>();
                        for (ImageRequest probe : PROBES) {
                            answers.add(model.generate(List.of(probe)).get(0));
                        }
                        return answers;
                    }));
                }
                for (int t = 0; t < futures.size(); t++) {
                    List<ImageGeneration> answers = futures.get(t).get();
                    for (int p = 0; p < PROBES.size(); p++) {
                        assertSame(cold.get(p), answers.get(p), name + " probe " + p + " on concurrent thread " + t);
                    }
                }
            } finally {
                pool.shutdownNow();
            }
            // count 1 is candidate 0 of count 3: the same image, whatever the rank it got there
            GeneratedImage single = cold.get(1).images().get(0);
            GeneratedImage sameSeed = cold.get(0).images().stream()
                    .filter(i -> i.seed() == 77L)
                    .findFirst()
                    .orElseThrow();
            assertArrayEquals(single.png(), sameSeed.png(), name + ": seed 77 alone and within count 3");
            assertEquals(single.realismScore(), sameSeed.realismScore(), 0.0);
        }
    }

    /** {@code n} varied requests in batches of one to four, from four threads at once. */
    private static void warmUp(ImageModel model, int n) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            SplittableRandom rnd = new SplittableRandom(20261129);
            int submitted = 0;
            while (submitted < n) {
                int size = Math.min(n - submitted, 1 + rnd.nextInt(4));
                List<ImageRequest> batch = new ArrayList<>();
                for (int i = 0; i < size; i++) {
                    batch.add(randomRequest(rnd));
                }
                submitted += size;
                futures.add(pool.submit(() -> {
                    for (ImageGeneration g : model.generate(batch)) {
                        g.images().forEach(ImageDeterminismTest::assertScoreIsAProbability);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static ImageRequest randomRequest(SplittableRandom rnd) {
        int count = 1 + rnd.nextInt(6);
        int bestOf = rnd.nextBoolean() ? count : count + rnd.nextInt(24);
        String style =
                rnd.nextInt(5) == 0 ? null : GanConfig.DEFAULT_STYLES.get(rnd.nextInt(GanConfig.DEFAULT_STYLES.size()));
        return new ImageRequest(rnd.nextLong(), count, style, bestOf);
    }

    private static void assertSame(ImageGeneration expected, ImageGeneration actual, String what) {
        assertEquals(expected.images().size(), actual.images().size(), what);
        for (int i = 0; i < expected.images().size(); i++) {
            GeneratedImage e = expected.images().get(i);
            GeneratedImage a = actual.images().get(i);
            assertScoreIsAProbability(a);
            assertEquals(e.seed(), a.seed(), what + ", image " + i + " seed");
            assertArrayEquals(e.png(), a.png(), what + ", image " + i + " bytes");
            assertEquals(e.realismScore(), a.realismScore(), 0.0, what + ", image " + i + " score");
        }
    }

    private static void assertScoreIsAProbability(GeneratedImage image) {
        double s = image.realismScore();
        assertTrue(Double.isFinite(s) && s >= 0 && s <= 1, "realism score " + s + " of seed " + image.seed());
    }
}
