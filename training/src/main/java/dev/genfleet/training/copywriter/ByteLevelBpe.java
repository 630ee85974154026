package dev.genfleet.training.copywriter;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A byte-level BPE learner (GPT-2's scheme) that writes a Hugging Face {@code tokenizer.json}.
 *
 * <p>Why hand-written: DJL's {@code ai.djl.huggingface:tokenizers} binds only loading, encoding and
 * decoding of the Rust library (its {@code HuggingFaceTokenizer} has no trainer, and the {@code
 * tokenizers} Python package is not installable here), so the merges are learned here and the file is
 * read back by that binding, which then does all encoding in training and serving alike.
 *
 * <p>Learning: text is split by the ByteLevel pre-tokenizer's pattern (GPT-2's), each piece becomes its
 * UTF-8 bytes in GPT-2's printable byte alphabet, and the most frequent adjacent pair is merged, over and
 * over (ties: the lexicographically smallest pair, so the result does not depend on hash order). The
 * base vocabulary holds all 256 bytes, so every string encodes, and decoding gives back the exact bytes.
 * Added tokens (control tokens and merge fields) are cut out of the text before learning; the file
 * declares them, so the library never splits them.
 */
public final class ByteLevelBpe {

    /** The ByteLevel pre-tokenizer's split (GPT-2's pattern, with Unicode letter and number classes). */
    static final Pattern PRE_TOKEN = Pattern.compile(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
            Pattern.UNICODE_CHARACTER_CLASS);

    private final List<String[]> merges;
    private final Map<String, Integer> vocab;
    private final List<String> added;
    private final List<String> special;

    private ByteLevelBpe(List<String[]> merges, Map<String, Integer> vocab, List<String> added, List<String> special) {
        this.merges = merges;
        this.vocab = vocab;
        this.added = added;
        this.special = special;
    }

    /** GPT-2's printable stand-ins for the 256 bytes (the ByteLevel alphabet). */
    static String[] byteAlphabet() {
        List<Integer> bs = new ArrayList<>();
        for (int b = '!'; b <= '~'; b++) {
            bs.add(b);
        }
        for (int b = 0xA1; b <= 0xAC; b++) {
            bs.add(b);
        }
        for (int b = 0xAE; b <= 0xFF; b++) {
            bs.add(b);
        }
        String[] out = new String[256];
        for (int b : bs) {
            out[b] = String.valueOf((char) b);
        }
        int n = 0;
        for (int b = 0; b < 256; b++) {
            if (out[b] == null) {
                out[b] = String.valueOf((char) (256 + n++));
            }
        }
        return out;
    }

