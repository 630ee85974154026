package dev.genfleet.inference.text;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Character-level tokenizer: one token per Unicode code point of the training text. Never throws on
 * input: characters outside the vocabulary are first folded (accents stripped, typographic quotes and
 * dashes made plain) and, if still unknown, mapped to the fallback token (a space).
 *
 * <p>Saved as {@code vocab.json} (authoritative) and {@code vocab.txt} (one token per line, newline
 * written as {@code \n}, backslash as {@code \\}).
 */
public final class CharTokenizer implements TextTokenizer {

    public static final String VOCAB_JSON = "vocab.json";
    public static final String VOCAB_TXT = "vocab.txt";

    private final List<String> tokens;
    private final Map<Integer, Integer> ids;
    private final int fallbackId;
    private final int bosId;

    private CharTokenizer(List<String> tokens, String fallback, String bos) {
        this.tokens = List.copyOf(tokens);
        this.ids = new HashMap<>();
        for (int i = 0; i < tokens.size(); i++) {
            ids.put(tokens.get(i).codePointAt(0), i);
        }
        Integer fb = ids.get(fallback.codePointAt(0));
        Integer b = ids.get(bos.codePointAt(0));
        if (fb == null || b == null) {
            throw new IllegalArgumentException("fallback and bos characters must be in the vocabulary");
        }
        this.fallbackId = fb;
        this.bosId = b;
    }

    /** Ends every document (one ad) of a corpus; also the beginning-of-sequence token. */
    public static final char DOC_SEPARATOR = '\n';

    /** Builds the vocabulary from every code point in {@code text}; text must contain a space and a newline. */
    public static CharTokenizer fromText(String text) {
        TreeSet<Integer> cps = new TreeSet<>();
        text.codePoints().forEach(cps::add);
        cps.add((int) ' ');
        cps.add((int) DOC_SEPARATOR);
        List<String> toks = new ArrayList<>();
        for (int cp : cps) {
            toks.add(new String(Character.toChars(cp)));
        }
        return new CharTokenizer(toks, " ", String.valueOf(DOC_SEPARATOR));
    }

    @Override
    public boolean decodesPerToken() {
        return true;
    }

    @Override
    public int vocabSize() {
        return tokens.size();
    }

    /** The id that starts every sequence (the document separator, a newline). */
    @Override
    public int bosId() {
        return bosId;
    }

    public int fallbackId() {
        return fallbackId;
    }

    /** Encodes any string; unknown characters become their folded form or the fallback id. */
    @Override
    public int[] encode(String text) {
        if (text == null || text.isEmpty()) {
            return new int[0];
        }
        int[] out = new int[text.codePointCount(0, text.length())];
        int i = 0;
        for (int off = 0; off < text.length(); ) {
            int cp = text.codePointAt(off);
            off += Character.charCount(cp);
            out[i++] = idOf(cp);
        }
        return out;
    }

    public String decode(int id) {
        return id >= 0 && id < tokens.size() ? tokens.get(id) : tokens.get(fallbackId);
    }

    @Override
    public String decode(int[] ids) {
        StringBuilder sb = new StringBuilder(ids.length);
        for (int id : ids) {
            sb.append(decode(id));
        }
        return sb.toString();
    }

    public boolean knows(int codePoint) {
        return ids.containsKey(codePoint);
    }

    private int idOf(int cp) {
        Integer id = ids.get(cp);
        if (id != null) {
            return id;
        }
        int folded = fold(cp);
        id = ids.get(folded);
        return id != null ? id : fallbackId;
    }

    private static int fold(int cp) {
        switch (cp) {
            case '\u2018', '\u2019', '\u201B', '\u2032' -> {
                return '\'';
            }
            case '\u201C', '\u201D', '\u201E', '\u2033' -> {
                return '"';
            }
            case '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2212' -> {
                return '-';
            }
            case '\t', '\r', '\u00A0', '\u2007', '\u202F' -> {
                return ' ';
            }
            default -> {
                // fall through to accent stripping
            }
        }
        if (!Character.isValidCodePoint(cp) || (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE)) {
            return ' ';
        }
        String decomposed = Normalizer.normalize(new String(Character.toChars(cp)), Normalizer.Form.NFD);
        return decomposed.isEmpty() ? ' ' : decomposed.codePointAt(0);
    }

    public void save(Path dir) throws IOException {
        JsonObject json = new JsonObject();
        json.addProperty("type", "char");
        json.addProperty("size", tokens.size());
        json.addProperty("fallback", tokens.get(fallbackId));
        json.addProperty("bos", tokens.get(bosId));
        JsonArray arr = new JsonArray();
        tokens.forEach(arr::add);
        json.add("tokens", arr);
        Gson gson = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
        Files.writeString(dir.resolve(VOCAB_JSON), gson.toJson(json) + "\n", StandardCharsets.UTF_8);
        StringBuilder txt = new StringBuilder();
        for (String t : tokens) {
            txt.append(t.replace("\\", "\\\\").replace("\n", "\\n")).append('\n');
        }
        Files.writeString(dir.resolve(VOCAB_TXT), txt.toString(), StandardCharsets.UTF_8);
    }

    public static CharTokenizer load(Path dir) throws IOException {
        JsonObject json = new Gson()
                .fromJson(Files.readString(dir.resolve(VOCAB_JSON), StandardCharsets.UTF_8), JsonObject.class);
        List<String> toks = new ArrayList<>();
        json.getAsJsonArray("tokens").forEach(e -> toks.add(e.getAsString()));
        return new CharTokenizer(
                toks, json.get("fallback").getAsString(), json.get("bos").getAsString());
    }
}
