package dev.genfleet.inference.image;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.ZooModel;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.genfleet.inference.ImageGeneration;
import dev.genfleet.inference.ImageModel;
import dev.genfleet.inference.ImageRequest;
import dev.genfleet.inference.InferenceThread;
import dev.genfleet.inference.Modality;
import dev.genfleet.inference.ModelInfo;
import dev.genfleet.inference.torchscript.TorchScriptModules;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A style-conditioned GAN saved as two TorchScript modules, as an {@link ImageModel} (family
 * {@code torchscript}, modality {@code IMAGE}).
 *
 * <p>Contract: the generator's {@code forward(z, style)} takes float32 latents {@code [B, latent_size]}
 * and int64 style indices {@code [B]} (positions in {@code styles}) and returns float32 images
 * {@code [B, 3, image_size, image_size]} in [-1, 1] (RGB planes); the discriminator's
 * {@code forward(images, style)} takes such images and indices and returns float32 logits {@code [B, 1]}
 * (or {@code [B]}); realism = sigmoid(logit). Both are checked once at load time.
 *
 * <p>Everything else is {@link GanImageModel}'s ({@link ImagePipeline}): latent {@code z} of an image
 * seed is {@link GanNetworks#latent}, candidate seeds are {@link GanImageModel#imageSeed}, passes are
 * {@value ImagePipeline#CHUNK} rows (so an image does not depend on its batch), the discriminator scores
 * the 8-bit quantised pixels, {@code best_of} keeps the highest scores, PNGs come from {@link ImageCodec}.
 */
public final class TorchScriptImageModel implements ImageModel {

    public static final String DEFAULT_GENERATOR = "generator.pt";
    public static final String DEFAULT_DISCRIMINATOR = "discriminator.pt";

    private final ZooModel<NDList, NDList> generator;
    private final ZooModel<NDList, NDList> discriminator;
    private final int latentDim;
    private final int size;
    private final List<String> styles;
    private final String defaultStyle;
    private final String generatorFile;
    private final String discriminatorFile;
    private final ModelInfo info;
    private boolean closed;

    private TorchScriptImageModel(
            ZooModel<NDList, NDList> generator,
            ZooModel<NDList, NDList> discriminator,
            int latentDim,
            int size,
            List<String> styles,
            String defaultStyle,
            String generatorFile,
            String discriminatorFile,
            ModelInfo info) {
        this.generator = generator;
        this.discriminator = discriminator;
        this.latentDim = latentDim;
        this.size = size;
        this.styles = List.copyOf(styles);
        this.defaultStyle = defaultStyle;
        this.generatorFile = generatorFile;
        this.discriminatorFile = discriminatorFile;
        this.info = info;
    }

    /** Loads on the engine's default device (a GPU when DJL reports one). */
    public static TorchScriptImageModel load(Path versionDir) {
        return load(versionDir, Engine.getInstance().defaultDevice());
    }

    /**
     * @throws IllegalArgumentException when config.json or a .pt file is missing or invalid
     * @throws IllegalStateException when a module cannot be loaded or breaks the contract
     */
    public static TorchScriptImageModel load(Path versionDir, Device device) {
        Device dev = device != null ? device : Engine.getInstance().defaultDevice();
        JsonObject config = TorchScriptModules.readConfig(versionDir);
        Path configFile = versionDir.resolve("config.json");
        int latent = TorchScriptModules.positiveInt(config, "latent_size", versionDir);
        int size = TorchScriptModules.positiveInt(config, "image_size", versionDir);
        List<String> styles = new ArrayList<>();
        JsonElement s = config.get("styles");
        if (s != null && s.isJsonArray()) {
            for (JsonElement e : (JsonArray) s) {
                styles.add(e.getAsString());
            }
        }
        if (styles.isEmpty() || styles.stream().distinct().count() != styles.size()) {
            throw new IllegalArgumentException(configFile + ": \"styles\" must be a non-empty list of distinct labels"
                    + " (the generator's style index is a position in it)");
        }
        String defaultStyle = TorchScriptModules.string(config, "default_style", styles.get(0));
        if (!styles.contains(defaultStyle)) {
            throw new IllegalArgumentException(configFile + ": default_style '" + defaultStyle + "' not in " + styles);
        }
        String gFile = TorchScriptModules.string(config, "generator", DEFAULT_GENERATOR);
        String dFile = TorchScriptModules.string(config, "discriminator", DEFAULT_DISCRIMINATOR);
        String gContract = "forward(z: float32 [B, " + latent + "], style: int64 [B]) -> float32 [B, 3, " + size + ", "
                + size + "] in [-1, 1]";
        String dContract = "forward(images: float32 [B, 3, " + size + ", " + size
                + "], style: int64 [B]) -> logits float32 [B, 1]";
        ZooModel<NDList, NDList> g = TorchScriptModules.loadModule(versionDir, gFile, dev, gContract);
        ZooModel<NDList, NDList> d = null;
        try {
            d = TorchScriptModules.loadModule(versionDir, dFile, dev, dContract);
            Path abs = versionDir.toAbsolutePath().normalize();
            String id = TorchScriptModules.string(
                    config, "id", abs.getParent().getFileName().toString());
            String version = TorchScriptModules.string(
                    config, "version", abs.getFileName().toString());
            ModelInfo info = new ModelInfo(
                    id,
                    version,
                    Modality.IMAGE,
                    dev.toString(),
                    TorchScriptModules.parameterCount(g) + TorchScriptModules.parameterCount(d));
            TorchScriptImageModel model = new TorchScriptImageModel(
                    g,
                    d,
                    latent,
                    size,
                    styles,
                    defaultStyle,
                    versionDir.resolve(gFile).toString(),
                    versionDir.resolve(dFile).toString(),
                    info);
            model.probe(gContract, dContract);
            return model;
        } catch (RuntimeException e) {
            g.close();
            if (d != null) {
                d.close();
            }
            throw e;
        }
    }

    /** One pass of each module on a full chunk: the shapes the contract promises. */
    private void probe(String gContract, String dContract) {
        long[] seeds = new long[1];
        int[] labels = new int[1];
        int[][] images;
        try {
            images = render(seeds, labels);
        } catch (IllegalStateException e) {
            throw new IllegalStateException(e.getMessage() + "; the generator contract is " + gContract, e);
        }
        try {
            score(images, labels);
        } catch (IllegalStateException e) {
            throw new IllegalStateException(e.getMessage() + "; the discriminator contract is " + dContract, e);
        }
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public int imageSize() {
        return size;
    }

    @Override
    public List<String> styles() {
        return styles;
    }

    public String defaultStyle() {
        return defaultStyle;
    }

    public int latentSize() {
        return latentDim;
    }

    /** The label index of a style; null means the default style. */
    public int styleIndex(String style) {
        String s = style == null ? defaultStyle : style;
        int i = styles.indexOf(s);
        if (i < 0) {
            throw new IllegalArgumentException("unknown style '" + style + "'; this model knows " + styles);
        }
        return i;
    }

    @Override
    public synchronized List<ImageGeneration> generate(List<ImageRequest> batch) {
        ensureOpen();
        InferenceThread.enter();
        return ImagePipeline.generate(batch, size, this::styleIndex, this::render, this::score);
    }

    /** Packed 0xRRGGBB images of the given latent seeds and style labels (generator output quantised to 8 bits). */
    public synchronized int[][] render(long[] seeds, int[] labels) {
        ensureOpen();
        InferenceThread.enter();
        return ImagePipeline.render(seeds, labels, latentDim, size, (latents, chunkLabels) -> {
            int b = latents.length;
            float[] z = new float[b * latentDim];
            for (int i = 0; i < b; i++) {
                System.arraycopy(latents[i], 0, z, i * latentDim, latentDim);
            }
            try (NDManager sub = generator.getNDManager().newSubManager()) {
                String what =
                        generatorFile + " forward(z float32 [" + b + ", " + latentDim + "], style int64 [" + b + "])";
                NDList out = TorchScriptModules.forward(
                        generator,
                        new NDList(sub.create(z, new Shape(b, latentDim)), styleArray(sub, chunkLabels)),
                        what);
                return TorchScriptModules.expect(out, new Shape(b, 3, size, size), what)
                        .toFloatArray();
            }
        });
    }

    /** sigmoid(D(x, style)) in [0, 1] of each packed image ({@code imageSize}² pixels) under its style label. */
    public synchronized double[] score(int[][] images, int[] labels) {
        ensureOpen();
        InferenceThread.enter();
        return ImagePipeline.score(images, labels, size, (chunk, chunkLabels) -> {
            int b = chunk.length;
            try (NDManager sub = discriminator.getNDManager().newSubManager()) {
                String what = discriminatorFile + " forward(images float32 [" + b + ", 3, " + size + ", " + size
                        + "], style int64 [" + b + "])";
                NDList out = TorchScriptModules.forward(
                        discriminator,
                        new NDList(GanNetworks.imagesToArray(sub, chunk, size), styleArray(sub, chunkLabels)),
                        what);
                if (out.size() == 1 && out.get(0).getShape().equals(new Shape(b))) {
                    out = new NDList(out.get(0).reshape(b, 1)); // [B] is accepted too
                }
                return TorchScriptModules.expect(out, new Shape(b, 1), what).toFloatArray();
            }
        });
    }

    /** The realism scores of images that all have one style (null = default style). */
    public double[] score(List<int[]> images, String style) {
        int[] labels = new int[images.size()];
        Arrays.fill(labels, styleIndex(style));
        return score(images.toArray(new int[0][]), labels);
    }

    private static NDArray styleArray(NDManager manager, int[] labels) {
        long[] idx = new long[labels.length];
        for (int i = 0; i < labels.length; i++) {
            idx[i] = labels[i];
        }
        return manager.create(idx, new Shape(labels.length));
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
            generator.close();
            discriminator.close();
        }
    }
}