    /**
     * Learns merges until the vocabulary (256 bytes + merges) reaches {@code vocabSize}, then appends the
     * added tokens ({@code special} ones first, each one id).
     */
    public static ByteLevelBpe learn(List<String> texts, int vocabSize, List<String> special, List<String> fields) {
        List<String> added = new ArrayList<>(special);
        added.addAll(fields);
        Pattern cut = Pattern.compile(
                String.join("|", added.stream().map(Pattern::quote).toList()));
        String[] alphabet = byteAlphabet();
        // piece -> count, in first-seen order
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String text : texts) {
            for (String part : cut.split(text)) {
                Matcher m = PRE_TOKEN.matcher(part);
                while (m.find()) {
                    counts.merge(m.group(), 1, Integer::sum);
                }
            }
        }
        List<List<String>> words = new ArrayList<>();
        int[] freq = new int[counts.size()];
        int w = 0;
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            List<String> symbols = new ArrayList<>();
            for (byte b : e.getKey().getBytes(StandardCharsets.UTF_8)) {
                symbols.add(alphabet[b & 0xFF]);
            }
            words.add(symbols);
            freq[w++] = e.getValue();
        }
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (int b = 0; b < 256; b++) {
            vocab.put(alphabet[b], b);
        }
        List<String[]> merges = new ArrayList<>();
        while (vocab.size() < vocabSize) {
            Map<String, Integer> pairs = new HashMap<>();
            for (int i = 0; i < words.size(); i++) {
                List<String> s = words.get(i);
                for (int j = 0; j + 1 < s.size(); j++) {
                    pairs.merge(s.get(j) + "\u0000" + s.get(j + 1), freq[i], Integer::sum);
                }
            }
            String best = null;
            int bestCount = 0;
            for (Map.Entry<String, Integer> e : pairs.entrySet()) {
                int c = e.getValue();
                if (c > bestCount || (c == bestCount && e.getKey().compareTo(best) < 0)) {
                    best = e.getKey();
                    bestCount = c;
                }
            }
            if (best == null || bestCount < 2) {
                break;
            }
            String[] pair = best.split("\u0000", -1);
            String joined = pair[0] + pair[1];
            if (vocab.containsKey(joined)) {
                // the same string reached by another pair order: merge it, no new id
                merges.add(pair);
            } else {
                merges.add(pair);
                vocab.put(joined, vocab.size());
            }
            for (List<String> s : words) {
                for (int j = 0; j + 1 < s.size(); j++) {
                    if (s.get(j).equals(pair[0]) && s.get(j + 1).equals(pair[1])) {
                        s.set(j, joined);
                        s.remove(j + 1);
                    }
                }
            }
        }
        return new ByteLevelBpe(merges, vocab, added, special);
    }

    public int mergeCount() {
        return merges.size();
    }

    /** Vocabulary size including added tokens. */
    public int size() {
        return vocab.size() + added.size();
    }

    /** tokenizer.json: model BPE with merges, ByteLevel pre-tokenizer and decoder, the added tokens. */
    public JsonObject toJson() {
        JsonObject root = new JsonObject();
        root.addProperty("version", "1.0");
        root.add("truncation", JsonNull.INSTANCE);
        root.add("padding", JsonNull.INSTANCE);
        JsonArray addedTokens = new JsonArray();
        int id = vocab.size();
        for (String t : added) {
            JsonObject o = new JsonObject();
            o.addProperty("id", id++);
            o.addProperty("content", t);
            o.addProperty("single_word", false);
            o.addProperty("lstrip", false);
            o.addProperty("rstrip", false);
            o.addProperty("normalized", false);
            o.addProperty("special", special.contains(t));
            addedTokens.add(o);
        }
        root.add("added_tokens", addedTokens);
        root.add("normalizer", JsonNull.INSTANCE);
        JsonObject pre = new JsonObject();
        pre.addProperty("type", "ByteLevel");
        pre.addProperty("add_prefix_space", false);
        pre.addProperty("trim_offsets", true);
        pre.addProperty("use_regex", true);
        root.add("pre_tokenizer", pre);
        root.add("post_processor", JsonNull.INSTANCE);
        JsonObject dec = new JsonObject();
        dec.addProperty("type", "ByteLevel");
        dec.addProperty("add_prefix_space", true);
        dec.addProperty("trim_offsets", true);
        dec.addProperty("use_regex", true);
        root.add("decoder", dec);
        JsonObject model = new JsonObject();
        model.addProperty("type", "BPE");
        model.add("dropout", JsonNull.INSTANCE);
        model.add("unk_token", JsonNull.INSTANCE);
        model.addProperty("continuing_subword_prefix", "");
        model.addProperty("end_of_word_suffix", "");
        model.addProperty("fuse_unk", false);
        model.addProperty("byte_fallback", false);
        JsonObject v = new JsonObject();
        vocab.forEach(v::addProperty);
        model.add("vocab", v);
        JsonArray m = new JsonArray();
        merges.forEach(p -> m.add(p[0] + " " + p[1]));
        model.add("merges", m);
        root.add("model", model);
        return root;
    }

    public void write(Path file) throws IOException {
        Files.writeString(
                file,
                new GsonBuilder()
                                .setPrettyPrinting()
                                .disableHtmlEscaping()
                                .create()
                                .toJson(toJson())
                        + "\n",
                StandardCharsets.UTF_8);
    }
}
