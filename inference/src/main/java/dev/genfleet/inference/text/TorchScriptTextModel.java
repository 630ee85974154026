package dev.genfleet.inference.text;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.ZooModel;
import com.google.gson.JsonObject;
import dev.genfleet.inference.InferenceThread;
import dev.genfleet.inference.Modality;
import dev.genfleet.inference.ModelInfo;
import dev.genfleet.inference.TextGeneration;
import dev.genfleet.inference.TextModel;
import dev.genfleet.inference.TextRequest;
import dev.genfleet.inference.torchscript.TorchScriptModules;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A character-level language model saved as TorchScript, as a {@link TextModel} (family
 * {@code torchscript}, modality {@code TEXT}).
 *
 * <p>Contract of the module: {@code forward(tokens)} with int64 tokens {@code [B, T]}, {@code 1 <= T <=
 * context}, returns float32 logits {@code [B, T, V]} where position {@code t} depends on tokens {@code
 * 0..t} only (causal), {@code V} the size of {@code vocab.json} ({@link CharTokenizer}). Checked once at
 * load time with a {@code [1, context]} pass.
 *
 * <p>Decoding is {@link DecodeRow}'s, exactly as in {@link GptTextModel}: same tokens, sampling, stop
 * sequences, max tokens, counting and window (restart from the last {@code 3/4 * context} tokens when
 * full). There is no key/value cache: every step recomputes the row's window. The window is right-padded
 * to a multiple of {@value #WINDOW_BUCKET} tokens (at most {@code context}), and rows with the same padded
 * length go through the module together in passes of exactly {@code slots} rows (empty slots are padding).
 * A pass's shape therefore depends only on the row's own window, and no op mixes rows, so the same request
 * gives the same bytes alone or inside any batch. {@code slots} is 1 on the CPU (a padded slot costs a
 * full window of compute) and {@value #GPU_SLOTS} on a GPU (fewer, larger kernels).
 */
public final class TorchScriptTextModel implements TextModel {

    public static final String DEFAULT_FILE = "model.pt";
    static final int WINDOW_BUCKET = 16;
    static final int GPU_SLOTS = 8;

    private final ZooModel<NDList, NDList> module;
    private final CharTokenizer tokenizer;
    private final int context;
    private final int vocab;
    private final int slots;
    private final String file;
    private final ModelInfo info;
    private boolean closed;

    private TorchScriptTextModel(
            ZooModel<NDList, NDList> module,
            CharTokenizer tokenizer,
            int context,
            int slots,
            String file,
            ModelInfo info) {
        this.module = module;
        this.tokenizer = tokenizer;
        this.context = context;
        this.vocab = tokenizer.vocabSize();
        this.slots = slots;
        this.file = file;
        this.info = info;
    }

    /** Loads on the engine's default device (a GPU when DJL reports one). */
    public static TorchScriptTextModel load(Path versionDir) {
        return load(versionDir, Engine.getInstance().defaultDevice());
    }

    public static TorchScriptTextModel load(Path versionDir, Device device) {
        Device dev = device != null ? device : Engine.getInstance().defaultDevice();
        return load(versionDir, dev, dev.isGpu() ? GPU_SLOTS : 1);
    }

    /**
     * @param slots rows per forward pass (fixed, padded)
     * @throws IllegalArgumentException when config.json, vocab.json or the .pt file is missing or invalid
     * @throws IllegalStateException when the module cannot be loaded or breaks the contract
     */
    public static TorchScriptTextModel load(Path versionDir, Device device, int slots) {
        if (slots < 1) {
            throw new IllegalArgumentException("slots must be positive");
        }
        Device dev = device != null ? device : Engine.getInstance().defaultDevice();
        JsonObject config = TorchScriptModules.readConfig(versionDir);
        Path configFile = versionDir.resolve("config.json");
        int context = TorchScriptModules.positiveInt(config, "context", versionDir);
        String vocabFile = TorchScriptModules.string(config, "tokenizer", CharTokenizer.VOCAB_JSON);
        if (!vocabFile.equals(CharTokenizer.VOCAB_JSON)) {
            throw new IllegalArgumentException(configFile + ": \"tokenizer\" must be " + CharTokenizer.VOCAB_JSON
                    + " (a character vocabulary), got " + vocabFile);
        }
        CharTokenizer tokenizer;
        try {
            if (!Files.isRegularFile(versionDir.resolve(vocabFile))) {
                throw new IllegalArgumentException("vocabulary " + versionDir.resolve(vocabFile) + " is missing");
            }
            tokenizer = CharTokenizer.load(versionDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + versionDir.resolve(vocabFile), e);
        }
        if (config.has("vocab_size") && config.get("vocab_size").getAsInt() != tokenizer.vocabSize()) {
            throw new IllegalArgumentException(configFile + ": vocab_size "
                    + config.get("vocab_size").getAsInt() + " != " + tokenizer.vocabSize() + " tokens in " + vocabFile);
        }
        String file = TorchScriptModules.string(config, "model", DEFAULT_FILE);
        String contract = "forward(tokens: int64 [B, T], 1 <= T <= " + context + ") -> logits: float32 [B, T, "
                + tokenizer.vocabSize() + "] (" + vocabFile + ")";
        ZooModel<NDList, NDList> module = TorchScriptModules.loadModule(versionDir, file, dev, contract);
        try {
            Path abs = versionDir.toAbsolutePath().normalize();
            String id = TorchScriptModules.string(
                    config, "id", abs.getParent().getFileName().toString());
            String version = TorchScriptModules.string(
                    config, "version", abs.getFileName().toString());
            ModelInfo info = new ModelInfo(
                    id, version, Modality.TEXT, dev.toString(), TorchScriptModules.parameterCount(module));
            TorchScriptTextModel model = new TorchScriptTextModel(
                    module, tokenizer, context, slots, versionDir.resolve(file).toString(), info);
            model.probe(contract);
            return model;
        } catch (RuntimeException e) {
            module.close();
            throw e;
        }
    }

    /** One {@code [1, context]} pass: the module takes int64 tokens and returns {@code [1, context, V]} floats. */
    private void probe(String contract) {
        int[] window = new int[context];
        try {
            logits(window);
        } catch (IllegalStateException e) {
            throw new IllegalStateException(e.getMessage() + "; the contract is " + contract, e);
        }
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    public CharTokenizer tokenizer() {
        return tokenizer;
    }

    public int context() {
        return context;
    }

    public int slots() {
        return slots;
    }

    /** Arrays held by the module's own manager; constant across calls when nothing leaks. */
    public int managedArrayCount() {
        return ((ai.djl.ndarray.BaseNDManager) module.getNDManager())
                .getManagedArrays()
                .size();
    }

    @Override
    public synchronized List<TextGeneration> generate(List<TextRequest> batch) {
        ensureOpen();
        InferenceThread.enter();
        List<DecodeRow> rows = new ArrayList<>(batch.size());
        for (TextRequest request : batch) {
            rows.add(new DecodeRow(request, tokenizer, context, false));
        }
        while (true) {
            Map<Integer, List<DecodeRow>> byLength = new TreeMap<>();
            for (DecodeRow r : rows) {
                if (!r.done()) {
                    byLength.computeIfAbsent(padded(r.windowLength()), k -> new ArrayList<>())
                            .add(r);
                }
            }
            if (byLength.isEmpty()) {
                break;
            }
            for (Map.Entry<Integer, List<DecodeRow>> group : byLength.entrySet()) {
                int t = group.getKey();
                List<DecodeRow> members = group.getValue();
                for (int from = 0; from < members.size(); from += slots) {
                    List<DecodeRow> pass = members.subList(from, Math.min(members.size(), from + slots));
                    float[] logits = forward(pass, t);
                    for (int i = 0; i < pass.size(); i++) {
                        DecodeRow r = pass.get(i);
                        r.next(logits, (i * t + r.windowLength() - 1) * vocab, vocab);
                    }
                }
            }
        }
        List<TextGeneration> out = new ArrayList<>(rows.size());
        for (DecodeRow r : rows) {
            out.add(r.result());
        }
        return out;
    }

    private int padded(int window) {
        return Math.min(context, ((window + WINDOW_BUCKET - 1) / WINDOW_BUCKET) * WINDOW_BUCKET);
    }

    /** One pass of {@code slots} rows of {@code t} tokens (each row's window, right-padded with token 0). */
    private float[] forward(List<DecodeRow> pass, int t) {
        long[] tokens = new long[slots * t];
        for (int i = 0; i < pass.size(); i++) {
            DecodeRow r = pass.get(i);
            for (int j = 0; j < r.windowLength(); j++) {
                tokens[i * t + j] = r.token(r.windowStart() + j);
            }
        }
        return run(tokens, slots, t);
    }

    /** Logits (T×V, row-major) of one pass over a single window of at most {@code context} tokens. */
    synchronized float[] logits(int[] window) {
        InferenceThread.enter();
        ensureOpen();
        long[] tokens = new long[window.length];
        for (int i = 0; i < window.length; i++) {
            tokens[i] = window[i];
        }
        return run(tokens, 1, window.length);
    }

    private float[] run(long[] tokens, int b, int t) {
        try (NDManager sm = module.getNDManager().newSubManager()) {
            NDList out = TorchScriptModules.forward(
                    module,
                    new NDList(sm.create(tokens, new Shape(b, t))),
                    file + " forward(tokens int64 [" + b + ", " + t + "])");
            NDArray logits = TorchScriptModules.expect(
                    out, new Shape(b, t, vocab), file + " forward(tokens int64 [" + b + ", " + t + "])");
            return logits.toFloatArray();
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
            module.close();
        }
    }
}
