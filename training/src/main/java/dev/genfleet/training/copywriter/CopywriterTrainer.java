package dev.genfleet.training.copywriter;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.util.Pair;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.genfleet.inference.text.GptConfig;
import dev.genfleet.inference.text.HfTokenizer;
import dev.genfleet.inference.text.TinyGpt;
import dev.genfleet.training.text.GptTraining;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Trains {@code copywriter}: generates the corpus ({@link CopyCorpus}), learns the byte-level BPE
 * ({@link ByteLevelBpe}) and writes {@code tokenizer.json} and {@code heldout-briefs.ndjson} into
 * {@code <models>/copywriter/1/}, trains a {@link TinyGpt} with DJL on prompt + copy (loss on the copy and
 * {@code <|end|>} only), and dumps the weights, a reference forward pass and the training record into
 * {@code <dump>} for {@code tools/copywriter/export_copywriter.py}, which writes the static-kv TorchScript
 * network and {@code config.json}.
 *
 * <p>Usage: {@code CopywriterTrainer <modelsDir> <dumpDir>}. Knobs (system properties, defaults in
 * brackets): {@code genfleet.copywriter.steps} [2300], {@code .maxSeconds} [1700, a wall-clock safety cap],
 * {@code .batch} [32], {@code .examples} [60000], {@code .lr} [2e-3]. One intra-op thread (as {@code
 * TextTrainer}: a shared 2-core machine). Same seeds and steps, same weights on the same machine kind.
 */
public final class CopywriterTrainer {

    static final long SEED = 20_261_204L;
    public static final int HELD_OUT_BRIEFS = 1000;
    static final int VOCAB_BEFORE_ADDED = 3000;
    static final int BPE_EXAMPLES = 20_000;
    public static final List<String> SPECIAL = List.of(CopyBrief.BRIEF, CopyBrief.COPY, CopyBrief.END);
    public static final GptConfig ARCHITECTURE_TEMPLATE = new GptConfig(2, 128, 4, 4, 160, 512);

    private CopywriterTrainer() {}

    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.pytorch.num_threads", System.getProperty("ai.djl.pytorch.num_threads", "1"));
        System.setProperty(
                "ai.djl.pytorch.num_interop_threads", System.getProperty("ai.djl.pytorch.num_interop_threads", "1"));
        if (args.length != 2) {
            System.err.println("usage: CopywriterTrainer <modelsDir> <dumpDir>");
            System.exit(2);
        }
        Path out = Path.of(args[0]).resolve("copywriter").resolve("1");
        Path dump = Path.of(args[1]);
        Files.createDirectories(out);
        Files.createDirectories(dump);
        int steps = Integer.getInteger("genfleet.copywriter.steps", 2300);
        int maxSeconds = Integer.getInteger("genfleet.copywriter.maxSeconds", 1700);
        int batch = Integer.getInteger("genfleet.copywriter.batch", 32);
        int exampleCount = Integer.getInteger("genfleet.copywriter.examples", 60_000);
        float lr = Float.parseFloat(System.getProperty("genfleet.copywriter.lr", "2e-3"));
        long t0 = System.nanoTime();

