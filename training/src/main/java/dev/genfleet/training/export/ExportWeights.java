package dev.genfleet.training.export;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.genfleet.inference.image.GanConfig;
import dev.genfleet.inference.image.GanNetworks;
import dev.genfleet.inference.text.CharTokenizer;
import dev.genfleet.inference.text.GptConfig;
import dev.genfleet.inference.text.TinyGpt;
import dev.genfleet.training.text.CopyGrammar;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Dumps the weights of the shipped DJL models ({@code copy-gpt/1}, {@code banner-gan/1}) as raw
 * little-endian float32 files plus a {@code manifest.json}, for {@code worker/tools/torchscript/export.py}
 * to rebuild the same networks in PyTorch and save them as TorchScript.
 *
 * <p>Layout of {@code <out>/<model>/}: {@code manifest.json} ({@code source}, {@code architecture},
 * {@code tensors}: name, DJL name, shape, file; {@code reference}: inputs and outputs of the DJL
 * networks for the exporter's parity check), one {@code .f32} / {@code .i64} file per tensor and, for
 * copy-gpt, its {@code vocab.json}. Tensor
 * names are the PyTorch {@code state_dict} keys of the rebuilt modules (LayerNorm/BatchNorm gamma →
 * {@code weight}, beta → {@code bias}; BatchNorm running mean/variance included); every DJL parameter
 * is mapped explicitly, an unexpected one fails the dump.
 *
 * <pre>java -Dai.djl.offline=true -cp ... ExportWeights &lt;modelsDir&gt; &lt;outDir&gt;</pre>
 */
public final class ExportWeights {

    private static final Gson GSON =
            new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private ExportWeights() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: ExportWeights <modelsDir> <outDir>");
            System.exit(2);
        }
        Path models = Path.of(args[0]);
        Path out = Path.of(args[1]);
        dumpGpt(models.resolve("copy-gpt").resolve("1"), out.resolve("copy-gpt"));
        dumpGan(models.resolve("banner-gan").resolve("1"), out.resolve("banner-gan"));
        dumpCorpus(out.resolve("corpus"));
    }

    /**
     * copy-gpt's training and held-out corpora ({@link CopyGrammar}, 20,000 and 400 ads), for the exporter
     * that trains the small byte-level BPE model ({@code tools/torchscript/export_lm.py}).
     */
    private static void dumpCorpus(Path out) throws IOException {
        Files.createDirectories(out);
        Files.writeString(out.resolve("train.txt"), CopyGrammar.trainingCorpus(20_000), StandardCharsets.UTF_8);
        Files.writeString(out.resolve("held-out.txt"), CopyGrammar.heldOutCorpus(400), StandardCharsets.UTF_8);
    }

    // ---- copy-gpt ----

    private static final Pattern GPT_LAYER =
            Pattern.compile("\\d\\dlayer(\\d+)_\\d\\d(ln1|qkv|proj|ln2|fc1|fc2)_(\\w+)");
    private static final Pattern GPT_LN_F = Pattern.compile("\\d\\dln_f_(gamma|beta)");

    /** {@code tok_emb}, {@code pos_emb}, {@code layers.<i>.<ln1|qkv|proj|ln2|fc1|fc2>.<weight|bias>}, {@code ln_f.*}. */
    static String gptName(String djl) {
        if (djl.equals("tok_emb") || djl.equals("pos_emb")) {
            return djl;
        }
        Matcher m = GPT_LAYER.matcher(djl);
        if (m.matches()) {
            return "layers." + m.group(1) + "." + m.group(2) + "." + suffix(m.group(3), djl);
        }
        m = GPT_LN_F.matcher(djl);
        if (m.matches()) {
            return "ln_f." + suffix(m.group(1), djl);
        }
        throw new IllegalStateException("unexpected copy-gpt parameter " + djl);
    }

    static void dumpGpt(Path versionDir, Path out) throws IOException, MalformedModelException {
        JsonObject config = GSON.fromJson(
                Files.readString(versionDir.resolve("config.json"), StandardCharsets.UTF_8), JsonObject.class);
        GptConfig cfg = GptConfig.fromJson(config.getAsJsonObject("architecture"));
        String weights = config.has("weights") ? config.get("weights").getAsString() : "copy-gpt.params";
        CharTokenizer tokenizer = CharTokenizer.load(versionDir);
        Files.createDirectories(out);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            TinyGpt gpt = new TinyGpt(cfg);
            gpt.initialize(manager, DataType.FLOAT32, new Shape(1, cfg.context()));
            try (InputStream in = Files.newInputStream(versionDir.resolve(weights));
                    DataInputStream dis = new DataInputStream(new BufferedInputStream(in))) {
                gpt.loadParameters(manager, dis);
            }
            JsonObject manifest = new JsonObject();
            manifest.add("source", source("copy-gpt", "1", versionDir.resolve(weights)));
            manifest.add("architecture", config.getAsJsonObject("architecture"));
            Map<String, String> names = new LinkedHashMap<>();
            for (Pair<String, Parameter> p : gpt.getParameters()) {
                names.put(p.getKey(), gptName(p.getKey()));
            }
            manifest.add("tensors", dumpParameters(gpt, names, out));

            // reference logits: four full windows of held-out copy and one short one
            String text = CopyGrammar.heldOutCorpus(40);
            int[] ids = tokenizer.encode(text);
            int ctx = cfg.context();
            int windows = 4;
            if (ids.length < windows * ctx) {
                throw new IllegalStateException("held-out text too short for the reference windows");
            }
            long[] full = new long[windows * ctx];
            for (int i = 0; i < full.length; i++) {
                full[i] = ids[i];
            }
            long[] shortWindow = new long[19];
            for (int i = 0; i < shortWindow.length; i++) {
                shortWindow[i] = ids[1000 + i];
            }
            JsonArray refs = new JsonArray();
            refs.add(gptReference(gpt, manager, full, windows, ctx, out, "ref_full"));
            refs.add(gptReference(gpt, manager, shortWindow, 1, shortWindow.length, out, "ref_short"));
            manifest.add("reference", refs);
            Files.copy(
                    versionDir.resolve(CharTokenizer.VOCAB_JSON),
                    out.resolve(CharTokenizer.VOCAB_JSON),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.writeString(out.resolve("manifest.json"), GSON.toJson(manifest) + "\n", StandardCharsets.UTF_8);
            System.out.println("dumped copy-gpt (" + names.size() + " tensors) to " + out);
        }
    }

    private static JsonObject gptReference(
            TinyGpt gpt, NDManager manager, long[] tokens, int b, int t, Path out, String name) throws IOException {
        try (NDManager sub = manager.newSubManager()) {
            NDArray x = sub.create(tokens, new Shape(b, t));
            NDArray logits = gpt.forward(new ParameterStore(sub, false), new NDList(x), false)
                    .singletonOrThrow();
            JsonObject ref = new JsonObject();
            ref.add("tokens", writeLongs(out, name + "_tokens", tokens, new long[] {b, t}));
            ref.add(
                    "logits",
                    writeFloats(
                            out,
                            name + "_logits",
                            logits.toFloatArray(),
                            logits.getShape().getShape()));
            return ref;
        }
    }

    // ---- banner-gan ----

    private static final Pattern GAN_STAGE = Pattern.compile("\\d\\d(Linear|BatchNorm|Conv2d)_(\\w+)");

    static void dumpGan(Path versionDir, Path out) throws IOException {
        GanConfig cfg = GanConfig.read(versionDir);
        Files.createDirectories(out);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Block g = GanNetworks.generator(cfg);
            Block d = GanNetworks.discriminator(cfg);
            GanNetworks.initialize(cfg, g, d, manager);
            loadParameters(g, manager, versionDir.resolve(GanConfig.GENERATOR_FILE));
            loadParameters(d, manager, versionDir.resolve(GanConfig.DISCRIMINATOR_FILE));
            JsonObject architecture = GSON.fromJson(
                            Files.readString(versionDir.resolve(GanConfig.FILE), StandardCharsets.UTF_8),
                            JsonObject.class)
                    .getAsJsonObject("architecture");

            Path gDir = out.resolve("generator");
            Path dDir = out.resolve("discriminator");
            Files.createDirectories(gDir);
            Files.createDirectories(dDir);
            JsonObject manifest = new JsonObject();
            manifest.add(
                    "source",
                    source(
                            "banner-gan",
                            "1",
                            versionDir.resolve(GanConfig.GENERATOR_FILE),
                            versionDir.resolve(GanConfig.DISCRIMINATOR_FILE)));
            manifest.add("architecture", architecture);
            manifest.add("generator", dumpParameters(g, generatorNames(g, cfg), gDir));
            manifest.add("discriminator", dumpParameters(d, discriminatorNames(d, cfg), dDir));

            // reference: 16 latents (seeds 0..15, styles cycling), the generator's images, D's logits on them
            int n = 16;
            float[][] latents = new float[n][];
            int[] labels = new int[n];
            long[] labels64 = new long[n];
            float[] z = new float[n * cfg.latentDim()];
            for (int i = 0; i < n; i++) {
                latents[i] = GanNetworks.latent(i, cfg.latentDim());
                labels[i] = i % cfg.styleCount();
                labels64[i] = labels[i];
                System.arraycopy(latents[i], 0, z, i * cfg.latentDim(), cfg.latentDim());
            }
            try (NDManager sub = manager.newSubManager()) {
                ParameterStore ps = new ParameterStore(sub, false);
                NDArray images = g.forward(ps, new NDList(GanNetworks.generatorInput(sub, cfg, latents, labels)), false)
                        .singletonOrThrow();
                NDArray logits = d.forward(ps, new NDList(GanNetworks.discriminatorInput(images, cfg, labels)), false)
                        .singletonOrThrow();
                JsonObject ref = new JsonObject();
                ref.add("z", writeFloats(out, "ref_z", z, new long[] {n, cfg.latentDim()}));
                ref.add("style", writeLongs(out, "ref_style", labels64, new long[] {n}));
                ref.add(
                        "images",
                        writeFloats(
                                out,
                                "ref_images",
                                images.toFloatArray(),
                                images.getShape().getShape()));
                ref.add(
                        "logits",
                        writeFloats(
                                out,
                                "ref_logits",
                                logits.toFloatArray(),
                                logits.getShape().getShape()));
                manifest.add("reference", ref);
            }
            Files.writeString(out.resolve("manifest.json"), GSON.toJson(manifest) + "\n", StandardCharsets.UTF_8);
            System.out.println("dumped banner-gan to " + out);
        }
    }

    /**
     * Generator: conv path {@code fc} (Linear), {@code bn0}, then per upsampling stage
     * {@code stages.<i>.conv} / {@code stages.<i>.bn}, then {@code to_rgb}; template path {@code template}.
     */
    static Map<String, String> generatorNames(Block g, GanConfig cfg) {
        // (state_dict prefix, DJL block type) of every conv-path stage that holds parameters, in order
        List<String[]> stages = new ArrayList<>();
        stages.add(new String[] {"fc", "Linear"});
        stages.add(new String[] {"bn0", "BatchNorm"});
        for (int i = 0; i < cfg.gChannels().length; i++) {
            stages.add(new String[] {"stages." + i + ".conv", "Conv2d"});
            stages.add(new String[] {"stages." + i + ".bn", "BatchNorm"});
        }
        stages.add(new String[] {"to_rgb", "Conv2d"});
        Map<String, String> names = new LinkedHashMap<>();
        List<String> seen = new ArrayList<>();
        for (Pair<String, Parameter> p : g.getParameters()) {
            String key = p.getKey();
            String[] parts = key.split("_", 3); // 01ParallelBlock, 0xSequentialBlock, 0yType_kind
            Matcher m = GAN_STAGE.matcher(parts.length == 3 ? parts[2] : "");
            if (!parts[0].equals("01ParallelBlock") || !m.matches()) {
                throw new IllegalStateException("unexpected generator parameter " + key);
            }
            if (parts[1].equals("02SequentialBlock") && m.group(1).equals("Linear")) {
                names.put(key, "template." + suffix(m.group(2), key));
                continue;
            }
            if (!parts[1].equals("01SequentialBlock")) {
                throw new IllegalStateException("unexpected generator parameter " + key);
            }
            String stage = key.substring(0, key.length() - m.group(2).length());
            if (!seen.contains(stage)) {
                seen.add(stage);
            }
            int index = seen.indexOf(stage);
            if (index >= stages.size() || !stages.get(index)[1].equals(m.group(1))) {
                throw new IllegalStateException(
                        "generator parameter " + key + " does not fit the config's architecture");
            }
            names.put(key, stages.get(index)[0] + "." + suffix(m.group(2), key));
        }
        if (seen.size() != stages.size()) {
            throw new IllegalStateException("generator has " + seen.size() + " stages, expected " + stages.size());
        }
        return names;
    }

    /** Discriminator: {@code convs.<i>} per stride-2 conv, {@code fc} (Linear to one logit). */
    static Map<String, String> discriminatorNames(Block d, GanConfig cfg) {
        Map<String, String> names = new LinkedHashMap<>();
        List<String> convs = new ArrayList<>();
        for (Pair<String, Parameter> p : d.getParameters()) {
            String key = p.getKey();
            Matcher m = GAN_STAGE.matcher(key);
            if (!m.matches()) {
                throw new IllegalStateException("unexpected discriminator parameter " + key);
            }
            String stage = key.substring(0, key.length() - m.group(2).length());
            if (m.group(1).equals("Conv2d")) {
                if (!convs.contains(stage)) {
                    convs.add(stage);
                }
                names.put(key, "convs." + convs.indexOf(stage) + "." + suffix(m.group(2), key));
            } else if (m.group(1).equals("Linear")) {
                names.put(key, "fc." + suffix(m.group(2), key));
            } else {
                throw new IllegalStateException("unexpected discriminator parameter " + key);
            }
        }
        if (convs.size() != cfg.dChannels().length) {
            throw new IllegalStateException(
                    "discriminator has " + convs.size() + " convolutions, config says " + cfg.dChannels().length);
        }
        return names;
    }

    private static void loadParameters(Block block, NDManager manager, Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file));
                DataInputStream dis = new DataInputStream(in)) {
            block.loadParameters(manager, dis);
        } catch (MalformedModelException e) {
            throw new IOException("malformed parameters in " + file, e);
        }
    }

    // ---- files ----

    private static String suffix(String djl, String context) {
        return switch (djl) {
            case "weight", "gamma" -> "weight";
            case "bias", "beta" -> "bias";
            case "runningMean" -> "running_mean";
            case "runningVar" -> "running_var";
            default -> throw new IllegalStateException("unexpected parameter kind '" + djl + "' in " + context);
        };
    }

    private static JsonArray dumpParameters(Block block, Map<String, String> names, Path dir) throws IOException {
        JsonArray tensors = new JsonArray();
        for (Pair<String, Parameter> p : block.getParameters()) {
            String name = names.get(p.getKey());
            if (name == null) {
                throw new IllegalStateException("no name for parameter " + p.getKey());
            }
            NDArray array = p.getValue().getArray();
            if (array.getDataType() != DataType.FLOAT32) {
                throw new IllegalStateException(p.getKey() + " is " + array.getDataType() + ", expected float32");
            }
            JsonObject t = writeFloats(
                    dir, name, array.toFloatArray(), array.getShape().getShape());
            t.addProperty("djl_name", p.getKey());
            tensors.add(t);
        }
        return tensors;
    }

    private static JsonObject writeFloats(Path dir, String name, float[] values, long[] shape) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(values);
        return write(dir, name, name + ".f32", "float32", buf.array(), shape);
    }

    private static JsonObject writeLongs(Path dir, String name, long[] values, long[] shape) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        buf.asLongBuffer().put(values);
        return write(dir, name, name + ".i64", "int64", buf.array(), shape);
    }

    private static JsonObject write(Path dir, String name, String file, String dtype, byte[] bytes, long[] shape)
            throws IOException {
        Files.write(dir.resolve(file), bytes);
        JsonObject t = new JsonObject();
        t.addProperty("name", name);
        JsonArray s = new JsonArray();
        for (long d : shape) {
            s.add(d);
        }
        t.add("shape", s);
        t.addProperty("dtype", dtype);
        t.addProperty("file", file);
        return t;
    }

    private static JsonObject source(String id, String version, Path... weights) throws IOException {
        JsonObject s = new JsonObject();
        s.addProperty("model", id);
        s.addProperty("version", version);
        JsonObject sha = new JsonObject();
        for (Path w : weights) {
            sha.addProperty(w.getFileName().toString(), sha256Hex(Files.readAllBytes(w)));
        }
        s.add("weights_sha256", sha);
        return s;
    }

    private static String sha256Hex(byte[] bytes) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(
                            java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
