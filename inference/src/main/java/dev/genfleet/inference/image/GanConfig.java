package dev.genfleet.inference.image;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The architecture of the conditional DCGAN, as kept in {@code config.json} beside the weights
 * (DJL's {@code .params} files hold arrays only). The trainer adds "training" and "metrics" objects
 * to the same file; loading reads only the architecture.
 *
 * @param imageSize output width and height in pixels (a power of two, at least 8)
 * @param latentDim length of the Gaussian latent vector
 * @param styles the style labels, in label-index order
 * @param defaultStyle the style used when a request has none
 * @param gBase channels of the generator's first 4×4 feature map
 * @param gChannels channels after each ×2 nearest upsampling + 3×3 conv stage, one per doubling
 *     from 4 to imageSize/2 (the last doubling goes straight to RGB)
 * @param dChannels channels of the discriminator's 4×4 stride-2 conv stages
 * @param leakySlope negative slope of the discriminator's LeakyReLU
 */
public record GanConfig(
        int imageSize,
        int latentDim,
        List<String> styles,
        String defaultStyle,
        int gBase,
        int[] gChannels,
        int[] dChannels,
        float leakySlope) {

    public static final String FAMILY = "dcgan";
    public static final String FILE = "config.json";
    public static final String GENERATOR_FILE = "generator.params";
    public static final String DISCRIMINATOR_FILE = "discriminator.params";

    public GanConfig {
        styles = List.copyOf(styles);
        if (!styles.contains(defaultStyle)) {
            throw new IllegalArgumentException("default style " + defaultStyle + " not in " + styles);
        }
        if (Integer.bitCount(imageSize) != 1 || imageSize < 8) {
            throw new IllegalArgumentException("imageSize must be a power of two >= 8: " + imageSize);
        }
        if (8 << gChannels.length != imageSize) {
            throw new IllegalArgumentException("gChannels needs one stage per doubling from 4 to " + imageSize / 2);
        }
    }

    /** The styles of the committed banner-gan, in label order. */
    public static final List<String> DEFAULT_STYLES = List.of("sunset", "ocean", "forest", "neon");

    /** The recipe the committed model was trained with. */
    public static GanConfig defaults() {
        return new GanConfig(
                32, 64, DEFAULT_STYLES, DEFAULT_STYLES.get(0), 64, new int[] {48, 24}, new int[] {24, 48, 96}, 0.2f);
    }

    public int styleCount() {
        return styles.size();
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

    /** The architecture as a JSON object. */
    public JsonObject architectureJson() {
        JsonObject a = new JsonObject();
        a.addProperty("imageSize", imageSize);
        a.addProperty("latentDim", latentDim);
        a.add("styles", toArray(styles));
        a.addProperty("defaultStyle", defaultStyle);
        a.addProperty("gBase", gBase);
        a.add("gChannels", toArray(gChannels));
        a.add("dChannels", toArray(dChannels));
        a.addProperty("leakySlope", leakySlope);
        a.addProperty(
                "generator",
                "z(" + latentDim + ")+onehot(style) -> Linear -> 4x4x" + gBase
                        + " BN ReLU -> [nearest x2, conv3x3, BN, ReLU] x" + gChannels.length
                        + " -> nearest x2, conv3x3 -> (+ Linear(onehot) per-style template image) -> tanh");
        a.addProperty(
                "discriminator",
                "image(3ch)+onehot(style) planes -> [conv4x4 s2, LeakyReLU] x" + dChannels.length
                        + " -> flatten -> Linear(1) logit");
        return a;
    }

    /** Writes {@code config.json}: family, architecture, plus any extra top-level sections. */
    public void write(Path dir, JsonObject training, JsonObject metrics) throws IOException {
        JsonObject root = new JsonObject();
        root.addProperty("id", "banner-gan");
        root.addProperty("family", FAMILY);
        root.addProperty("modality", "IMAGE");
        root.add("architecture", architectureJson());
        root.addProperty("generatorWeights", GENERATOR_FILE);
        root.addProperty("discriminatorWeights", DISCRIMINATOR_FILE);
        if (training != null) {
            root.add("training", training);
        }
        if (metrics != null) {
            root.add("metrics", metrics);
        }
        Gson gson = new GsonBuilder().setPrettyPrinting().create();
        Files.writeString(dir.resolve(FILE), gson.toJson(root) + "\n", StandardCharsets.UTF_8);
    }

    /** Reads the architecture from {@code dir/config.json}. */
    public static GanConfig read(Path dir) throws IOException {
        JsonObject root = JsonParser.parseString(Files.readString(dir.resolve(FILE), StandardCharsets.UTF_8))
                .getAsJsonObject();
        String family = root.has("family") ? root.get("family").getAsString() : "";
        if (!FAMILY.equals(family)) {
            throw new IOException("not a " + FAMILY + " model config: family '" + family + "' in " + dir);
        }
        JsonObject a = root.getAsJsonObject("architecture");
        List<String> styles = new ArrayList<>();
        for (JsonElement e : a.getAsJsonArray("styles")) {
            styles.add(e.getAsString());
        }
        return new GanConfig(
                a.get("imageSize").getAsInt(),
                a.get("latentDim").getAsInt(),
                styles,
                a.get("defaultStyle").getAsString(),
                a.get("gBase").getAsInt(),
                ints(a.getAsJsonArray("gChannels")),
                ints(a.getAsJsonArray("dChannels")),
                a.get("leakySlope").getAsFloat());
    }

    private static JsonArray toArray(List<String> values) {
        JsonArray arr = new JsonArray();
        values.forEach(arr::add);
        return arr;
    }

    private static JsonArray toArray(int[] values) {
        JsonArray arr = new JsonArray();
        for (int v : values) {
            arr.add(v);
        }
        return arr;
    }

    private static int[] ints(JsonArray arr) {
        int[] out = new int[arr.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = arr.get(i).getAsInt();
        }
        return out;
    }
}
