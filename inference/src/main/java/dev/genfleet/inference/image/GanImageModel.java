package dev.genfleet.inference.image;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.genfleet.inference.ImageGeneration;
import dev.genfleet.inference.ImageModel;
import dev.genfleet.inference.ImageRequest;
import dev.genfleet.inference.InferenceThread;
import dev.genfleet.inference.Modality;
import dev.genfleet.inference.ModelInfo;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The banner GAN as an {@link ImageModel}: a conditional DCGAN generator draws images from seeded
 * latents, the discriminator scores them (realism = sigmoid of its logit), PNGs come from ImageIO.
 *
 * <p>Seeds: candidate {@code i} of a request with seed {@code s} uses latent seed {@link #imageSeed
 * imageSeed(s, i)}, where {@code imageSeed(s, 0) == s}; so a returned image's {@link
 * GeneratedImage#seed()} reproduces it alone as {@code new ImageRequest(seed, 1, style, 1)}. All rows'
 * candidates go through the generator (and then the discriminator) in fixed-size forward passes of
 * {@value #CHUNK} rows, so an image's pixels do not depend on what else is in the batch.
 *
 * <p>Request handling, seeds, padding, scoring, best-of and PNG encoding are {@link ImagePipeline}'s,
 * shared with {@link TorchScriptImageModel}. Every call computes under its own {@link NDManager} sub-manager, closed before returning: no
 * NDArray outlives a call. Thread-safety: one batch at a time (calls are serialised).
 */
public final class GanImageModel implements ImageModel {

    /** Rows per generator/discriminator forward pass; short chunks are padded to this size. */
    static final int CHUNK = ImagePipeline.CHUNK;

    /** Upper bound of candidates ({@code max(count, bestOf)}) per request. */
    public static final int MAX_CANDIDATES = 1024;

    private final GanConfig cfg;
    private final NDManager manager;
    private final Block generator;
    private final Block discriminator;
    private final ParameterStore parameterStore;
    private final ModelInfo info;
    private boolean closed;

    private GanImageModel(GanConfig cfg, NDManager manager, Block generator, Block discriminator, ModelInfo info) {
        this.cfg = cfg;
        this.manager = manager;
        this.generator = generator;
        this.discriminator = discriminator;
        this.parameterStore = new ParameterStore(manager, false);
        this.info = info;
    }

    /** Loads {@code versionDir} (config.json + generator/discriminator .params) on the default device. */
    public static GanImageModel load(Path versionDir) {
        return load(versionDir, Engine.getInstance().defaultDevice());
    }

    /** Loads {@code versionDir} (config.json + generator/discriminator .params) on {@code device}. */
    public static GanImageModel load(Path versionDir, Device device) {
        Objects.requireNonNull(versionDir, "versionDir");
        Objects.requireNonNull(device, "device");
        GanConfig cfg;
        try {
            cfg = GanConfig.read(versionDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + versionDir.resolve(GanConfig.FILE), e);
        }
        NDManager manager = Engine.getInstance().newBaseManager(device);
        try {
            Block g = GanNetworks.generator(cfg);
            Block d = GanNetworks.discriminator(cfg);
            GanNetworks.initialize(cfg, g, d, manager);
            loadParameters(g, manager, versionDir.resolve(GanConfig.GENERATOR_FILE));
            loadParameters(d, manager, versionDir.resolve(GanConfig.DISCRIMINATOR_FILE));
            long params = GanNetworks.parameterCount(g) + GanNetworks.parameterCount(d);
            Path parent = versionDir.toAbsolutePath().normalize().getParent();
            String id = parent == null ? "banner-gan" : parent.getFileName().toString();
            String version =
                    versionDir.toAbsolutePath().normalize().getFileName().toString();
            ModelInfo info = new ModelInfo(id, version, Modality.IMAGE, device.toString(), params);
            return new GanImageModel(cfg, manager, g, d, info);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private static void loadParameters(Block block, NDManager manager, Path file) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file));
                DataInputStream dis = new DataInputStream(in)) {
            block.loadParameters(manager, dis);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (MalformedModelException e) {
            throw new IllegalStateException("malformed parameters in " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The latent seed of candidate {@code index} of a request: the request seed itself for index 0,
     * a SplitMix64 mix of (seed, index) after that.
     */
    public static long imageSeed(long requestSeed, int index) {
        if (index == 0) {
            return requestSeed;
        }
        long z = requestSeed + 0x9E3779B97F4A7C15L * index;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public int imageSize() {
        return cfg.imageSize();
    }

    public GanConfig config() {
        return cfg;
    }

    @Override
    public List<String> styles() {
        return cfg.styles();
    }

    public String defaultStyle() {
        return cfg.defaultStyle();
    }

    @Override
    public synchronized List<ImageGeneration> generate(List<ImageRequest> batch) {
        ensureOpen();
        InferenceThread.enter();
        return ImagePipeline.generate(batch, cfg.imageSize(), cfg::styleIndex, this::render, this::score);
    }

    /**
     * Draws the images of the given latent seeds and style labels as packed 0xRRGGBB pixels (the
     * generator's tanh output quantised to 8 bits per channel).
     */
    public synchronized int[][] render(long[] seeds, int[] labels) {
        ensureOpen();
        InferenceThread.enter();
        return ImagePipeline.render(seeds, labels, cfg.latentDim(), cfg.imageSize(), (latents, chunkLabels) -> {
            try (NDManager sub = manager.newSubManager()) {
                NDArray input = GanNetworks.generatorInput(sub, cfg, latents, chunkLabels);
                return generator
                        .forward(parameterStore, new NDList(input), false)
                        .singletonOrThrow()
                        .toFloatArray();
            }
        });
    }

    /**
     * The discriminator's realism score, sigmoid(D(x, style)) in [0, 1], of each packed image
     * ({@code imageSize}² pixels) under its style label.
     */
    public synchronized double[] score(int[][] images, int[] labels) {
        ensureOpen();
        InferenceThread.enter();
        return ImagePipeline.score(images, labels, cfg.imageSize(), (chunk, chunkLabels) -> {
            try (NDManager sub = manager.newSubManager()) {
                NDArray x = GanNetworks.imagesToArray(sub, chunk, cfg.imageSize());
                NDArray input = GanNetworks.discriminatorInput(x, cfg, chunkLabels);
                return discriminator
                        .forward(parameterStore, new NDList(input), false)
                        .singletonOrThrow()
                        .toFloatArray();
            }
        });
    }

    /** The realism scores of images that all have one style (null = default style). */
    public double[] score(List<int[]> images, String style) {
        int label = cfg.styleIndex(style);
        int[] labels = new int[images.size()];
        Arrays.fill(labels, label);
        return score(images.toArray(new int[0][]), labels);
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("model " + info.id() + " is closed");
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            manager.close();
        }
    }
}
