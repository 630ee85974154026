package dev.genfleet.training.image;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.genfleet.inference.image.GanImageModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The committed banner-gan discriminator against the pictures it was trained on (BannerPainter). */
class BannerGanEvaluationTest {

    static final Path VERSION_DIR = Path.of("..", "models", "banner-gan", "1");

    static GanImageModel model;

    @BeforeAll
    static void load() {
        model = GanImageModel.load(VERSION_DIR, Device.cpu());
    }

    @AfterAll
    static void close() {
        if (model != null) {
            model.close();
        }
    }

    @Test
    void shouldScoreRealTrainingImagesAboveRandomNoise() {
        BannerPainter painter = new BannerPainter(32);
        SplittableRandom rnd = new SplittableRandom(5);
        double real = 0;
        double noise = 0;
        int n = 0;
        for (String style : BannerPainter.STYLES) {
            List<int[]> reals = new ArrayList<>();
            List<int[]> noises = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                reals.add(painter.paintRgb(style, 9_000L + i));
                int[] px = new int[32 * 32];
                for (int p = 0; p < px.length; p++) {
                    px[p] = rnd.nextInt(0x1000000);
                }
                noises.add(px);
            }
            real += Arrays.stream(model.score(reals, style)).sum();
            noise += Arrays.stream(model.score(noises, style)).sum();
            n += 16;
        }
        real /= n;
        noise /= n;
        assertTrue(real > noise, "mean realism real " + real + " vs noise " + noise);
    }
}
