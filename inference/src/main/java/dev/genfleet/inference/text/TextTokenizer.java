package dev.genfleet.inference.text;

/**
 * What the decode loop ({@link DecodeRow}) needs from a tokenizer: ids for a prompt, text for ids, and
 * the id every sequence starts with. {@link CharTokenizer} (copy-gpt's characters) and
 * {@link HfTokenizer} (a Hugging Face {@code tokenizer.json}) implement it.
 */
public interface TextTokenizer {

    /** Number of ids the tokenizer can produce (every id is below it). */
    int vocabSize();

    /** The id that starts every sequence. */
    int bosId();

    /** The id that ends a generation (finish reason {@code "stop"}, not part of the text), or -1. */
    default int eosId() {
        return -1;
    }

    int[] encode(String text);

    /** The id of a whole token string (e.g. an added token such as {@code <|end|>}), or -1 when none. */
    default int idOf(String token) {
        return -1;
    }

    /** The text of a whole id sequence (byte-level tokens may only make sense together). */
    String decode(int[] ids);

    /**
     * True when the text of a sequence is the concatenation of its ids' texts, so the decode loop can
     * append one token at a time instead of decoding the whole completion again.
     */
    default boolean decodesPerToken() {
        return false;
    }
}
