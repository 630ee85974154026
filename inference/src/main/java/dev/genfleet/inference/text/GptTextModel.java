package dev.genfleet.inference.text;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import com.google.gson.Gson;
import com.google.gson.JsonObject;
import dev.genfleet.inference.InferenceThread;
import dev.genfleet.inference.Modality;
import dev.genfleet.inference.ModelInfo;
import dev.genfleet.inference.TextGeneration;
import dev.genfleet.inference.TextModel;
import dev.genfleet.inference.TextRequest;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The character GPT of {@code models/copy-gpt/<version>} as a {@link TextModel}.
 *
 * <p>Batch invariance: rows run in groups of {@link #rowsPerStep()} slots, and every tensor op has the
 * same shape whatever the batch holds (prefill is always (slots, context), a decode step is always
 * (slots, 1) against a (slots, heads, context, head_dim) key/value cache, masked per row). No op mixes
 * rows, so a row's logits are the same bits alone or batched; sampling happens in Java per row with
 * {@code SplittableRandom(seed)}. Empty slots are computed and ignored.
 *
 * <p>Each row starts with the document separator (newline) followed by its prompt; prompts longer than
 * the context keep their last {@code context} tokens. When a row's cache is full, the row is
 * re-prefilled from its last {@code 3/4 * context} tokens (sliding window). {@code completionTokens}
 * counts every sampled token, including those of a stop sequence that is cut from the text. That
 * per-row bookkeeping (tokens, sampling, stops, counting, window) is {@link DecodeRow}, shared with
 * {@link TorchScriptTextModel}; this class adds the key/value cache.
 */
public final class GptTextModel implements TextModel {

    public static final String WEIGHTS = "copy-gpt.params";
    public static final String CONFIG = "config.json";
    public static final int DEFAULT_ROWS_PER_STEP = 8;
    static final int PREFILL_BUCKET = 16;

    private final GptConfig config;
    private final CharTokenizer tokenizer;
    private final TinyGpt block;
    private final NDManager manager;
    private final Device device;
    private final int rowsPerStep;
    private final ModelInfo info;
    private volatile boolean fullRecompute;

    private GptTextModel(
            GptConfig config,
            CharTokenizer tokenizer,
            TinyGpt block,
            NDManager manager,
            Device device,
            int rowsPerStep,
            String id,
            String version) {
        this.config = config;
        this.tokenizer = tokenizer;
        this.block = block;
        this.manager = manager;
        this.device = device;
        this.rowsPerStep = rowsPerStep;
        this.info = new ModelInfo(id, version, Modality.TEXT, device.toString(), block.parameterCount());
    }

    /** Loads on the engine's default device (a GPU when DJL reports one). */
    public static GptTextModel load(Path versionDir) {
        return load(versionDir, Engine.getInstance().defaultDevice());
    }

    public static GptTextModel load(Path versionDir, Device device) {
        return load(versionDir, device, DEFAULT_ROWS_PER_STEP);
    }

    public static GptTextModel load(Path versionDir, Device device, int rowsPerStep) {
        if (rowsPerStep < 1) {
            throw new IllegalArgumentException("rowsPerStep must be positive");
        }
        Device dev = device != null ? device : Engine.getInstance().defaultDevice();
        try {
            JsonObject json = readConfig(versionDir);
            GptConfig cfg = GptConfig.fromJson(json.getAsJsonObject("architecture"));
            CharTokenizer tok = CharTokenizer.load(versionDir);
            if (tok.vocabSize() != cfg.vocabSize()) {
                throw new IllegalStateException("vocabulary size " + tok.vocabSize() + " != config " + cfg.vocabSize());
            }
            String weights = json.has("weights") ? json.get("weights").getAsString() : WEIGHTS;
            NDManager mgr = NDManager.newBaseManager(dev);
            mgr.setName("copy-gpt");
            try {
                TinyGpt block = new TinyGpt(cfg);
                block.setInitializer(new NormalInitializer(0.02f), Parameter.Type.WEIGHT);
                block.initialize(mgr, DataType.FLOAT32, new Shape(1, cfg.context()));
                try (InputStream in = Files.newInputStream(versionDir.resolve(weights));
                        DataInputStream dis = new DataInputStream(new BufferedInputStream(in))) {
                    block.loadParameters(mgr, dis);
                }
                String id = json.has("id")
                        ? json.get("id").getAsString()
                        : versionDir.toAbsolutePath().getParent().getFileName().toString();
                String version = json.has("version")
                        ? json.get("version").getAsString()
                        : versionDir.getFileName().toString();
                return new GptTextModel(cfg, tok, block, mgr, dev, rowsPerStep, id, version);
            } catch (RuntimeException | IOException | MalformedModelException e) {
                mgr.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load text model from " + versionDir, e);
        } catch (MalformedModelException e) {
            throw new IllegalStateException("cannot load text model from " + versionDir, e);
        }
    }

    static JsonObject readConfig(Path versionDir) throws IOException {
        return new Gson()
                .fromJson(Files.readString(versionDir.resolve(CONFIG), StandardCharsets.UTF_8), JsonObject.class);
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    public GptConfig config() {
        return config;
    }

    public CharTokenizer tokenizer() {
        return tokenizer;
    }

    public int rowsPerStep() {
        return rowsPerStep;
    }

    /**
     * Benchmark switch: recompute the whole window for every token instead of using the key/value
     * cache (same outputs up to float rounding; only for measuring what the cache saves).
     */
    public void setFullRecompute(boolean fullRecompute) {
        this.fullRecompute = fullRecompute;
    }

    /** Arrays held by the model's own manager (weights); constant across calls when nothing leaks. */
    public int managedArrayCount() {
        return ((ai.djl.ndarray.BaseNDManager) manager).getManagedArrays().size();
    }

    @Override
    public synchronized List<TextGeneration> generate(List<TextRequest> batch) {
        InferenceThread.enter();
        TextGeneration[] out = new TextGeneration[batch.size()];
        for (int start = 0; start < batch.size(); start += rowsPerStep) {
            List<Row> rows = new ArrayList<>();
            for (int i = start; i < Math.min(batch.size(), start + rowsPerStep); i++) {
                rows.add(new Row(batch.get(i), fullRecompute));
            }
            runGroup(rows);
            for (int i = 0; i < rows.size(); i++) {
                out[start + i] = rows.get(i).result();
            }
        }
        return Arrays.asList(out);
    }

    /** A {@link DecodeRow} plus the state of its slot in the key/value cache. */
    private final class Row extends DecodeRow {
        final boolean recompute;
        boolean needPrefill = true;
        int cacheLen;
        int pending = -1;

        Row(TextRequest req, boolean recompute) {
            super(req, tokenizer, config.context(), recompute);
            this.recompute = recompute;
        }

        @Override
        boolean accept(int token) {
            boolean moved = super.accept(token);
            if (!done()) {
                pending = token;
                if (recompute || moved) {
                    needPrefill = true;
                }
            }
            return moved;
        }
    }

    private void runGroup(List<Row> rows) {
        int slots = rowsPerStep;
        int ctx = config.context();
        int vocab = config.vocabSize();
        try (NDManager bm = manager.newSubManager()) {
            ParameterStore ps = new ParameterStore(bm, false);
            NDList caches = new NDList(2 * config.layers());
            Shape cacheShape = new Shape(slots, config.heads(), ctx, config.headDim());
            for (int i = 0; i < 2 * config.layers(); i++) {
                caches.add(bm.zeros(cacheShape, DataType.FLOAT32));
            }
            float[] logits = new float[slots * vocab];
            boolean[] fresh = new boolean[slots];
            while (rows.stream().anyMatch(r -> !r.done())) {
                Arrays.fill(fresh, false);
                boolean anyPrefill = false;
                boolean anyStep = false;
                for (Row r : rows) {
                    anyPrefill |= !r.done() && r.needPrefill;
                    anyStep |= !r.done() && !r.needPrefill;
                }
                if (anyPrefill) {
                    for (int s = 0; s < rows.size(); s++) {
                        Row r = rows.get(s);
                        if (r.done() || !r.needPrefill) {
                            continue;
                        }
                        caches = prefillRow(ps, bm, r, s, caches, cacheShape, logits);
                        fresh[s] = true;
                    }
                }
                if (anyStep) {
                    try (NDManager sm = bm.newSubManager()) {
                        long[] tok = new long[slots];
                        long[] pos = new long[slots];
                        float[] mask = new float[slots * ctx];
                        boolean[] active = new boolean[slots];
                        long[] writeRows = new long[slots];
                        long[] writePositions = new long[slots];
                        int writes = 0;
                        for (int s = 0; s < rows.size(); s++) {
                            Row r = rows.get(s);
                            if (r.done() || fresh[s] || r.needPrefill) {
                                continue;
                            }
                            active[s] = true;
                            tok[s] = r.pending;
                            pos[s] = r.cacheLen;
                            writeRows[writes] = s;
                            writePositions[writes++] = r.cacheLen;
                            for (int j = r.cacheLen + 1; j < ctx; j++) {
                                mask[s * ctx + j] = TinyGpt.NEG;
                            }
                        }
                        NDList out = block.step(
                                ps,
                                sm.create(tok, new Shape(slots, 1)),
                                sm.create(pos, new Shape(slots, 1)),
                                caches,
                                sm.create(Arrays.copyOf(writeRows, writes)),
                                sm.create(Arrays.copyOf(writePositions, writes)),
                                sm.create(mask, new Shape(slots, 1, 1, ctx)));
                        float[] lg = out.get(0).toFloatArray();
                        for (int s = 0; s < rows.size(); s++) {
                            if (active[s]) {
                                System.arraycopy(lg, s * vocab, logits, s * vocab, vocab);
                                rows.get(s).cacheLen++;
                                fresh[s] = true;
                            }
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

    /**
     * Prefills one row alone, with a shape that depends only on that row's window length (rounded up to
     * {@link #PREFILL_BUCKET}), then copies its keys and values into the row's cache slot.
     */
    private NDList prefillRow(
            ParameterStore ps, NDManager bm, Row r, int slot, NDList caches, Shape cacheShape, float[] logits) {
        int ctx = config.context();
        int vocab = config.vocabSize();
        int w = r.windowLength();
        int t = Math.min(ctx, ((w + PREFILL_BUCKET - 1) / PREFILL_BUCKET) * PREFILL_BUCKET);
        try (NDManager sm = bm.newSubManager()) {
            long[] tok = new long[t];
            float[] sel = new float[t];
            for (int j = 0; j < w; j++) {
                tok[j] = r.token(r.windowStart() + j);
            }
            sel[w - 1] = 1f;
            NDList out = block.prefill(ps, sm.create(tok, new Shape(1, t)), sm.create(sel, new Shape(1, t, 1)));
            System.arraycopy(out.get(0).toFloatArray(), 0, logits, slot * vocab, vocab);
            boolean[] rowSel = new boolean[(int) cacheShape.get(0)];
            rowSel[slot] = true;
            NDArray keep = sm.create(rowSel, new Shape(rowSel.length, 1, 1, 1)).broadcast(cacheShape);
            NDList merged = new NDList(caches.size());
            for (int i = 0; i < caches.size(); i++) {
                NDArray kv = out.get(1 + i);
                if (t < ctx) {
                    Shape pad = new Shape(1, config.heads(), ctx - t, config.headDim());
                    kv = NDArrays.concat(new NDList(kv, sm.zeros(pad, DataType.FLOAT32)), 2);
                }
                merged.add(NDArrays.where(keep, kv.broadcast(cacheShape), caches.get(i)));
            }
            merged.attach(bm);
            caches.close();
            r.cacheLen = w;
            r.needPrefill = false;
            r.pending = -1;
            return merged;
        }
    }

    /** Logits (T×V, row-major) of a full causal pass over one window of at most {@code context} tokens. */
    synchronized float[] logits(int[] window) {
        InferenceThread.enter();
        try (NDManager sm = manager.newSubManager()) {
            long[] x = new long[window.length];
            for (int i = 0; i < window.length; i++) {
                x[i] = window[i];
            }
            ParameterStore ps = new ParameterStore(sm, false);
            return block.forward(ps, new NDList(sm.create(x, new Shape(1, window.length))), false)
                    .singletonOrThrow()
                    .toFloatArray();
        }
    }

    /**
     * Per-character perplexity of {@code text} (every character after the first is a target), over
     * non-overlapping windows of the context length.
     */
    public synchronized double perplexity(String text) {
        InferenceThread.enter();
        int[] ids = tokenizer.encode(text);
        int ctx = config.context();
        int vocab = config.vocabSize();
        double nll = 0;
        long count = 0;
        int windowsPerBatch = 8;
        List<Integer> starts = new ArrayList<>();
        for (int s = 0; s + 1 < ids.length; s += ctx) {
            starts.add(s);
        }
        int i = 0;
        while (i < starts.size()) {
            int first = starts.get(i);
            int l = Math.min(ctx, ids.length - 1 - first);
            List<Integer> group = new ArrayList<>();
            while (i < starts.size()
                    && group.size() < windowsPerBatch
                    && Math.min(ctx, ids.length - 1 - starts.get(i)) == l) {
                group.add(starts.get(i++));
            }
            try (NDManager sm = manager.newSubManager()) {
                long[] x = new long[group.size() * l];
                long[] y = new long[group.size() * l];
                for (int g = 0; g < group.size(); g++) {
                    for (int j = 0; j < l; j++) {
                        x[g * l + j] = ids[group.get(g) + j];
                        y[g * l + j] = ids[group.get(g) + j + 1];
                    }
                }
                ParameterStore ps = new ParameterStore(sm, false);
                NDArray lg = block.forward(ps, new NDList(sm.create(x, new Shape(group.size(), l))), false)
                        .singletonOrThrow();
                NDArray target = sm.create(y, new Shape(group.size(), l)).oneHot(vocab);
                nll -= lg.logSoftmax(-1).mul(target).sum().getFloat();
                count += (long) group.size() * l;
            }
        }
        return count == 0 ? Double.NaN : Math.exp(nll / count);
    }

    @Override
    public synchronized void close() {
        manager.close();
    }
}
