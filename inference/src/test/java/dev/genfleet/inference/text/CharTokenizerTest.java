package dev.genfleet.inference.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CharTokenizerTest {

    @Test
    void shouldRoundTripTrainingTextAndSaveAndLoad() throws Exception {
        String text = "Hi Maria, meet the Nimbus Pillow: soft, cool and 20% off today.\n".repeat(3)
                + "Omar, your Echo Headphones are waiting (free shipping on orders over $50)!\n"
                + "Zo\u00eb, S\u00f8ren and Jos\u00e9 \u2014 new arrivals, just for you.\n";
        CharTokenizer tok = CharTokenizer.fromText(text);
        assertEquals(text, tok.decode(tok.encode(text)));
        Path dir = Files.createTempDirectory("vocab");
        tok.save(dir);
        CharTokenizer loaded = CharTokenizer.load(dir);
        assertArrayEquals(tok.encode(text), loaded.encode(text));
        assertEquals(
                tok.vocabSize(),
                Files.readAllLines(dir.resolve(CharTokenizer.VOCAB_TXT)).size());
    }

    @Test
    void shouldMapUnknownCharactersToFoldedFormOrFallback() {
        CharTokenizer tok = CharTokenizer.fromText("Hello Zoe - it's \"here\".\n");
        assertEquals("Hello Zoe", tok.decode(tok.encode("H\u00e9llo Zo\u00eb")));
        assertEquals("- it's \"here\"", tok.decode(tok.encode("\u2014 it\u2019s \u201chere\u201d")));
        int[] ids = tok.encode("\uD83D\uDE00\u0000\uD800\u4e2d");
        assertEquals(4, ids.length);
        for (int id : ids) {
            assertEquals(tok.fallbackId(), id);
        }
        assertEquals(0, tok.encode(null).length);
        assertEquals(" ", tok.decode(-5));
    }
}
