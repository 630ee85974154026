package dev.genfleet.inference.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.Pair;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The conditional DCGAN's two networks, built with DJL's block API, and the tensor plumbing shared
 * by the trainer and the model: latent vectors from seeds, style conditioning and pixel conversion.
 *
 * <p>The PyTorch engine has no transposed convolution, so the generator upsamples with nearest
 * neighbour (two {@code repeat}s) followed by a 3×3 convolution.
 */
public final class GanNetworks {

    private GanNetworks() {}

    /**
     * Generator: input (B, latentDim + styles) = latent ‖ one-hot style; output (B, 3, S, S) in
     * [-1, 1]. Two branches summed before the tanh:
     *
     * <ul>
     *   <li>a DCGAN conv path: Linear → 4×4 map → [nearest ×2, conv3×3, batch norm, ReLU]* → nearest
     *       ×2 → conv3×3 to RGB (the PyTorch engine has no transposed convolution);
     *   <li>a "template" path: one bias-free Linear from the one-hot style straight to S×S×3 pixels,
     *       i.e. a learned base image per style, which leaves the conv path only the latent-driven part
     *       (shape positions, jitter) to learn and makes training converge in minutes.
     * </ul>
     */
    public static Block generator(GanConfig cfg) {
        int size = cfg.imageSize();
        SequentialBlock conv = new SequentialBlock();
        conv.add(Linear.builder().setUnits((long) cfg.gBase() * 16).build());
        conv.add(LambdaBlock.singleton(x -> x.reshape(-1, cfg.gBase(), 4, 4), "to4x4"));
        conv.add(BatchNorm.builder().build());
        conv.add(Activation.reluBlock());
        for (int channels : cfg.gChannels()) {
            conv.add(LambdaBlock.singleton(GanNetworks::upsample2, "upsample2"));
            conv.add(conv(channels, 3, 1, 1, false));
            conv.add(BatchNorm.builder().build());
            conv.add(Activation.reluBlock());
        }
        // last doubling straight to RGB: a 3x3 conv at full resolution smooths the nearest upsampling
        conv.add(LambdaBlock.singleton(GanNetworks::upsample2, "upsample2"));
        conv.add(conv(3, 3, 1, 1, true));

        SequentialBlock template = new SequentialBlock();
        int latent = cfg.latentDim();
        template.add(LambdaBlock.singleton(x -> x.get(new NDIndex(":, {}:", latent)), "styleOneHot"));
        template.add(Linear.builder().setUnits(3L * size * size).optBias(false).build());
        template.add(LambdaBlock.singleton(x -> x.reshape(-1, 3, size, size), "toImage"));
        // starts as a flat grey image: per-pixel random weights would start the GAN from salt noise
        template.setInitializer(Initializer.ZEROS, Parameter.Type.WEIGHT);
        // DCGAN initialisation for the conv path: small outputs keep the tanh out of saturation
        conv.setInitializer(new NormalInitializer(0.02f), Parameter.Type.WEIGHT);

        SequentialBlock g = new SequentialBlock();
        g.add(new ParallelBlock(
                branches -> new NDList(
                        branches.get(0).singletonOrThrow().add(branches.get(1).singletonOrThrow())),
                List.of(conv, template)));
        g.add(Activation.tanhBlock());
        return g;
    }

    /**
     * Discriminator: input (B, 3 + styles, S, S) = image ‖ one-hot style planes; output (B, 1)
     * logits. No normalisation, so a row's score does not depend on the rest of the batch.
     */
    public static Block discriminator(GanConfig cfg) {
        SequentialBlock d = new SequentialBlock();
        for (int channels : cfg.dChannels()) {
            d.add(conv(channels, 4, 2, 1, true));
            d.add(Activation.leakyReluBlock(cfg.leakySlope()));
        }
        d.add(Blocks.batchFlattenBlock());
        d.add(Linear.builder().setUnits(1).build());
        return d;
    }

    /** Initialises both blocks' parameters in {@code manager}. */
    public static void initialize(GanConfig cfg, Block generator, Block discriminator, NDManager manager) {
        generator.initialize(manager, DataType.FLOAT32, new Shape(1, cfg.latentDim() + cfg.styleCount()));
        discriminator.initialize(
                manager, DataType.FLOAT32, new Shape(1, 3 + cfg.styleCount(), cfg.imageSize(), cfg.imageSize()));
    }

