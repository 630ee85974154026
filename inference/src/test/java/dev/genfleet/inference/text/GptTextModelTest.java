package dev.genfleet.inference.text;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genfleet.inference.Modality;
import dev.genfleet.inference.ModelInfo;
import dev.genfleet.inference.TextGeneration;
import dev.genfleet.inference.TextRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Plain JUnit tests of the committed copy-gpt weights (models/copy-gpt/1), no Quarkus. */
class GptTextModelTest {

    /** Surefire runs in worker/, the weights are committed under the repository root. */
    static final Path VERSION_DIR = Path.of("..", "models", "copy-gpt", "1");

    static GptTextModel model;

    @BeforeAll
    static void load() {
        // one intra-op thread on shared 2-core machines (ignored if the engine is already up)
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", "1");
        }
        assertTrue(Files.isRegularFile(VERSION_DIR.resolve(GptTextModel.WEIGHTS)), "committed weights missing");
        model = GptTextModel.load(VERSION_DIR);
    }

    @AfterAll
    static void close() {
        if (model != null) {
            model.close();
        }
    }

    private static TextRequest req(
            String prompt, int max, double temp, int topK, double topP, List<String> stop, long seed) {
        return new TextRequest(prompt, max, temp, topK, topP, stop, seed);
    }

    @Test
    void shouldGenerateSameTextForSameSeedAloneAndInBatch() {
        String longPrompt = "Hi Maria, " + "every mile matters. ".repeat(8); // > context: keeps its tail
        List<TextRequest> batch = List.of(
                req("Hi Maria,", 40, 0.8, 0, 0.95, List.of(), 7),
                req("", 25, 1.0, 5, 1.0, List.of("."), 11),
                req("Meet the", 60, 0.0, 0, 1.0, List.of("!"), 3),
                req("Hi Maria,", 40, 0.8, 0, 0.95, List.of(), 7),
                req(longPrompt, 150, 0.7, 20, 0.9, List.of(), 12345), // slides its window past the context
                req("Dear Tom,", 33, 1.3, 0, 0.5, List.of("\n"), -4),
                req("Save", 10, 0.5, 3, 1.0, List.of(), 99),
                req("Psst, Leo!", 45, 0.9, 40, 0.8, List.of("Shop"), 5),
                req("Hey Zoe!", 30, 0.6, 0, 1.0, List.of(), 8),
                req("Hi Maria,", 40, 0.8, 0, 0.95, List.of(), 7)); // second group of slots
        assertTrue(batch.size() > model.rowsPerStep(), "batch should span more than one group of slots");
        List<TextGeneration> batched = model.generate(batch);
        assertEquals(batch.size(), batched.size());
        for (int i = 0; i < batch.size(); i++) {
            TextGeneration alone = model.generate(List.of(batch.get(i))).get(0);
            assertEquals(alone, batched.get(i), "row " + i + " differs alone vs batched");
        }
        assertEquals(batched.get(0), batched.get(3));
        assertEquals(batched.get(0), batched.get(9));
        assertEquals(150, batched.get(4).completionTokens());
        assertEquals(model.config().context(), batched.get(4).promptTokens());
    }

    @Test
    void shouldGenerateDifferentTextForDifferentSeeds() {
        Set<String> texts = new HashSet<>();
        List<TextRequest> batch = new ArrayList<>();
        for (long seed = 1; seed <= 4; seed++) {
            batch.add(req("Hi Maria,", 60, 0.9, 0, 1.0, List.of(), seed));
        }
        model.generate(batch).forEach(g -> texts.add(g.text()));
        assertTrue(texts.size() >= 3, "seeds should give different texts: " + texts);
    }

    @Test
    void shouldHonourStopSequenceAndExcludeIt() {
        TextRequest stopped = req("Hi Maria,", 300, 0.8, 0, 0.95, List.of("."), 21);
        TextGeneration g = model.generate(List.of(stopped)).get(0);
        assertEquals("stop", g.finishReason());
        assertFalse(g.text().contains("."), g.text());
        // the same row without the stop sequence, cut at the same length, ends with the stop sequence
        TextGeneration full = model.generate(
                        List.of(req("Hi Maria,", g.completionTokens(), 0.8, 0, 0.95, List.of(), 21)))
                .get(0);
        assertEquals(g.text() + ".", full.text());
        assertEquals("length", full.finishReason());
    }

    @Test
    void shouldHonourMaxTokens() {
        TextGeneration g = model.generate(List.of(req("Hi Maria,", 17, 0.8, 0, 1.0, List.of(), 2)))
                .get(0);
        assertEquals("length", g.finishReason());
        assertEquals(17, g.completionTokens());
        assertEquals(17, g.text().codePointCount(0, g.text().length()));
        assertEquals(9, g.promptTokens());
        TextGeneration none =
                model.generate(List.of(req("Hi", 0, 0.8, 0, 1.0, List.of(), 2))).get(0);
        assertEquals(new TextGeneration("", "length", 2, 0), none);
    }

    @Test
    void shouldBeDeterministicWhenGreedy() {
        TextGeneration a = model.generate(List.of(req("Meet the", 50, 0.0, 0, 1.0, List.of(), 1)))
                .get(0);
        TextGeneration b = model.generate(List.of(req("Meet the", 50, 0.0, 0, 1.0, List.of(), 987654321)))
                .get(0);
        TextGeneration c = model.generate(List.of(req("Meet the", 50, 0.0, 7, 0.3, List.of(), 5)))
                .get(0);
        assertEquals(a, b);
        assertEquals(a, c);
    }

    @Test
    void shouldNotThrowOnUnknownCharactersInPrompt() {
        String weird = "H\u00e9llo Zo\u00eb \uD83D\uDE00 \u2014 \u2713 \u0000 \uD800 \u4e2d\u6587 \t\r";
        TextGeneration g = assertDoesNotThrow(() -> model.generate(List.of(req(weird, 20, 0.8, 0, 1.0, List.of(), 3)))
                .get(0));
        assertEquals(weird.codePointCount(0, weird.length()), g.promptTokens());
        assertEquals(20, g.completionTokens());
        CharTokenizer tok = model.tokenizer();
        assertEquals("Hello Zoe", tok.decode(tok.encode("H\u00e9llo Zo\u00eb")));
        TextGeneration nul = model.generate(List.of(new TextRequest(null, 5, 0.8, 0, 1.0, null, 1)))
                .get(0);
        assertEquals(0, nul.promptTokens());
    }

    @Test
    void shouldGenerateFromEmptyPrompt() {
        TextGeneration g =
                model.generate(List.of(req("", 40, 0.8, 0, 0.95, List.of(), 4))).get(0);
        assertEquals(0, g.promptTokens());
        assertEquals(40, g.completionTokens());
        assertFalse(g.text().isBlank());
    }

    @Test
    void shouldReportModelInfoAndNotLeakArrays() {
        ModelInfo info = model.info();
        assertEquals("copy-gpt", info.id());
        assertEquals("1", info.version());
        assertEquals(Modality.TEXT, info.modality());
        assertFalse(info.device().isBlank());
        assertTrue(info.parameters() > 100_000 && info.parameters() < 2_000_000, "parameters " + info.parameters());
        int before = model.managedArrayCount();
        model.generate(List.of(req("Hi", 20, 0.8, 0, 1.0, List.of(), 1), req("", 130, 0.8, 0, 1.0, List.of(), 2)));
        model.perplexity("Hi Maria, meet the Nimbus Pillow.\n");
        assertEquals(before, model.managedArrayCount(), "arrays left in the model's manager");
    }

    @Test
    void shouldRejectNothingForOddParameters() {
        List<TextGeneration> out = model.generate(List.of(
                req("Hi", 5, Double.NaN, -3, Double.NaN, List.of("", "zzz"), 1),
                req("Hi", 5, 1e9, 1000, 0.0, List.of(), 2),
                req("Hi", 5, -1.0, 0, 2.0, List.of(), 3)));
        out.forEach(g -> assertEquals(5, g.completionTokens()));
        assertNotEquals(null, out.get(0).text());
    }
}
