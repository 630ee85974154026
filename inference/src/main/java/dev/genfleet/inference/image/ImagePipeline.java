package dev.genfleet.inference.image;

import dev.genfleet.inference.GeneratedImage;
import dev.genfleet.inference.ImageGeneration;
import dev.genfleet.inference.ImageRequest;
import dev.genfleet.inference.NonFiniteOutputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.ToIntFunction;

/**
 * What a seeded, style-conditioned GAN image model does around its two networks, shared by
 * {@link GanImageModel} (DJL blocks) and {@link TorchScriptImageModel}: request validation, candidate
 * seeds ({@link GanImageModel#imageSeed}), latents ({@link GanNetworks#latent}), fixed-size passes of
 * {@value #CHUNK} rows (short chunks padded with copies of their first row, so a row's pixels never
 * depend on the rest of the batch), 8-bit quantisation, realism = sigmoid(logit), best-of selection and
 * PNG encoding ({@link ImageCodec}). A non-finite pixel or logit is a {@link NonFiniteOutputException},
 * never a value.
 */
final class ImagePipeline {

    /** Rows per generator/discriminator forward pass; short chunks are padded to this size. */
    static final int CHUNK = 16;

    /** The generator: {@value #CHUNK} latents and style labels → {@value #CHUNK} images as CHW floats in [-1, 1]. */
    interface Generator {
        float[] draw(float[][] latents, int[] labels);
    }

    /** The discriminator: {@value #CHUNK} packed images and style labels → {@value #CHUNK} realism logits. */
    interface Critic {
        float[] logits(int[][] images, int[] labels);
    }

    /** Packed images of candidates with given seeds and labels. */
    interface Render {
        int[][] render(long[] seeds, int[] labels);
    }

    /** Realism scores in [0, 1] of packed images under labels. */
    interface Score {
        double[] score(int[][] images, int[] labels);
    }

    private ImagePipeline() {}

    /**
     * Each request's {@code max(count, bestOf)} candidates are rendered and scored together; the
     * {@code count} best (highest score first, ties in candidate order) come back as PNGs.
     */
    static List<ImageGeneration> generate(
            List<ImageRequest> batch, int size, ToIntFunction<String> styleIndex, Render render, Score score) {
        Objects.requireNonNull(batch, "batch");
        // validate everything before computing anything
        int[] candidates = new int[batch.size()];
        int[] labels = new int[batch.size()];
        int total = 0;
        for (int r = 0; r < batch.size(); r++) {
            ImageRequest req = Objects.requireNonNull(batch.get(r), "request " + r);
            if (req.count() < 1) {
                throw new IllegalArgumentException("count must be at least 1, got " + req.count());
            }
            int n = Math.max(req.count(), req.bestOf());
            if (n > GanImageModel.MAX_CANDIDATES) {
                throw new IllegalArgumentException(
                        "max(count, bestOf) must be at most " + GanImageModel.MAX_CANDIDATES + ", got " + n);
            }
            labels[r] = styleIndex.applyAsInt(req.style());
            candidates[r] = n;
            total += n;
        }
        long[] seeds = new long[total];
        int[] rowLabels = new int[total];
        int k = 0;
        for (int r = 0; r < batch.size(); r++) {
            for (int i = 0; i < candidates[r]; i++, k++) {
                seeds[k] = GanImageModel.imageSeed(batch.get(r).seed(), i);
                rowLabels[k] = labels[r];
            }
        }
        int[][] pixels = render.render(seeds, rowLabels);
        double[] scores = score.score(pixels, rowLabels);

        List<ImageGeneration> out = new ArrayList<>(batch.size());
        int start = 0;
        for (int r = 0; r < batch.size(); r++) {
            int n = candidates[r];
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = start + i;
            }
            // best score first; ties keep candidate order (stable sort)
            Arrays.sort(
                    order, Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
            int keep = batch.get(r).count();
            List<GeneratedImage> images = new ArrayList<>(keep);
            for (int i = 0; i < keep; i++) {
                int c = order[i];
                images.add(new GeneratedImage(ImageCodec.png(pixels[c], size), size, size, scores[c], seeds[c]));
            }
            out.add(new ImageGeneration(List.copyOf(images)));
            start += n;
        }
        return List.copyOf(out);
    }

    /** Packed 0xRRGGBB images of the given latent seeds and labels (the generator's output quantised to 8 bits). */
    static int[][] render(long[] seeds, int[] labels, int latentDim, int size, Generator generator) {
        int[][] out = new int[seeds.length][];
        for (int start = 0; start < seeds.length; start += CHUNK) {
            int n = Math.min(CHUNK, seeds.length - start);
            float[][] latents = new float[CHUNK][];
            int[] chunkLabels = new int[CHUNK];
            for (int i = 0; i < CHUNK; i++) {
                // pad a short chunk with copies of its first row: the pass shape never changes
                int src = start + (i < n ? i : 0);
                latents[i] = GanNetworks.latent(seeds[src], latentDim);
                chunkLabels[i] = labels[src];
            }
            float[] chw = generator.draw(latents, chunkLabels);
            // a NaN pixel would quantise silently to 0: refuse it instead (only the real rows count)
            NonFiniteOutputException.requireFinite(
                    chw,
                    0,
                    n * 3 * size * size,
                    "generator output for latent seed " + seeds[start] + " and the " + (n - 1) + " rows after it");
            for (int i = 0; i < n; i++) {
                out[start + i] = GanNetworks.fromChw(chw, i, size);
            }
        }
        return out;
    }

    /** sigmoid(D(x, style)) in [0, 1] of each packed image ({@code size}² pixels). */
    static double[] score(int[][] images, int[] labels, int size, Critic critic) {
        if (images.length != labels.length) {
            throw new IllegalArgumentException("images and labels differ in length");
        }
        double[] out = new double[images.length];
        for (int start = 0; start < images.length; start += CHUNK) {
            int n = Math.min(CHUNK, images.length - start);
            int[][] chunk = new int[CHUNK][];
            int[] chunkLabels = new int[CHUNK];
            for (int i = 0; i < CHUNK; i++) {
                int src = start + (i < n ? i : 0);
                if (images[src].length != size * size) {
                    throw new IllegalArgumentException("image " + src + " is not " + size + "x" + size);
                }
                chunk[i] = images[src];
                chunkLabels[i] = labels[src];
            }
            float[] logits = critic.logits(chunk, chunkLabels);
            // a realism score is a number in [0, 1] or the job fails: never NaN on the wire
            NonFiniteOutputException.requireFinite(
                    logits, 0, n, "discriminator logits of images " + start + ".." + (start + n - 1));
            for (int i = 0; i < n; i++) {
                out[start + i] = 1.0 / (1.0 + Math.exp(-logits[i]));
            }
        }
        return out;
    }
}
