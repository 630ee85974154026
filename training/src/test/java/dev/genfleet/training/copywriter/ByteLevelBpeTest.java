package dev.genfleet.training.copywriter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genfleet.inference.text.HfTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The learned tokenizer, read back by DJL's Hugging Face binding (the library the worker uses). */
class ByteLevelBpeTest {

    static final List<String> SAMPLES = List.of(
            "Hi José, Søren, Mei-Ling, Zoë and Ångström!",
            "<|brief|>product: Brisé Kōri Lamp\naudience: night owls\nbenefit: all-day comfort\noffer: 20% off"
                    + " your first order\ntone: calm\nname: yes\n<|copy|>Hi {{name}}, meet {{product}}.<|end|>",
            "東京, Москва, नमस्ते 😀 \t  two  spaces\n\n",
            "{{product}}{{name}}{{offer}}{{benefit}}{{audience}} {{ product }} {{unknown}}");

    @Test
    void shouldRoundTripEveryStringAndKeepAddedTokensWhole(@TempDir Path dir) throws Exception {
        List<String> texts = new ArrayList<>();
        for (CopyCorpus.Example e : CopyCorpus.training(2000)) {
            texts.add(e.text());
        }
        ByteLevelBpe bpe = ByteLevelBpe.learn(texts, 700, CopywriterTrainer.SPECIAL, CopyCorpus.MERGE_FIELDS);
        assertEquals(700 - 256, bpe.mergeCount(), "merges");
        Path file = dir.resolve("tokenizer.json");
        bpe.write(file);
        try (HfTokenizer tok = HfTokenizer.load(file, CopyBrief.END, CopyBrief.END)) {
            assertEquals(708, tok.vocabSize());
            for (String s : SAMPLES) {
                assertEquals(s, tok.decode(tok.encode(s)), s);
            }
            for (String t : CopywriterTrainer.SPECIAL) {
                assertArrayEquals(new int[] {tok.idOf(t)}, tok.encode(t), t);
            }
            for (String t : CopyCorpus.MERGE_FIELDS) {
                assertArrayEquals(new int[] {tok.idOf(t)}, tok.encode(t), t);
                int[] ids = tok.encode("Hi " + t + ", you.");
                assertTrue(contains(ids, tok.idOf(t)), t + " inside text");
            }
            // a frequent word is one token after learning
            assertEquals(1, tok.encode("product").length);
        }
        assertTrue(Files.size(file) > 1000);
    }

    private static boolean contains(int[] ids, int id) {
        for (int i : ids) {
            if (i == id) {
                return true;
            }
        }
        return false;
    }
}
