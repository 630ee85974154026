package dev.genfleet.inference.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runs against the committed weights in {@code models/banner-gan/1} (Surefire runs in worker/). */
class GanImageModelTest {

    static final Path VERSION_DIR = Path.of("..", "models", "banner-gan", "1");

    static GanImageModel model;

    @BeforeAll
    static void load() {
        assertTrue(
                Files.isRegularFile(VERSION_DIR.resolve("generator.params")),
                "committed weights missing in " + VERSION_DIR);
        model = GanImageModel.load(VERSION_DIR);
    }

    @AfterAll
    static void close() {
        if (model != null) {
            model.close();
        }
    }

    @Test
    void shouldDescribeItselfAsAnImageModel() {
        ModelInfo info = model.info();
        assertEquals("banner-gan", info.id());
        assertEquals("1", info.version());
        assertEquals(Modality.IMAGE, info.modality());
        assertNotNull(info.device());
        assertTrue(info.parameters() > 100_000, "parameters " + info.parameters());
        assertEquals(GanConfig.DEFAULT_STYLES, model.styles());
    }

    @Test
    void shouldEncodePngsThatDecodeAtThePromisedSize() throws IOException {
        List<GeneratedImage> images =
                generate(new ImageRequest(11L, 3, "forest", 1)).images();
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
        byte[] alone = generate(request).images().get(0).png();
        byte[] again = generate(request).images().get(0).png();
        assertArrayEquals(alone, again);

        List<ImageRequest> batch = new ArrayList<>();
        for (int i = 0; i < 20; i++) { // more rows than one forward-pass chunk
            batch.add(new ImageRequest(1000L + i, 1, GanConfig.DEFAULT_STYLES.get(i % 4), 1));
        }
        batch.add(7, request);
        batch.add(new ImageRequest(-5L, 4, "neon", 6));
        List<ImageGeneration> out = model.generate(batch);
        assertEquals(batch.size(), out.size());
        assertArrayEquals(alone, out.get(7).images().get(0).png());
        for (int i = 0; i < batch.size(); i++) { // every row equals its own request run alone
            ImageGeneration single = generate(batch.get(i));
            for (int k = 0; k < single.images().size(); k++) {
                assertArrayEquals(
                        single.images().get(k).png(), out.get(i).images().get(k).png(), "row " + i);
            }
        }
    }

    @Test
    void shouldReproduceEachImageAloneFromItsSeed() {
        List<GeneratedImage> images =
                generate(new ImageRequest(77L, 4, "sunset", 1)).images();
        assertTrue(images.stream().anyMatch(img -> img.seed() == 77L), "image 0 uses the request seed");
        for (GeneratedImage image : images) {
            GeneratedImage alone = generate(new ImageRequest(image.seed(), 1, "sunset", 1))
                    .images()
                    .get(0);
            assertArrayEquals(image.png(), alone.png());
            assertEquals(image.realismScore(), alone.realismScore(), 1e-6);
        }
    }

    @Test
    void shouldProduceDifferentImagesForDifferentSeeds() {
        byte[] a = generate(new ImageRequest(1L, 1, "neon", 1)).images().get(0).png();
        byte[] b = generate(new ImageRequest(2L, 1, "neon", 1)).images().get(0).png();
        assertFalse(Arrays.equals(a, b));
        List<GeneratedImage> four = generate(new ImageRequest(3L, 4, "neon", 1)).images();
        assertEquals(
                4,
                four.stream().map(img -> Arrays.hashCode(img.png())).distinct().count());
    }

    @Test
    void shouldProduceDifferentImagesForDifferentStyles() {
        byte[] a =
                generate(new ImageRequest(5L, 1, "sunset", 1)).images().get(0).png();
        byte[] b = generate(new ImageRequest(5L, 1, "ocean", 1)).images().get(0).png();
        assertFalse(Arrays.equals(a, b));
    }

    @Test
    void shouldKeepBestScoredImagesWhenBestOfExceedsCount() {
        List<GeneratedImage> all =
                generate(new ImageRequest(2024L, 12, "forest", 12)).images();
        List<GeneratedImage> best =
                generate(new ImageRequest(2024L, 3, "forest", 12)).images();
        assertEquals(12, all.size());
        assertEquals(3, best.size());
        assertSortedByScoreDescending(all);
        assertSortedByScoreDescending(best);
        List<GeneratedImage> expected = all.stream()
                .sorted(Comparator.comparingDouble(GeneratedImage::realismScore).reversed())
                .limit(3)
                .toList();
        for (int i = 0; i < 3; i++) {
            assertEquals(expected.get(i).seed(), best.get(i).seed());
            assertArrayEquals(expected.get(i).png(), best.get(i).png());
        }
        // the 12 candidates are the request's derived seeds 0..11
        for (int i = 0; i < 12; i++) {
            long seed = GanImageModel.imageSeed(2024L, i);
            assertTrue(all.stream().anyMatch(img -> img.seed() == seed), "candidate " + i);
        }
    }

    @Test
    void shouldHonourCountPerRequestInOrder() {
        List<ImageGeneration> out = model.generate(List.of(
                new ImageRequest(1L, 1, "sunset", 1),
                new ImageRequest(2L, 5, "ocean", 0),
                new ImageRequest(3L, 2, null, 4)));
        assertEquals(3, out.size());
        assertEquals(1, out.get(0).images().size());
        assertEquals(5, out.get(1).images().size());
        assertEquals(2, out.get(2).images().size());
        assertTrue(model.generate(List.of()).isEmpty());
    }

    @Test
    void shouldUseTheDefaultStyleWhenStyleIsNull() {
        byte[] viaNull =
                generate(new ImageRequest(9L, 1, null, 1)).images().get(0).png();
        byte[] viaName = generate(new ImageRequest(9L, 1, model.defaultStyle(), 1))
                .images()
                .get(0)
                .png();
        assertArrayEquals(viaName, viaNull);
    }

    @Test
    void shouldRejectAnUnknownStyle() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> generate(new ImageRequest(1L, 1, "baroque", 1)));
        assertTrue(e.getMessage().contains("baroque"), e.getMessage());
        assertTrue(e.getMessage().contains("sunset"), "lists the known styles: " + e.getMessage());
    }

    @Test
    void shouldRejectANonPositiveCount() {
        assertThrows(IllegalArgumentException.class, () -> generate(new ImageRequest(1L, 0, "ocean", 1)));
    }

    private static ImageGeneration generate(ImageRequest request) {
        List<ImageGeneration> out = model.generate(List.of(request));
        assertEquals(1, out.size());
        return out.get(0);
    }

    private static void assertSortedByScoreDescending(List<GeneratedImage> images) {
        for (int i = 1; i < images.size(); i++) {
            assertTrue(images.get(i - 1).realismScore() >= images.get(i).realismScore(), "not sorted at " + i);
        }
    }
}
