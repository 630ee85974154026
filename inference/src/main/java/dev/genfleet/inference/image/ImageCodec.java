package dev.genfleet.inference.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/** PNG encoding of packed 0xRRGGBB pixel arrays and contact-sheet grids of them. */
public final class ImageCodec {

    private ImageCodec() {}

    /** Encodes one square image as PNG bytes (ImageIO; same pixels ⇒ same bytes). */
    public static byte[] png(int[] rgb, int size) {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, size, size, rgb, 0, size);
        return png(image);
    }

    public static byte[] png(BufferedImage image) {
        try (ByteArrayOutputStream out = new ByteArrayOutputStream(4096)) {
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalStateException("no PNG writer available");
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Lays images out in a grid, each upscaled ×{@code scale} (nearest neighbour) with a
     * {@code gap}-pixel dark grey gutter, and writes it as PNG.
     */
    public static void writeGrid(Path file, List<int[]> images, int size, int columns, int scale, int gap)
            throws IOException {
        int rows = (images.size() + columns - 1) / columns;
        int cell = size * scale;
        int width = columns * cell + (columns + 1) * gap;
        int height = rows * cell + (rows + 1) * gap;
        BufferedImage grid = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int background = 0x202020;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                grid.setRGB(x, y, background);
            }
        }
        for (int i = 0; i < images.size(); i++) {
            int[] rgb = images.get(i);
            int ox = gap + (i % columns) * (cell + gap);
            int oy = gap + (i / columns) * (cell + gap);
            for (int y = 0; y < cell; y++) {
                for (int x = 0; x < cell; x++) {
                    grid.setRGB(ox + x, oy + y, rgb[(y / scale) * size + x / scale]);
                }
            }
        }
        Files.write(file, png(grid));
    }
}
