package dev.genfleet.training.image;

import dev.genfleet.inference.image.GanConfig;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Paints small banner-like RGB images procedurally: a gradient background plus one or two large,
 * soft-edged shapes whose palette and layout depend on a style label. The same (style, seed) always
 * gives the same pixels (pure arithmetic, no fonts, no AWT rendering), so the painter is the GAN's
 * reproducible, infinite training set.
 *
 * <p>The layouts are deliberately low-variance (a few jittered positions and sizes, a small
 * brightness jitter) and use large shapes, so that a small GAN learns them in minutes on a CPU.
 */
public final class BannerPainter {

    /** The style labels, in label-index order. */
    public static final List<String> STYLES = GanConfig.DEFAULT_STYLES;

    private final int size;

    /** A painter for {@code size}×{@code size} images (the layouts are designed for 32). */
    public BannerPainter(int size) {
        if (size < 8) {
            throw new IllegalArgumentException("size must be at least 8, got " + size);
        }
        this.size = size;
    }

    public BannerPainter() {
        this(32);
    }

    public int size() {
        return size;
    }

    /** The index of a style label in {@link #STYLES}. */
    public static int styleIndex(String style) {
        int i = STYLES.indexOf(style);
        if (i < 0) {
            throw new IllegalArgumentException("unknown style '" + style + "'; known styles: " + STYLES);
        }
        return i;
    }