    /** Number of trainable values in a block (running statistics excluded). */
    public static long parameterCount(Block block) {
        long n = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            Parameter param = p.getValue();
            if (param.getType() != Parameter.Type.RUNNING_MEAN
                    && param.getType() != Parameter.Type.RUNNING_VAR
                    && param.isInitialized()) {
                n += param.getArray().size();
            }
        }
        return n;
    }

    private static Block conv(int filters, int kernel, int stride, int pad, boolean bias) {
        return Conv2d.builder()
                .setFilters(filters)
                .setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(pad, pad))
                .optBias(bias)
                .build();
    }

    /** Nearest-neighbour ×2 upsampling of an NCHW array. */
    static NDArray upsample2(NDArray x) {
        return x.repeat(2, 2).repeat(3, 2);
    }

    // ---- conditioning and latents ----

    /**
     * The latent vector of one seed: standard normal values from a {@link SplittableRandom} (Box-Muller
     * with {@link StrictMath}, so identical on every JVM).
     */
    public static float[] latent(long seed, int dim) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] z = new float[dim];
        for (int i = 0; i < dim; i += 2) {
            double u1 = 1.0 - rnd.nextDouble(); // (0, 1]
            double u2 = rnd.nextDouble();
            double r = StrictMath.sqrt(-2.0 * StrictMath.log(u1));
            z[i] = (float) (r * StrictMath.cos(2 * Math.PI * u2));
            if (i + 1 < dim) {
                z[i + 1] = (float) (r * StrictMath.sin(2 * Math.PI * u2));
            }
        }
        return z;
    }

    /** Generator input (B, latentDim + styles) from per-row latents and style labels. */
    public static NDArray generatorInput(NDManager manager, GanConfig cfg, float[][] latents, int[] labels) {
        int width = cfg.latentDim() + cfg.styleCount();
        float[] data = new float[latents.length * width];
        for (int b = 0; b < latents.length; b++) {
            System.arraycopy(latents[b], 0, data, b * width, cfg.latentDim());
            data[b * width + cfg.latentDim() + labels[b]] = 1f;
        }
        return manager.create(data, new Shape(latents.length, width));
    }

    /** Discriminator input: images (B, 3, S, S) concatenated with constant one-hot style planes. */
    public static NDArray discriminatorInput(NDArray images, GanConfig cfg, int[] labels) {
        int b = labels.length;
        int styles = cfg.styleCount();
        float[] onehot = new float[b * styles];
        for (int i = 0; i < b; i++) {
            onehot[i * styles + labels[i]] = 1f;
        }
        NDManager m = images.getManager();
        NDArray planes = m.create(onehot, new Shape(b, styles, 1, 1))
                .broadcast(new Shape(b, styles, cfg.imageSize(), cfg.imageSize()));
        return images.concat(planes, 1);
    }

    // ---- pixels ----

    /** Packed 0xRRGGBB pixels to planar CHW floats in [-1, 1], appended at {@code offset}. */
    public static void toChw(int[] rgb, float[] out, int offset) {
        int n = rgb.length;
        for (int p = 0; p < n; p++) {
            int v = rgb[p];
            out[offset + p] = ((v >> 16) & 0xFF) / 127.5f - 1f;
            out[offset + n + p] = ((v >> 8) & 0xFF) / 127.5f - 1f;
            out[offset + 2 * n + p] = (v & 0xFF) / 127.5f - 1f;
        }
    }

    /** A batch of packed images as an NDArray (B, 3, S, S) in [-1, 1]. */
    public static NDArray imagesToArray(NDManager manager, int[][] images, int size) {
        int plane = size * size;
        float[] data = new float[images.length * 3 * plane];
        for (int i = 0; i < images.length; i++) {
            toChw(images[i], data, i * 3 * plane);
        }
        return manager.create(data, new Shape(images.length, 3, size, size));
    }

    /** Planar CHW floats in [-1, 1] (image {@code index} of a batch) to packed 0xRRGGBB pixels. */
    public static int[] fromChw(float[] chw, int index, int size) {
        int plane = size * size;
        int base = index * 3 * plane;
        int[] rgb = new int[plane];
        for (int p = 0; p < plane; p++) {
            int r = toByte(chw[base + p]);
            int g = toByte(chw[base + plane + p]);
            int b = toByte(chw[base + 2 * plane + p]);
            rgb[p] = (r << 16) | (g << 8) | b;
        }
        return rgb;
    }

    private static int toByte(float v) {
        int q = Math.round((v + 1f) * 127.5f);
        return q < 0 ? 0 : (q > 255 ? 255 : q);
    }
}
