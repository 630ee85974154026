package dev.genfleet.inference.text;

import com.google.gson.JsonObject;

/**
 * The architecture of a {@link TinyGpt} (not stored in {@code .params}; kept in {@code config.json}
 * under {@code "architecture"}).
 *
 * @param vocabSize number of tokens (characters)
 * @param dModel width of the residual stream
 * @param heads attention heads ({@code dModel % heads == 0})
 * @param layers transformer blocks
 * @param context maximum sequence length (learned position embeddings)
 * @param mlpHidden hidden width of the MLP
 */
public record GptConfig(int vocabSize, int dModel, int heads, int layers, int context, int mlpHidden) {

    public GptConfig {
        if (vocabSize < 2
                || dModel < 1
                || heads < 1
                || dModel % heads != 0
                || layers < 1
                || context < 2
                || mlpHidden < 1) {
            throw new IllegalArgumentException("bad GPT config: " + vocabSize + "/" + dModel + "/" + heads + "/"
                    + layers + "/" + context + "/" + mlpHidden);
        }
    }

    public int headDim() {
        return dModel / heads;
    }

    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("vocab_size", vocabSize);
        o.addProperty("d_model", dModel);
        o.addProperty("heads", heads);
        o.addProperty("layers", layers);
        o.addProperty("context", context);
        o.addProperty("mlp_hidden", mlpHidden);
        o.addProperty("norm", "pre-layernorm");
        o.addProperty("position", "learned absolute");
        o.addProperty("activation", "gelu");
        o.addProperty("tied_embeddings", true);
        return o;
    }

    public static GptConfig fromJson(JsonObject o) {
        return new GptConfig(
                o.get("vocab_size").getAsInt(),
                o.get("d_model").getAsInt(),
                o.get("heads").getAsInt(),
                o.get("layers").getAsInt(),
                o.get("context").getAsInt(),
                o.get("mlp_hidden").getAsInt());
    }
}
