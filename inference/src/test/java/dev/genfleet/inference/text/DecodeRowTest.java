package dev.genfleet.inference.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genfleet.inference.TextGeneration;
import dev.genfleet.inference.TextRequest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link DecodeRow} with a byte-level BPE tokenizer.json: characters split over tokens, stops, end of text. */
class DecodeRowTest {

    static final Path TOKENIZER = Path.of("..", "models", "tiny-llama-kv", "1", "tokenizer.json");

    @Test
    void shouldDecodeTheWholeCompletionAndEndAtTheEndOfTextToken() {
        try (HfTokenizer tok = HfTokenizer.load(TOKENIZER, "<|endoftext|>", "<|endoftext|>")) {
            assertEquals(2000, tok.encode("x ".repeat(1000)).length, "no truncation at 512 (the library's default)");
            int[] e = tok.encode("é");
            assertEquals(2, e.length, "é is two byte tokens");
            DecodeRow row = new DecodeRow(new TextRequest("Hi", 10, 0, 0, 1.0, List.of("!"), 1), tok, 128, false);
            assertEquals(tok.bosId(), row.token(0));
            row.accept(e[0]);
            row.accept(e[1]);
            assertFalse(row.done());
            row.accept(tok.eosId());
            assertTrue(row.done());
            assertEquals(
                    new TextGeneration("é", "stop", tok.encode("Hi").length, 3),
                    row.result(),
                    "eos ends the row, counted, no text");
        }
    }

    @Test
    void shouldFindAStopSequenceThatEndsInsideAToken() {
        try (HfTokenizer tok = HfTokenizer.load(TOKENIZER, "<|endoftext|>", "<|endoftext|>")) {
            DecodeRow row = new DecodeRow(new TextRequest("", 10, 0, 0, 1.0, List.of("ay!"), 1), tok, 128, false);
            for (int id : tok.encode(" Today! More")) {
                if (!row.done()) {
                    row.accept(id);
                }
            }
            assertEquals("stop", row.result().finishReason());
            assertEquals(" Tod", row.result().text());
        }
    }
}
