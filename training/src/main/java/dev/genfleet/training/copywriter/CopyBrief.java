package dev.genfleet.training.copywriter;

import com.google.gson.JsonObject;

/**
 * A copy brief as the {@code copywriter} model reads it (training's own copy of the fields: this module
 * may not depend on {@code schemas}).
 *
 * @param offer null: none
 * @param tone null: the model's default, {@value #DEFAULT_TONE}
 * @param name the recipient's first name, never shown to the model (only {@code name: yes}); null: none
 */
public record CopyBrief(String product, String audience, String benefit, String offer, String tone, String name) {

    public static final String PROMPT_FORMAT = "brief-v1";
    public static final String BRIEF = "<|brief|>";
    public static final String COPY = "<|copy|>";
    public static final String END = "<|end|>";
    public static final String DEFAULT_TONE = "friendly";

    /**
     * The prompt in format {@value #PROMPT_FORMAT}, exact bytes: control token, six {@code key: value}
     * lines, control token. The completion is the copy with merge fields, then {@value #END}.
     */
    public String prompt() {
        return BRIEF
                + "product: " + product + "\n"
                + "audience: " + audience + "\n"
                + "benefit: " + benefit + "\n"
                + "offer: " + (offer == null ? "none" : offer) + "\n"
                + "tone: " + (tone == null ? DEFAULT_TONE : tone) + "\n"
                + "name: " + (name == null ? "no" : "yes") + "\n"
                + COPY;
    }

    /** The copy with every merge field replaced by the brief's text (what the worker does). */
    public String fill(String copy) {
        String out = copy.replace("{{product}}", product)
                .replace("{{audience}}", audience)
                .replace("{{benefit}}", benefit);
        if (offer != null) {
            out = out.replace("{{offer}}", offer);
        }
        if (name != null) {
            out = out.replace("{{name}}", name);
        }
        return out;
    }

    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("product", product);
        o.addProperty("audience", audience);
        o.addProperty("benefit", benefit);
        if (offer != null) {
            o.addProperty("offer", offer);
        }
        if (tone != null) {
            o.addProperty("tone", tone);
        }
        if (name != null) {
            o.addProperty("name", name);
        }
        return o;
    }

    public static CopyBrief fromJson(JsonObject o) {
        return new CopyBrief(
                o.get("product").getAsString(),
                o.get("audience").getAsString(),
                o.get("benefit").getAsString(),
                o.has("offer") ? o.get("offer").getAsString() : null,
                o.has("tone") ? o.get("tone").getAsString() : null,
                o.has("name") ? o.get("name").getAsString() : null);
    }
}