        // ---- data and tokenizer
        List<CopyCorpus.Example> examples = CopyCorpus.training(exampleCount);
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < Math.min(BPE_EXAMPLES, examples.size()); i++) {
            texts.add(examples.get(i).text());
        }
        ByteLevelBpe bpe = ByteLevelBpe.learn(texts, VOCAB_BEFORE_ADDED, SPECIAL, CopyCorpus.MERGE_FIELDS);
        Path tokenizerFile = out.resolve("tokenizer.json");
        bpe.write(tokenizerFile);
        double bpeSeconds = (System.nanoTime() - t0) / 1e9;
        writeHeldOut(out.resolve("heldout-briefs.ndjson"), CopyCorpus.heldOut(HELD_OUT_BRIEFS));

        List<int[]> seqs = new ArrayList<>();
        List<Integer> copyStarts = new ArrayList<>();
        long corpusTokens = 0;
        long copyTokens = 0;
        int maxLen = 0;
        int vocabSize;
        try (HfTokenizer tok = HfTokenizer.load(tokenizerFile, CopyBrief.END, CopyBrief.END)) {
            vocabSize = tok.vocabSize();
            int copyId = tok.idOf(CopyBrief.COPY);
            for (CopyCorpus.Example e : examples) {
                int[] ids = tok.encode(e.text());
                int[] seq = new int[ids.length + 1];
                seq[0] = tok.bosId();
                System.arraycopy(ids, 0, seq, 1, ids.length);
                int copyAt = -1;
                for (int i = 0; i < seq.length; i++) {
                    if (seq[i] == copyId) {
                        copyAt = i;
                        break;
                    }
                }
                if (copyAt < 0 || seq[seq.length - 1] != tok.eosId()) {
                    throw new IllegalStateException("bad encoding of " + e.text());
                }
                if (!tok.decode(ids).equals(e.text())) {
                    throw new IllegalStateException("no round trip: " + e.text());
                }
                seqs.add(seq);
                copyStarts.add(copyAt);
                corpusTokens += seq.length;
                copyTokens += seq.length - 1 - copyAt;
                maxLen = Math.max(maxLen, seq.length);
            }
        }
        GptConfig t = ARCHITECTURE_TEMPLATE;
        GptConfig cfg = new GptConfig(vocabSize, t.dModel(), t.heads(), t.layers(), t.context(), t.mlpHidden());
        if (maxLen > cfg.context()) {
            throw new IllegalStateException("an example has " + maxLen + " tokens, context is " + cfg.context());
        }
        System.out.printf(
                Locale.ROOT,
                "corpus: %d examples, %d tokens (%d in copy), longest %d; tokenizer %d ids (%d merges) in %.1f s%n",
                examples.size(),
                corpusTokens,
                copyTokens,
                maxLen,
                vocabSize,
                bpe.mergeCount(),
                bpeSeconds);

        // ---- training
        Engine.getInstance().setRandomSeed((int) SEED);
        Device device = Device.cpu();
        TinyGpt block = new TinyGpt(cfg);
        DefaultTrainingConfig tc = GptTraining.config(device, lr, steps, 100);
        SplittableRandom rnd = new SplittableRandom(SEED);
        List<int[]> batches = new ArrayList<>();
        List<Float> lossCurve = new ArrayList<>();
        int logEvery = 50;
        int done = 0;
        float window = 0;
        float lastLoss = Float.NaN;
        double trainSeconds;
        long params;
        long tokensSeen = 0;
        int epochs = 0;
        try (Model model = Model.newInstance("copywriter", device)) {
            model.setBlock(block);
            try (Trainer trainer = model.newTrainer(tc)) {
                trainer.initialize(new Shape(batch, cfg.context()));
                params = block.parameterCount();
                System.out.printf(Locale.ROOT, "model: %s, %d parameters%n", cfg, params);
                long start = System.nanoTime();
                for (int step = 0; step < steps; step++) {
                    if ((System.nanoTime() - start) / 1e9 > maxSeconds) {
                        System.out.printf(Locale.ROOT, "time cap of %d s reached at step %d%n", maxSeconds, step);
                        break;
                    }
                    if (batches.isEmpty()) {
                        batches = epoch(seqs, batch, rnd);
                        epochs++;
                    }
                    int[] rows = batches.remove(batches.size() - 1);
                    int len = 0;
                    for (int r : rows) {
                        len = Math.max(len, seqs.get(r).length - 1);
                    }
                    int b = rows.length;
                    long[] x = new long[b * len];
                    long[] y = new long[b * len];
                    float[] w = new float[b * len];
                    float weight = 0;
                    for (int i = 0; i < b; i++) {
                        int[] s = seqs.get(rows[i]);
                        int c = copyStarts.get(rows[i]);
                        for (int j = 0; j < len; j++) {
                            boolean in = j + 1 < s.length;
                            x[i * len + j] = in ? s[j] : s[s.length - 1];
                            y[i * len + j] = in ? s[j + 1] : 0;
                            if (in && j >= c) {
                                w[i * len + j] = 1;
                                weight++;
                            }
                        }
                    }
                    tokensSeen += (long) b * len;
                    try (NDManager sm = trainer.getManager().newSubManager()) {
                        NDArray xs = sm.create(x, new Shape(b, len));
                        NDArray ys = sm.create(y, new Shape(b, len, 1));
                        NDArray ws = sm.create(w, new Shape(b, len));
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDArray logits = trainer.forward(new NDList(xs)).singletonOrThrow();
                            NDArray nll = logits.logSoftmax(-1)
                                    .gather(ys, -1)
                                    .reshape(b, len)
                                    .neg();
                            NDArray loss = nll.mul(ws).sum().div(weight);
                            gc.backward(loss);
                            lastLoss = loss.getFloat();
                        }
                        trainer.step();
                    }
                    window += lastLoss;
                    done = step + 1;
                    if (done % logEvery == 0) {
                        lossCurve.add(window / logEvery);
                        System.out.printf(
                                Locale.ROOT,
                                "step %d loss %.4f (%.0f s)%n",
                                done,
                                window / logEvery,
                                (System.nanoTime() - start) / 1e9);
                        window = 0;
                    }
                }
                trainSeconds = (System.nanoTime() - start) / 1e9;
            }
            dump(block, cfg, seqs.get(0), dump);
        }

        JsonObject training = new JsonObject();
        training.addProperty(
                "trainer", "dev.genfleet.training.copywriter.CopywriterTrainer (DJL 0.36, PyTorch engine)");
        training.addProperty(
                "corpus", "CopyCorpus, " + examples.size() + " generated briefs + copy, seed " + CopyCorpus.TRAIN_SEED);
        training.addProperty("corpus_tokens", corpusTokens);
        training.addProperty("copy_tokens", copyTokens);
        training.addProperty("longest_example_tokens", maxLen);
        training.addProperty("loss", "cross-entropy on copy tokens and <|end|> only (the prompt is context)");
        training.addProperty("steps", done);
        training.addProperty("steps_planned", steps);
        training.addProperty("epochs_started", epochs);
        training.addProperty("batch", batch);
        training.addProperty("batching", "examples of similar length, each from position 0, padded to the longest");
        training.addProperty("tokens_seen", tokensSeen);
        training.addProperty("optimizer", "adam, grad clip 1.0");
        training.addProperty("learning_rate", lr);
        training.addProperty("schedule", "linear warm-up then cosine to lr/20");
        training.addProperty("init", "normal(0.02) weights");
        training.addProperty("seed", SEED);
        training.addProperty("torch_threads", System.getProperty("ai.djl.pytorch.num_threads"));
        training.addProperty("bpe_seconds", round(bpeSeconds));
        training.addProperty("train_seconds", round(trainSeconds));
        training.addProperty("wall_seconds", round((System.nanoTime() - t0) / 1e9));
        training.addProperty(
                "final_train_loss", round(lossCurve.isEmpty() ? lastLoss : lossCurve.get(lossCurve.size() - 1)));
        training.addProperty("first_train_loss", round(lossCurve.isEmpty() ? lastLoss : lossCurve.get(0)));
        training.addProperty("loss_curve_every", logEvery);
        JsonArray curve = new JsonArray();
        lossCurve.forEach(v -> curve.add(round(v)));
        training.add("loss_curve", curve);
        training.addProperty("parameters", params);
        training.add("architecture", cfg.toJson());
        training.addProperty("tokenizer_merges", bpe.mergeCount());
        training.addProperty("tokenizer_examples", texts.size());
        training.addProperty("held_out_briefs", HELD_OUT_BRIEFS);
        training.addProperty("held_out_seed", CopyCorpus.HELD_OUT_SEED);
        writeJson(dump.resolve("training.json"), training);
        System.out.printf(
                Locale.ROOT,
                "trained %d steps in %.0f s, final loss %.4f; dump in %s%n",
                done,
                trainSeconds,
                lastLoss,
                dump);
    }

    /** One pass over the examples in batches of similar length (sorted within shuffled chunks). */
    private static List<int[]> epoch(List<int[]> seqs, int batch, SplittableRandom rnd) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < seqs.size(); i++) {
            order.add(i);
        }
        for (int i = order.size() - 1; i > 0; i--) {
            Collections.swap(order, i, rnd.nextInt(i + 1));
        }
        List<int[]> out = new ArrayList<>();
        int chunk = batch * 64;
        for (int c = 0; c < order.size(); c += chunk) {
            List<Integer> part = new ArrayList<>(order.subList(c, Math.min(order.size(), c + chunk)));
            part.sort((a, b) -> Integer.compare(seqs.get(a).length, seqs.get(b).length));
            for (int i = 0; i + batch <= part.size(); i += batch) {
                out.add(part.subList(i, i + batch).stream()
                        .mapToInt(Integer::intValue)
                        .toArray());
            }
        }
        for (int i = out.size() - 1; i > 0; i--) {
            Collections.swap(out, i, rnd.nextInt(i + 1));
        }
        return out;
    }

    static void writeHeldOut(Path file, List<CopyBrief> briefs) throws IOException {
        StringBuilder sb = new StringBuilder();
        var gson = new GsonBuilder().disableHtmlEscaping().create();
        for (CopyBrief b : briefs) {
            sb.append(gson.toJson(b.toJson())).append('\n');
        }
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    }

    // ---- the dump for the exporter

    private static final Pattern LAYER = Pattern.compile("\\d\\dlayer(\\d+)_\\d\\d(ln1|qkv|proj|ln2|fc1|fc2)_(\\w+)");
    private static final Pattern LN_F = Pattern.compile("\\d\\dln_f_(gamma|beta)");

    /** The PyTorch state_dict key of a TinyGpt parameter (as {@code export.ExportWeights} maps them). */
    static String torchName(String djl) {
        if (djl.equals("tok_emb") || djl.equals("pos_emb")) {
            return djl;
        }
        Matcher m = LAYER.matcher(djl);
        if (m.matches()) {
            return "layers." + m.group(1) + "." + m.group(2) + "." + kind(m.group(3));
        }
        m = LN_F.matcher(djl);
        if (m.matches()) {
            return "ln_f." + kind(m.group(1));
        }
        throw new IllegalStateException("unexpected parameter " + djl);
    }

    private static String kind(String djl) {
        return switch (djl) {
            case "weight", "gamma" -> "weight";
            case "bias", "beta" -> "bias";
            default -> throw new IllegalStateException("unexpected parameter kind " + djl);
        };
    }

    /** Every parameter as little-endian float32, the manifest, and DJL's logits for one example. */
    private static void dump(TinyGpt block, GptConfig cfg, int[] example, Path dir) throws IOException {
        JsonArray tensors = new JsonArray();
        for (Pair<String, Parameter> p : block.getParameters()) {
            String name = torchName(p.getKey());
            NDArray a = p.getValue().getArray();
            tensors.add(writeFloats(dir, name, a.toFloatArray(), a.getShape().getShape()));
        }
        JsonObject manifest = new JsonObject();
        manifest.add("architecture", cfg.toJson());
        manifest.add("tensors", tensors);
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            long[] ids = new long[example.length];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = example[i];
            }
            NDArray x = m.create(ids, new Shape(1, ids.length));
            NDArray logits = block.forward(new ParameterStore(m, false), new NDList(x), false)
                    .singletonOrThrow();
            JsonObject ref = new JsonObject();
            JsonArray tokens = new JsonArray();
            for (long id : ids) {
                tokens.add(id);
            }
            ref.add("tokens", tokens);
            ref.add(
                    "logits",
                    writeFloats(
                            dir,
                            "ref_logits",
                            logits.toFloatArray(),
                            logits.getShape().getShape()));
            manifest.add("reference", ref);
        }
        writeJson(dir.resolve("manifest.json"), manifest);
    }

    private static JsonObject writeFloats(Path dir, String name, float[] data, long[] shape) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : data) {
            buf.putFloat(f);
        }
        String file = name + ".f32";
        Files.write(dir.resolve(file), buf.array());
        JsonObject o = new JsonObject();
        o.addProperty("name", name);
        o.addProperty("dtype", "float32");
        JsonArray s = new JsonArray();
        for (long d : shape) {
            s.add(d);
        }
        o.add("shape", s);
        o.addProperty("file", file);
        return o;
    }

    private static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }

    static void writeJson(Path file, JsonObject json) throws IOException {
        Files.writeString(
                file,
                new GsonBuilder()
                                .setPrettyPrinting()
                                .disableHtmlEscaping()
                                .create()
                                .toJson(json)
                        + "\n",
                StandardCharsets.UTF_8);
    }
}