    /** Paints one image as packed 0xRRGGBB pixels, row-major, {@code size*size} long. */
    public int[] paintRgb(String style, long seed) {
        int styleIndex = styleIndex(style);
        // mix the style into the seed so that the same seed gives unrelated layouts per style
        SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + styleIndex * 0xBF58476D1CE4E5B9L);
        float[] rgb = new float[size * size * 3];
        double s = size / 32.0; // the layouts are specified on a 32-pixel canvas
        double brightness = 0.92 + 0.16 * rnd.nextDouble();
        switch (styleIndex) {
            case 0 -> sunset(rgb, rnd, s);
            case 1 -> ocean(rgb, rnd, s);
            case 2 -> forest(rgb, rnd, s);
            default -> neon(rgb, rnd, s);
        }
        int[] out = new int[size * size];
        for (int p = 0; p < out.length; p++) {
            int r = toByte(rgb[3 * p] * brightness);
            int g = toByte(rgb[3 * p + 1] * brightness);
            int b = toByte(rgb[3 * p + 2] * brightness);
            out[p] = (r << 16) | (g << 8) | b;
        }
        return out;
    }

    /** Paints one image as a {@link BufferedImage#TYPE_INT_RGB} image. */
    public BufferedImage paint(String style, long seed) {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, size, size, paintRgb(style, seed), 0, size);
        return image;
    }

    // ---- styles (coordinates on a 32×32 canvas, scaled by s) ----

    /** Purple-to-orange sky, a big yellow sun resting on the horizon, a dark ground band. */
    private void sunset(float[] rgb, SplittableRandom rnd, double s) {
        double horizon = (20 + 3 * rnd.nextDouble()) * s;
        double sunX = (9 + 14 * rnd.nextDouble()) * s;
        double sunR = (6 + 2 * rnd.nextDouble()) * s;
        verticalGradient(rgb, 0, horizon, c(72, 28, 112), c(250, 132, 58));
        circle(rgb, sunX, horizon - 1.5 * s, sunR, c(255, 222, 92));
        rect(rgb, 0, horizon, size, size, c(42, 16, 48));
    }

    /** Pale blue sky, deep blue sea with two light wave stripes. */
    private void ocean(float[] rgb, SplittableRandom rnd, double s) {
        double horizon = (11 + 4 * rnd.nextDouble()) * s;
        verticalGradient(rgb, 0, horizon, c(120, 190, 245), c(215, 240, 255));
        verticalGradient(rgb, horizon, size, c(24, 84, 168), c(8, 34, 96));
        double wave1 = horizon + (4 + 3 * rnd.nextDouble()) * s;
        double wave2 = wave1 + (6 + 3 * rnd.nextDouble()) * s;
        double x0 = (2 + 8 * rnd.nextDouble()) * s;
        rect(rgb, x0, wave1, x0 + 16 * s, wave1 + 2 * s, c(130, 200, 238));
        double x1 = (10 + 10 * rnd.nextDouble()) * s;
        rect(rgb, x1, wave2, x1 + 14 * s, wave2 + 2 * s, c(130, 200, 238));
    }

    /** Pale yellow-green sky, three dark green triangular trees on a green ground band. */
    private void forest(float[] rgb, SplittableRandom rnd, double s) {
        double ground = (25 + 3 * rnd.nextDouble()) * s;
        verticalGradient(rgb, 0, ground, c(236, 244, 204), c(186, 222, 150));
        rect(rgb, 0, ground, size, size, c(64, 118, 44));
        double[] centres = {6, 16, 26};
        for (double centre : centres) {
            double cx = (centre + 3 * (rnd.nextDouble() - 0.5)) * s;
            double apex = (5 + 6 * rnd.nextDouble()) * s;
            double halfWidth = (5 + 1.5 * rnd.nextDouble()) * s;
            triangle(rgb, cx, apex, ground + 0.5 * s, halfWidth, c(22, 84, 44));
        }
    }

    /** Near-black background, a thick magenta ring and a cyan bar. */
    private void neon(float[] rgb, SplittableRandom rnd, double s) {
        verticalGradient(rgb, 0, size, c(18, 10, 42), c(8, 4, 20));
        double cx = (16 + 6 * (rnd.nextDouble() - 0.5)) * s;
        double cy = (13 + 4 * (rnd.nextDouble() - 0.5)) * s;
        double r = (8 + 2 * rnd.nextDouble()) * s;
        ring(rgb, cx, cy, r, 3 * s, c(255, 44, 204));
        double bar = (25 + 3 * rnd.nextDouble()) * s;
        rect(rgb, 2 * s, bar, size - 2 * s, bar + 2.5 * s, c(44, 236, 255));
    }

    // ---- primitives: soft-edged (1-pixel anti-aliased) coverage, evaluated at pixel centres ----

    private static float[] c(int r, int g, int b) {
        return new float[] {r, g, b};
    }

    private void verticalGradient(float[] rgb, double y0, double y1, float[] top, float[] bottom) {
        for (int y = 0; y < size; y++) {
            double cy = y + 0.5;
            if (cy < y0 || cy >= y1) {
                continue;
            }
            double t = (y1 - y0) <= 1 ? 0 : (cy - y0) / (y1 - y0);
            float[] col = {
                (float) (top[0] + (bottom[0] - top[0]) * t),
                (float) (top[1] + (bottom[1] - top[1]) * t),
                (float) (top[2] + (bottom[2] - top[2]) * t)
            };
            for (int x = 0; x < size; x++) {
                blend(rgb, x, y, col, 1);
            }
        }
    }

    private void rect(float[] rgb, double x0, double y0, double x1, double y1, float[] col) {
        for (int y = 0; y < size; y++) {
            double cy = overlap(y, y0, y1);
            if (cy <= 0) {
                continue;
            }
            for (int x = 0; x < size; x++) {
                double cx = overlap(x, x0, x1);
                if (cx > 0) {
                    blend(rgb, x, y, col, cx * cy);
                }
            }
        }
    }

    private void circle(float[] rgb, double cx, double cy, double r, float[] col) {
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
                double a = clamp01(r - d + 0.5);
                if (a > 0) {
                    blend(rgb, x, y, col, a);
                }
            }
        }
    }

    private void ring(float[] rgb, double cx, double cy, double r, double thickness, float[] col) {
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
                double a = clamp01(thickness / 2 - Math.abs(d - r) + 0.5);
                if (a > 0) {
                    blend(rgb, x, y, col, a);
                }
            }
        }
    }

    /** An isosceles triangle pointing up: apex at (cx, apexY), base at baseY with half-width w. */
    private void triangle(float[] rgb, double cx, double apexY, double baseY, double w, float[] col) {
        for (int y = 0; y < size; y++) {
            double py = y + 0.5;
            double vertical = clamp01(Math.min(py - apexY, baseY - py) + 0.5);
            if (vertical <= 0) {
                continue;
            }
            double half = w * clamp01((py - apexY) / (baseY - apexY));
            for (int x = 0; x < size; x++) {
                double a = clamp01(half - Math.abs(x + 0.5 - cx) + 0.5) * vertical;
                if (a > 0) {
                    blend(rgb, x, y, col, a);
                }
            }
        }
    }

    private static double overlap(int pixel, double a, double b) {
        return clamp01(Math.min(pixel + 1, b) - Math.max(pixel, a));
    }

    private void blend(float[] rgb, int x, int y, float[] col, double alpha) {
        int i = 3 * (y * size + x);
        for (int k = 0; k < 3; k++) {
            rgb[i + k] = (float) (rgb[i + k] * (1 - alpha) + col[k] * alpha);
        }
    }

    private static double clamp01(double v) {
        return v < 0 ? 0 : (v > 1 ? 1 : v);
    }

    private static int toByte(double v) {
        long r = Math.round(v);
        return (int) (r < 0 ? 0 : (r > 255 ? 255 : r));
    }
}
