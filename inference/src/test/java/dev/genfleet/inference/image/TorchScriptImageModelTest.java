package dev.genfleet.inference.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.genfleet.inference.GeneratedImage;
import dev.genfleet.inference.ImageGeneration;
import dev.genfleet.inference.ImageRequest;
import dev.genfleet.inference.Modality;
import dev.genfleet.inference.ModelInfo;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The committed TorchScript export of banner-gan ({@code models/banner-gan-torchscript/1}) through the
 * real DJL PyTorch engine, against the DJL-block original ({@code models/banner-gan/1}).
 */
class TorchScriptImageModelTest {

    static final Path VERSION_DIR = Path.of("..", "models", "banner-gan-torchscript", "1");

    static TorchScriptImageModel model;
    static GanImageModel original;

    @BeforeAll
    static void load() {
        assertTrue(Files.isRegularFile(VERSION_DIR.resolve("generator.pt")), "committed TorchScript generator missing");
        model = TorchScriptImageModel.load(VERSION_DIR, Device.cpu());
        original = GanImageModel.load(GanImageModelTest.VERSION_DIR, Device.cpu());
    }

    @AfterAll
    static void close() {
        if (model != null) {
            model.close();
        }
        if (original != null) {
            original.close();
        }
    }

    @Test
    void shouldDescribeItselfLikeBannerGan() {
        ModelInfo info = model.info();
        assertEquals("banner-gan-torchscript", info.id());
        assertEquals("1", info.version());
        assertEquals(Modality.IMAGE, info.modality());
        assertEquals(original.info().parameters(), info.parameters(), "same weights, same count");
        assertEquals(original.styles(), model.styles());
        assertEquals(original.defaultStyle(), model.defaultStyle());
        assertEquals(original.imageSize(), model.imageSize());
    }

    /** 64 seeds × 4 styles: the same 8-bit pixels and realism scores as the DJL networks. */
    @Test
    void shouldDrawTheSamePixelsAndScoresAsBannerGan() {
        int n = 256;
        long[] seeds = new long[n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            seeds[i] = 1000L + i / 4;
            labels[i] = i % 4;
        }
        int[][] ours = model.render(seeds, labels);
        int[][] theirs = original.render(seeds, labels);
        int differing = 0;
        int maxChannel = 0;
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < ours[i].length; p++) {
                if (ours[i][p] != theirs[i][p]) {
                    differing++;
                    for (int shift = 0; shift <= 16; shift += 8) {
                        maxChannel = Math.max(
                                maxChannel,
                                Math.abs(((ours[i][p] >> shift) & 0xFF) - ((theirs[i][p] >> shift) & 0xFF)));
                    }
                }
            }
        }
        double[] ourScores = model.score(ours, labels);
        double[] theirScores = original.score(ours, labels);
        double maxScore = 0;
        for (int i = 0; i < n; i++) {
            maxScore = Math.max(maxScore, Math.abs(ourScores[i] - theirScores[i]));
        }
        System.out.printf(
                Locale.ROOT,
                "banner-gan-torchscript vs banner-gan: %d of %d pixels differ (max channel diff %d), max |realism diff| %.3e%n",
                differing,
                n * 32 * 32,
                maxChannel,
                maxScore);
        assertEquals(0, differing, "pixels that differ from banner-gan (max channel difference " + maxChannel + ")");
        assertTrue(maxScore <= 1e-6, "max |realism diff| " + maxScore);
    }

    @Test
    void shouldReturnTheSamePngsAsBannerGanForTheSameRequests() {
        List<ImageRequest> batch = List.of(
                new ImageRequest(42L, 2, "sunset", 1),
                new ImageRequest(7L, 1, "neon", 5),
                new ImageRequest(-3L, 3, null, 3));
        List<ImageGeneration> ours = model.generate(batch);
        List<ImageGeneration> theirs = original.generate(batch);
        for (int r = 0; r < batch.size(); r++) {
            assertEquals(theirs.get(r).images().size(), ours.get(r).images().size());
            for (int k = 0; k < ours.get(r).images().size(); k++) {
                GeneratedImage a = ours.get(r).images().get(k);
                GeneratedImage b = theirs.get(r).images().get(k);
                assertArrayEquals(b.png(), a.png(), "request " + r + " image " + k);
                assertEquals(b.seed(), a.seed());
                assertEquals(b.realismScore(), a.realismScore(), 1e-6);
            }
        }
    }

    @Test
    void shouldEncodePngsThatDecodeAtThePromisedSize() throws IOException {
        List<GeneratedImage> images = model.generate(List.of(new ImageRequest(11L, 3, "forest", 1)))
                .get(0)
                .images();
        assertEquals(3, images.size());
        for (GeneratedImage image : images) {
            assertEquals(32, image.width());
            assertEquals(32, image.height());
            BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(image.png()));
            assertNotNull(decoded, "not a PNG");
            assertEquals(32, decoded.getWidth());
            assertEquals(32, decoded.getHeight());
            assertTrue(image.realismScore() >= 0 && image.realismScore() <= 1, "score " + image.realismScore());
        }
    }

    @Test
    void shouldReturnIdenticalBytesForTheSameSeedAloneAndInABatch() {
        ImageRequest request = new ImageRequest(123_456_789L, 1, "ocean", 1);
        byte[] alone = model.generate(List.of(request)).get(0).images().get(0).png();
        List<ImageRequest> batch = new ArrayList<>();
        for (int i = 0; i < 20; i++) { // more rows than one forward-pass chunk
            batch.add(new ImageRequest(1000L + i, 1, GanConfig.DEFAULT_STYLES.get(i % 4), 1));
        }
        batch.add(7, request);
        List<ImageGeneration> out = model.generate(batch);
        assertArrayEquals(alone, out.get(7).images().get(0).png());
        for (int i = 0; i < batch.size(); i += 5) {
            assertArrayEquals(
                    model.generate(List.of(batch.get(i))).get(0).images().get(0).png(),
                    out.get(i).images().get(0).png(),
                    "row " + i);
        }
    }

    @Test
    void shouldKeepBestScoredImagesWhenBestOfExceedsCount() {
        List<GeneratedImage> all = model.generate(List.of(new ImageRequest(2024L, 12, "forest", 12)))
                .get(0)
                .images();
        List<GeneratedImage> best = model.generate(List.of(new ImageRequest(2024L, 3, "forest", 12)))
                .get(0)
                .images();
        assertEquals(12, all.size());
        assertEquals(3, best.size());
        List<GeneratedImage> expected = all.stream()
                .sorted(Comparator.comparingDouble(GeneratedImage::realismScore).reversed())
                .limit(3)
                .toList();
        for (int i = 0; i < 3; i++) {
            assertEquals(expected.get(i).seed(), best.get(i).seed());
            assertArrayEquals(expected.get(i).png(), best.get(i).png());
        }
        for (int i = 1; i < all.size(); i++) {
            assertTrue(all.get(i - 1).realismScore() >= all.get(i).realismScore(), "not sorted at " + i);
        }
    }

    @Test
    void shouldRejectAnUnknownStyleAndANonPositiveCount() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> model.generate(List.of(new ImageRequest(1L, 1, "baroque", 1))));
        assertTrue(e.getMessage().contains("baroque") && e.getMessage().contains("sunset"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class, () -> model.generate(List.of(new ImageRequest(1L, 0, "ocean", 1))));
    }
}
