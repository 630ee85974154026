package dev.genfleet.inference.text;

import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.genfleet.inference.torchscript.TorchScriptModules;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code config.json} of a {@code static-kv} text model, checked field by field: every refusal names
 * the file and the rule (see worker/README.md, "TorchScript models", for the contract).
 *
 * @param format {@code torchscript} or {@code onnx}: which file {@link #file} the model loads
 * @param slots rows per forward pass (fixed: the first dimension of every input)
 * @param kvHeads key/value heads ({@code heads} for multi-head attention, fewer for grouped-query)
 * @param promptFormat the structured prompt the model was trained on ({@code prompt_format}, e.g.
 *     {@code brief-v1}: see {@code dev.genfleet.inference.copy}), null for a model of free prompts only
 */
public record StaticCacheConfig(
        String id,
        String version,
        String format,
        String file,
        String tokenizer,
        String bosToken,
        String eosToken,
        int slots,
        int context,
        int vocabSize,
        int layers,
        int heads,
        int kvHeads,
        int headSize,
        List<String> inputs,
        long parameters,
        String promptFormat) {

    public static final String FAMILY = "static-kv";
    public static final String TORCHSCRIPT = "torchscript";
    public static final String ONNX = "onnx";
    public static final String CACHE_LAYOUT = "slots,layers,kv,kv_heads,context,head_size";
    public static final List<String> INPUTS = List.of("input_ids", "position_ids", "attention_mask", "cache");

    /** The cache every pass takes and returns: {@code [slots, layers, 2, kv_heads, context, head_size]}. */
    public Shape cacheShape() {
        return new Shape(slots, layers, 2, kvHeads, context, headSize);
    }

    /**
     * Reads and checks {@code versionDir/config.json}.
     *
     * @param formatOverride null for the file's own {@code format}
     * @throws IllegalArgumentException naming the file and the rule it breaks
     */
    public static StaticCacheConfig read(Path versionDir, String formatOverride) {
        JsonObject c = TorchScriptModules.readConfig(versionDir);
        Path file = versionDir.resolve("config.json");
        String format = formatOverride != null ? formatOverride : TorchScriptModules.string(c, "format", "");
        if (!format.equals(TORCHSCRIPT) && !format.equals(ONNX)) {
            throw new IllegalArgumentException(file + ": \"format\" must be \"" + TORCHSCRIPT + "\" or \"" + ONNX
                    + "\" (family " + FAMILY + "), got '" + format + "'");
        }
        String network = TorchScriptModules.string(c, format, format.equals(ONNX) ? "model.onnx" : "model.pt");
        String extension = format.equals(ONNX) ? ".onnx" : ".pt";
        if (!network.endsWith(extension)
                || network.length() <= extension.length()
                || network.contains("/")
                || network.contains("\\")) {
            throw new IllegalArgumentException(file + ": \"" + format + "\" must name a " + extension + " file inside "
                    + versionDir + ", got '" + network + "'");
        }
        JsonElement cache = c.get("cache");
        if (cache == null || !cache.isJsonObject()) {
            throw new IllegalArgumentException(file + ": \"cache\" must state {\"layout\": \"" + CACHE_LAYOUT
                    + "\", \"dtype\": \"float32\"} (a static key/value cache)");
        }
        String layout = TorchScriptModules.string(cache.getAsJsonObject(), "layout", "");
        if (!layout.equals(CACHE_LAYOUT)) {
            throw new IllegalArgumentException(file + ": cache layout must be \"" + CACHE_LAYOUT + "\", got '"
                    + layout + "' (a growing cache, e.g. Hugging Face's past_key_values, is not accepted: its"
                    + " shapes change with the batch mix, so rows would not be batch-invariant)");
        }
        String dtype = TorchScriptModules.string(cache.getAsJsonObject(), "dtype", "");
        if (!dtype.equals("float32")) {
            throw new IllegalArgumentException(
                    file + ": cache dtype must be \"float32\" (logits are read as float32), got '" + dtype + "'");
        }
        int heads = TorchScriptModules.positiveInt(c, "heads", versionDir, FAMILY);
        int kvHeads = c.has("kv_heads") ? TorchScriptModules.positiveInt(c, "kv_heads", versionDir, FAMILY) : heads;
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException(
                    file + ": \"heads\" (" + heads + ") must be a multiple of \"kv_heads\" (" + kvHeads + ")");
        }
        List<String> inputs = new ArrayList<>();
        if (c.get("inputs") instanceof JsonArray a) {
            a.forEach(e -> inputs.add(e.getAsString()));
        } else {
            inputs.addAll(INPUTS);
        }
        if (!inputs.equals(INPUTS)) {
            throw new IllegalArgumentException(
                    file + ": \"inputs\" must be " + INPUTS + " in this order, got " + inputs);
        }
        Path abs = versionDir.toAbsolutePath().normalize();
        return new StaticCacheConfig(
                TorchScriptModules.string(c, "id", abs.getParent().getFileName().toString()),
                TorchScriptModules.string(c, "version", abs.getFileName().toString()),
                format,
                network,
                TorchScriptModules.string(c, "tokenizer", "tokenizer.json"),
                TorchScriptModules.string(c, "bos_token", null),
                TorchScriptModules.string(c, "eos_token", null),
                TorchScriptModules.positiveInt(c, "slots", versionDir, FAMILY),
                TorchScriptModules.positiveInt(c, "context", versionDir, FAMILY),
                TorchScriptModules.positiveInt(c, "vocab_size", versionDir, FAMILY),
                TorchScriptModules.positiveInt(c, "layers", versionDir, FAMILY),
                heads,
                kvHeads,
                TorchScriptModules.positiveInt(c, "head_size", versionDir, FAMILY),
                List.copyOf(inputs),
                c.has("parameters") ? c.get("parameters").getAsLong() : 0L,
                TorchScriptModules.string(c, "prompt_format", null));
    }

    /** The network's contract in one line, for error messages. */
    public String contract() {
        return "forward(input_ids: int64 [" + slots + ", T], position_ids: int64 [" + slots
                + ", T] (-1 = padding), attention_mask: int64 [" + slots + ", " + context + "], cache: float32 "
                + cacheShape() + ") -> (logits: float32 [" + slots + ", T, " + vocabSize + "], cache: float32 "
                + cacheShape() + ")";
    }
}
