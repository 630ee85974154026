package dev.genfleet.training.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BannerPainterTest {

    private final BannerPainter painter = new BannerPainter(32);

    @Test
    void shouldPaintIdenticalPixelsForTheSameStyleAndSeed() {
        for (String style : BannerPainter.STYLES) {
            assertArrayEquals(painter.paintRgb(style, 42L), new BannerPainter(32).paintRgb(style, 42L), style);
        }
    }

    @Test
    void shouldPaintDifferentLayoutsForDifferentSeeds() {
        for (String style : BannerPainter.STYLES) {
            assertFalse(Arrays.equals(painter.paintRgb(style, 1L), painter.paintRgb(style, 2L)), style);
        }
    }

    @Test
    void shouldGiveEachStyleItsOwnPalette() {
        double[][] means = new double[BannerPainter.STYLES.size()][];
        for (int s = 0; s < means.length; s++) {
            means[s] = meanRgb(painter.paintRgb(BannerPainter.STYLES.get(s), 7L));
        }
        for (int a = 0; a < means.length; a++) {
            for (int b = a + 1; b < means.length; b++) {
                double d = Math.abs(means[a][0] - means[b][0])
                        + Math.abs(means[a][1] - means[b][1])
                        + Math.abs(means[a][2] - means[b][2]);
                assertTrue(d > 30, "styles " + a + " and " + b + " look alike: " + d);
            }
        }
    }

    @Test
    void shouldPaintABufferedImageOfTheRequestedSize() {
        BufferedImage image = painter.paint("ocean", 3L);
        assertEquals(32, image.getWidth());
        assertEquals(32, image.getHeight());
        assertEquals(painter.paintRgb("ocean", 3L)[5 * 32 + 7], image.getRGB(7, 5) & 0xFFFFFF);
    }

    @Test
    void shouldRejectAnUnknownStyle() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> painter.paintRgb("vaporwave", 1L));
        assertTrue(e.getMessage().contains("vaporwave"), e.getMessage());
    }

    private static double[] meanRgb(int[] rgb) {
        double[] m = new double[3];
        for (int p : rgb) {
            m[0] += (p >> 16) & 0xFF;
            m[1] += (p >> 8) & 0xFF;
            m[2] += p & 0xFF;
        }
        for (int k = 0; k < 3; k++) {
            m[k] /= rgb.length;
        }
        return m;
    }
}
