package dev.genfleet.inference.text;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A Hugging Face {@code tokenizer.json} (BPE, byte-level BPE, WordPiece, ...) read by DJL's
 * {@code ai.djl.huggingface:tokenizers} (the Rust library, native code inside the jar, no download).
 *
 * <p>Encoding adds no special tokens, truncates nothing and pads nothing: the decode loop adds the
 * beginning-of-sequence id itself and cuts long prompts to the context. Decoding keeps special tokens, so
 * text round-trips exactly. {@link #load} refuses a file whose decoder does not give back the text it
 * encoded (a probe with accents, non-Latin letters and an emoji), because the fleet promises that a
 * prompt is read as written.
 */
public final class HfTokenizer implements TextTokenizer, AutoCloseable {

    /** Text every accepted tokenizer must round-trip exactly. */
    static final String ROUND_TRIP_PROBE = "Grüße, Zoë! Ça coûte 9,99 € — 東京, Москва, नमस्ते 😀\n\tend";

    private final HuggingFaceTokenizer tokenizer;
    private final Map<String, Integer> ids;
    private final int size;
    private final int bosId;
    private final int eosId;

    private HfTokenizer(HuggingFaceTokenizer tokenizer, Map<String, Integer> ids, int size, int bosId, int eosId) {
        this.tokenizer = tokenizer;
        this.ids = ids;
        this.size = size;
        this.bosId = bosId;
        this.eosId = eosId;
    }

    /**
     * @param file a {@code tokenizer.json}
     * @param bosToken the token every sequence starts with (required)
     * @param eosToken the token that ends a generation, or null
     * @throws IllegalArgumentException naming the file and the rule when it is missing, unreadable, does
     *     not hold the named tokens or does not round-trip
     */
    public static HfTokenizer load(Path file, String bosToken, String eosToken) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(file + " is missing: a text model needs a Hugging Face tokenizer.json");
        }
        Map<String, Integer> ids = vocabulary(file);
        int size = ids.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        HuggingFaceTokenizer hf;
        try {
            hf = HuggingFaceTokenizer.newInstance(
                    file,
                    Map.of(
                            "addSpecialTokens", "false",
                            "truncation", "false",
                            "padding", "false",
                            "modelMaxLength", String.valueOf(Integer.MAX_VALUE)));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(
                    file + ": not a tokenizer.json the Hugging Face tokenizers library reads: " + e.getMessage());
        }
        try {
            HfTokenizer t =
                    new HfTokenizer(hf, ids, size, id(file, ids, "bos_token", bosToken), eosId(file, ids, eosToken));
            String back = t.decode(t.encode(ROUND_TRIP_PROBE));
            if (!back.equals(ROUND_TRIP_PROBE)) {
                throw new IllegalArgumentException(file + ": text must round-trip exactly (encode then decode), but \""
                        + ROUND_TRIP_PROBE + "\" came back as \"" + back
                        + "\"; give the BPE byte_fallback or a byte-level pre-tokenizer and decoder");
            }
            return t;
        } catch (RuntimeException e) {
            hf.close();
            throw e;
        }
    }

    private static int eosId(Path file, Map<String, Integer> ids, String eosToken) {
        return eosToken == null ? -1 : id(file, ids, "eos_token", eosToken);
    }

    private static int id(Path file, Map<String, Integer> ids, String key, String token) {
        if (token == null || token.isEmpty()) {
            throw new IllegalArgumentException("config.json beside " + file + ": \"" + key + "\" is required");
        }
        Integer id = ids.get(token);
        if (id == null) {
            throw new IllegalArgumentException(file + " has no token \"" + token + "\" (config.json's " + key + ")");
        }
        return id;
    }

    /** model.vocab plus added_tokens, token → id, read straight from the JSON (DJL has no token → id lookup). */
    private static Map<String, Integer> vocabulary(Path file) {
        try {
            JsonObject json = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8))
                    .getAsJsonObject();
            Map<String, Integer> ids = new HashMap<>();
            JsonElement model = json.get("model");
            if (model != null && model.isJsonObject() && model.getAsJsonObject().get("vocab") instanceof JsonObject v) {
                v.entrySet().forEach(e -> ids.put(e.getKey(), e.getValue().getAsInt()));
            }
            if (json.get("added_tokens") != null && json.get("added_tokens").isJsonArray()) {
                for (JsonElement e : json.getAsJsonArray("added_tokens")) {
                    JsonObject o = e.getAsJsonObject();
                    ids.put(o.get("content").getAsString(), o.get("id").getAsInt());
                }
            }
            if (ids.isEmpty()) {
                throw new IllegalArgumentException(file + ": no vocabulary (model.vocab as an object of token: id)");
            }
            return ids;
        } catch (IOException | JsonParseException | IllegalStateException | UnsupportedOperationException e) {
            throw new IllegalArgumentException(file + ": not a tokenizer.json: " + e.getMessage(), e);
        }
    }

    /** Highest id in the file plus one. */
    @Override
    public int vocabSize() {
        return size;
    }

    @Override
    public int bosId() {
        return bosId;
    }

    @Override
    public int eosId() {
        return eosId;
    }

    /** The id of a token string (model.vocab or added_tokens, as the file spells it), or -1. */
    @Override
    public int idOf(String token) {
        Integer id = ids.get(token);
        return id == null ? -1 : id;
    }

    @Override
    public int[] encode(String text) {
        if (text == null || text.isEmpty()) {
            return new int[0];
        }
        long[] raw = tokenizer.encode(text, false, false).getIds();
        int[] out = new int[raw.length];
        for (int i = 0; i < raw.length; i++) {
            out[i] = Math.toIntExact(raw[i]);
        }
        return out;
    }

    @Override
    public String decode(int[] ids) {
        long[] raw = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            raw[i] = ids[i];
        }
        return tokenizer.decode(raw, false);
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
