package dev.genfleet.inference.text;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import dev.genfleet.inference.InferenceThread;
import dev.genfleet.inference.Modality;
import dev.genfleet.inference.ModelInfo;
import dev.genfleet.inference.TextGeneration;
import dev.genfleet.inference.TextModel;
import dev.genfleet.inference.TextRequest;
import dev.genfleet.inference.torchscript.TorchScriptModules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An exported language model with a static key/value cache (family {@code static-kv}): a Hugging Face
 * {@code tokenizer.json}, a {@code config.json} that states the layout ({@link StaticCacheConfig}) and the
 * network as TorchScript (DJL's PyTorch engine) or ONNX (DJL's ONNX Runtime engine), one code path for
 * both.
 *
 * <p>The network: {@code forward(input_ids [S, T], position_ids [S, T], attention_mask [S, C], cache [S,
 * L, 2, KVH, C, D]) -> (logits [S, T, V], cache)}, S = slots, C = context. Slot {@code s}'s token
 * {@code t} is written at cache position {@code position_ids[s, t]} ({@code -1}: padding, not written)
 * and attends to positions {@code c <= position_ids[s, t]} with {@code attention_mask[s, c] = 1}.
 *
 * <p>Why not DJL's own {@code ai.djl.modality.nlp.generate} ({@code TextGenerator}, {@code
 * SeqBatchScheduler}): it decodes greedily, by beam or contrastive search (no temperature, top-k, top-p,
 * per-row seeds or stop sequences) and keeps Hugging Face's growing {@code past_key_values} and attention
 * mask (concatenated every step, shaped by the batch's longest row), so a row's bits would depend on its
 * batch. This class keeps DJL's parts (Criteria, both engines, the
 * tokenizer) and hand-writes only the loop: rows in groups of {@code slots}, each row in its own slot for
 * its whole life; a prefill pass per window length bucket ({@code [S, 16k]}, the row's window only) and
 * one decode pass {@code [S, 1]} per token; sampling, stops and counting are {@link DecodeRow}'s, shared
 * with copy-gpt, so every text family behaves the same. Every pass has a shape that depends only on the
 * row's own window, and no op mixes slots, so a row gives the same bits alone or in any batch.
 */
public final class StaticCacheTextModel implements TextModel {

    static final int PREFILL_BUCKET = 16;
    static final String PYTORCH = "PyTorch";
    static final String ONNX_RUNTIME = "OnnxRuntime";

    private final StaticCacheConfig config;
    private final HfTokenizer tokenizer;
    private final ZooModel<NDList, NDList> network;
    private final String what;
    private final ModelInfo info;
    private boolean closed;

    private StaticCacheTextModel(
            StaticCacheConfig config,
            HfTokenizer tokenizer,
            ZooModel<NDList, NDList> network,
            String what,
            ModelInfo info) {
        this.config = config;
        this.tokenizer = tokenizer;
        this.network = network;
        this.what = what;
        this.info = info;
    }

    /** Loads in the format {@code config.json} names, on the engine's default device. */
    public static StaticCacheTextModel load(Path versionDir) {
        return load(versionDir, null, null);
    }

    /**
     * @param device null = the engine's default (a GPU when DJL sees one)
     * @param format null = {@code config.json}'s {@code format}; else {@code torchscript} or {@code onnx}
     * @throws IllegalArgumentException when a file is missing or config.json or tokenizer.json breaks a rule
     * @throws IllegalStateException when the network cannot be loaded or breaks the contract
     */
    public static StaticCacheTextModel load(Path versionDir, Device device, String format) {
        Device dev = device != null ? device : Engine.getInstance().defaultDevice();
        StaticCacheConfig config = StaticCacheConfig.read(versionDir, format);
        Path tokenizerFile = versionDir.resolve(config.tokenizer());
        HfTokenizer tokenizer = HfTokenizer.load(tokenizerFile, config.bosToken(), config.eosToken());
        try {
            if (tokenizer.vocabSize() > config.vocabSize()) {
                throw new IllegalArgumentException(tokenizerFile + " has ids up to " + (tokenizer.vocabSize() - 1)
                        + ", but config.json's vocab_size is " + config.vocabSize()
                        + ": every token id must have a logit");
            }
            ZooModel<NDList, NDList> network = loadNetwork(versionDir, config, dev);
            try {
                long params =
                        config.parameters() > 0 ? config.parameters() : TorchScriptModules.parameterCount(network);
                ModelInfo info = new ModelInfo(config.id(), config.version(), Modality.TEXT, dev.toString(), params);
                StaticCacheTextModel model = new StaticCacheTextModel(
                        config,
                        tokenizer,
                        network,
                        versionDir.resolve(config.file()).toString(),
                        info);
                model.probe();
                return model;
            } catch (RuntimeException e) {
                network.close();
                throw e;
            }
        } catch (RuntimeException e) {
            tokenizer.close();
            throw e;
        }
    }

    private static ZooModel<NDList, NDList> loadNetwork(Path versionDir, StaticCacheConfig config, Device device) {
        if (config.format().equals(StaticCacheConfig.TORCHSCRIPT)) {
            return TorchScriptModules.loadModule(versionDir, config.file(), device, config.contract());
        }
        Path file = versionDir.resolve(config.file());
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(
                    "ONNX file " + file + " is missing (named by config.json); expected " + config.contract());
        }
        Criteria<NDList, NDList> criteria = Criteria.builder()
                .setTypes(NDList.class, NDList.class)
                .optModelPath(versionDir)
                .optModelName(config.file().substring(0, config.file().length() - ".onnx".length()))
                .optEngine(ONNX_RUNTIME)
                .optDevice(device)
                // one knob for both engines: ONNX Runtime gets as many intra-op threads as libtorch
                .optOption("intraOpNumThreads", String.valueOf(intraOpThreads()))
                .optOption("interOpNumThreads", "1")
                .optOption("executionMode", "SEQUENTIAL")
                .build();
        ZooModel<NDList, NDList> model;
        try {
            model = criteria.loadModel();
        } catch (IOException | ModelNotFoundException | MalformedModelException | EngineException e) {
            throw new IllegalStateException(
                    "cannot load ONNX file " + file + " with ONNX Runtime: " + e.getMessage() + "; expected "
                            + config.contract(),
                    e);
        }
        List<String> names = model.getBlock().describeInput().keys();
        if (!names.equals(config.inputs())) {
            model.close();
            throw new IllegalStateException(file + " has inputs " + names + ", the contract needs " + config.inputs()
                    + ": " + config.contract());
        }
        return model;
    }

    /** {@code ai.djl.pytorch.num_threads} when set (the tests and benchmarks set 1), else the cores. */
    public static int intraOpThreads() {
        Integer n = Integer.getInteger("ai.djl.pytorch.num_threads");
        return n != null && n > 0 ? n : Runtime.getRuntime().availableProcessors();
    }

    /** One decode pass of slot 0 (the bos token at position 0) checks both outputs against the contract. */
    private void probe() {
        InferenceThread.enter();
        try (NDManager gm = network.getNDManager().newSubManager()) {
            NDArray cache = emptyCache(gm);
            int s = config.slots();
            long[] ids = new long[s];
            long[] pos = new long[s];
            Arrays.fill(pos, -1);
            long[] mask = new long[s * config.context()];
            ids[0] = tokenizer.bosId();
            pos[0] = 0;
            mask[0] = 1;
            pass(gm, cache, ids, pos, mask, 1);
        }
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    public StaticCacheConfig config() {
        return config;
    }

    public HfTokenizer tokenizer() {
        return tokenizer;
    }

    /** {@code PyTorch} or {@code OnnxRuntime}. */
    public String engine() {
        return network.getNDManager().getEngine().getEngineName();
    }

    @Override
    public synchronized List<TextGeneration> generate(List<TextRequest> batch) {
        ensureOpen();
        InferenceThread.enter();
        TextGeneration[] out = new TextGeneration[batch.size()];
        int slots = config.slots();
        for (int start = 0; start < batch.size(); start += slots) {
            List<Row> rows = new ArrayList<>();
            for (int i = start; i < Math.min(batch.size(), start + slots); i++) {
                rows.add(new Row(batch.get(i)));
            }
            runGroup(rows);
            for (int i = 0; i < rows.size(); i++) {
                out[start + i] = rows.get(i).result();
            }
        }
        return Arrays.asList(out);
    }

    /** A {@link DecodeRow} plus the state of its cache slot. */
    private final class Row extends DecodeRow {
        boolean needPrefill = true;
        int cacheLen;
        int pending = -1;

        Row(TextRequest req) {
            super(req, tokenizer, config.context(), false);
        }

        @Override
        boolean accept(int token) {
            boolean moved = super.accept(token);
            if (!done()) {
                pending = token;
                needPrefill |= moved;
            }
            return moved;
        }
    }

    private void runGroup(List<Row> rows) {
        int slots = config.slots();
        int ctx = config.context();
        int vocab = config.vocabSize();
        try (NDManager gm = network.getNDManager().newSubManager()) {
            NDArray cache = emptyCache(gm);
            float[] logits = new float[slots * vocab];
            boolean[] fresh = new boolean[slots];
            while (rows.stream().anyMatch(r -> !r.done())) {
                Arrays.fill(fresh, false);
                // prefill: rows whose window (re)starts, one pass per length bucket
                Map<Integer, List<Integer>> byBucket = new TreeMap<>();
                for (int s = 0; s < rows.size(); s++) {
                    Row r = rows.get(s);
                    if (!r.done() && r.needPrefill) {
                        byBucket.computeIfAbsent(Math.min(ctx, bucket(r.windowLength())), k -> new ArrayList<>())
                                .add(s);
                    }
                }
                for (Map.Entry<Integer, List<Integer>> group : byBucket.entrySet()) {
                    int t = group.getKey();
                    long[] ids = new long[slots * t];
                    long[] pos = new long[slots * t];
                    long[] mask = new long[slots * ctx];
                    Arrays.fill(pos, -1);
                    for (int s : group.getValue()) {
                        Row r = rows.get(s);
                        int w = r.windowLength();
                        for (int j = 0; j < w; j++) {
                            ids[s * t + j] = r.token(r.windowStart() + j);
                            pos[s * t + j] = j;
                            mask[s * ctx + j] = 1;
                        }
                    }
                    Pass p = pass(gm, cache, ids, pos, mask, t);
                    cache = p.cache();
                    for (int s : group.getValue()) {
                        Row r = rows.get(s);
                        int w = r.windowLength();
                        System.arraycopy(p.logits(), (s * t + w - 1) * vocab, logits, s * vocab, vocab);
                        r.cacheLen = w;
                        r.needPrefill = false;
                        r.pending = -1;
                        fresh[s] = true;
                    }
                }
                // decode: one token for every other live row
                long[] ids = new long[slots];
                long[] pos = new long[slots];
                long[] mask = new long[slots * ctx];
                Arrays.fill(pos, -1);
                boolean any = false;
                for (int s = 0; s < rows.size(); s++) {
                    Row r = rows.get(s);
                    if (r.done() || fresh[s]) {
                        continue;
                    }
                    any = true;
                    ids[s] = r.pending;
                    pos[s] = r.cacheLen;
                    Arrays.fill(mask, s * ctx, s * ctx + r.cacheLen + 1, 1L);
                }
                if (any) {
                    Pass p = pass(gm, cache, ids, pos, mask, 1);
                    cache = p.cache();
                    for (int s = 0; s < rows.size(); s++) {
                        if (pos[s] >= 0) {
                            System.arraycopy(p.logits(), s * vocab, logits, s * vocab, vocab);
                            rows.get(s).cacheLen++;
                            fresh[s] = true;
                        }
                    }
                }
                for (int s = 0; s < rows.size(); s++) {
                    if (fresh[s]) {
                        rows.get(s).next(logits, s * vocab, vocab);
                    }
                }
            }
        }
    }

    private static int bucket(int window) {
        return ((window + PREFILL_BUCKET - 1) / PREFILL_BUCKET) * PREFILL_BUCKET;
    }

    private NDArray emptyCache(NDManager gm) {
        Shape shape = config.cacheShape();
        return gm.create(new float[Math.toIntExact(shape.size())], shape);
    }

    private record Pass(float[] logits, NDArray cache) {}

    /**
     * One forward pass of all slots: {@code t} tokens per slot. The returned cache replaces {@code cache}
     * (closed here) and lives in {@code gm}.
     */
    private Pass pass(NDManager gm, NDArray cache, long[] ids, long[] pos, long[] mask, int t) {
        int s = config.slots();
        String call = what + " forward(input_ids int64 [" + s + ", " + t + "], ..., cache " + config.cacheShape() + ")";
        try (NDManager sm = gm.newSubManager()) {
            NDList in = new NDList(
                    sm.create(ids, new Shape(s, t)),
                    sm.create(pos, new Shape(s, t)),
                    sm.create(mask, new Shape(s, config.context())),
                    cache);
            NDList out;
            try {
                out = TorchScriptModules.forward(network, in, call);
            } catch (RuntimeException e) {
                throw new IllegalStateException(e.getMessage() + "; the contract is " + config.contract(), e);
            }
            if (out.size() != 2) {
                throw new IllegalStateException(call + " returned " + out.size()
                        + " outputs, the contract needs 2 (logits, cache): " + config.contract());
            }
            Shape logitsShape = new Shape(s, t, config.vocabSize());
            expect(out.get(0), logitsShape, call, "logits");
            expect(out.get(1), config.cacheShape(), call, "cache");
            float[] logits = out.get(0).toFloatArray();
            NDArray next = out.get(1);
            next.attach(gm);
            cache.close();
            return new Pass(logits, next);
        }
    }

    private void expect(NDArray a, Shape shape, String call, String name) {
        if (!a.getShape().equals(shape) || a.getDataType() != DataType.FLOAT32) {
            throw new IllegalStateException(call + " returned " + name + " " + a.getDataType() + " " + a.getShape()
                    + ", expected float32 " + shape + " (config.json states the shapes): " + config.contract());
        }
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
            network.close();
            tokenizer.close();
        }
    }
}
