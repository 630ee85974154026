package dev.genfleet.inference.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.genfleet.inference.Modality;
import dev.genfleet.inference.ModelInfo;
import dev.genfleet.inference.TextGeneration;
import dev.genfleet.inference.TextRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The committed TorchScript export of copy-gpt ({@code models/copy-gpt-torchscript/1}) through the real
 * DJL PyTorch engine, against the DJL-block original ({@code models/copy-gpt/1}).
 */
class TorchScriptTextModelTest {

    static final Path VERSION_DIR = Path.of("..", "models", "copy-gpt-torchscript", "1");

    /**
     * Logit bound. The two models run the same float32 arithmetic in a different op order (DJL's
     * NDArray ops vs the scripted graph; the DJL model's decode path also reads a key/value cache), so
     * they agree to float32 rounding: logits of magnitude ~10-20 carry errors of a few 1e-6 after three
     * layers. 1e-4 is well above that and three orders of magnitude below what a wrong eps, GELU
     * approximation, scale or weight layout gives (1e-3 to 1e+1).
     */
    static final double MAX_LOGIT_DIFF = 1e-4;

    static TorchScriptTextModel model;
    static TorchScriptTextModel grouped;
    static GptTextModel original;

    @BeforeAll
    static void load() {
        assertTrue(Files.isRegularFile(VERSION_DIR.resolve("model.pt")), "committed TorchScript model missing");
        model = TorchScriptTextModel.load(VERSION_DIR, Device.cpu());
        grouped = TorchScriptTextModel.load(VERSION_DIR, Device.cpu(), 4);
        original = GptTextModel.load(GptTextModelTest.VERSION_DIR, Device.cpu());
    }

    @AfterAll
    static void close() {
        for (AutoCloseable c : new AutoCloseable[] {model, grouped, original}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static TextRequest req(
            String prompt, int max, double temp, int topK, double topP, List<String> stop, long seed) {
        return new TextRequest(prompt, max, temp, topK, topP, stop, seed);
    }

    @Test
    void shouldDescribeItselfAndUseTheCopyGptVocabulary() {
        ModelInfo info = model.info();
        assertEquals("copy-gpt-torchscript", info.id());
        assertEquals("1", info.version());
        assertEquals(Modality.TEXT, info.modality());
        assertEquals(original.info().parameters(), info.parameters(), "same weights, same count");
        assertEquals(original.config().context(), model.context());
        assertEquals(original.tokenizer().vocabSize(), model.tokenizer().vocabSize());
        assertEquals(1, model.slots(), "one row per pass on the CPU");
    }

    @Test
    void shouldMatchTheDjlModelsLogitsOnTheSameWindows() {
        // in-vocabulary text without the training corpus: the DJL model's own seeded samples
        List<TextRequest> samples = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            samples.add(new TextRequest("", 120, 0.9, 0, 1.0, List.of(), 500 + i));
        }
        StringBuilder text = new StringBuilder();
        original.generate(samples).forEach(g -> text.append(g.text()).append('\n'));
        int[] ids = original.tokenizer().encode(text.toString());
        int ctx = model.context();
        int vocab = model.tokenizer().vocabSize();
        double max = 0;
        int windows = 0;
        for (int length : new int[] {1, 2, 17, 64, 100, ctx}) {
            for (int start : new int[] {0, 333, 1501}) {
                int[] w = java.util.Arrays.copyOfRange(ids, start, start + length);
                float[] a = model.logits(w);
                float[] b = original.logits(w);
                assertEquals(length * vocab, a.length);
                assertEquals(b.length, a.length);
                for (int i = 0; i < a.length; i++) {
                    max = Math.max(max, Math.abs(a[i] - b[i]));
                }
                windows++;
            }
        }
        System.out.printf(
                Locale.ROOT, "copy-gpt-torchscript vs copy-gpt: max |logit diff| %.3e over %d windows%n", max, windows);
        assertTrue(max <= MAX_LOGIT_DIFF, "max |logit diff| " + max);
    }

    /** Ten seeded prompts: the TorchScript model writes the same text as the DJL model. */
    @Test
    void shouldGenerateTheSameTextAsCopyGpt() {
        String longPrompt = "Hi Maria, " + "every mile matters. ".repeat(8); // > context
        List<TextRequest> prompts = List.of(
                req("", 120, 0.8, 0, 0.95, List.of("\n"), 1),
                req("Hi Maria,", 160, 0.8, 0, 0.95, List.of("\n"), 2),
                req("Meet the", 160, 0.7, 20, 1.0, List.of("\n"), 3),
                req("Dear Tom,", 160, 0.0, 0, 1.0, List.of("\n"), 4),
                req("Runners,", 160, 1.0, 0, 0.9, List.of("\n"), 5),
                req("Psst, Leo!", 80, 0.9, 40, 0.8, List.of("Shop"), 6),
                req("Save", 40, 0.5, 3, 1.0, List.of(), 7),
                req("Hey Zoe!", 200, 0.8, 0, 1.0, List.of(), 8), // window restarts past the context
                req(longPrompt, 60, 0.7, 20, 0.9, List.of(), 9),
                req("Hi Omar, meet the", 100, 1.2, 0, 0.95, List.of("!", "."), 10));
        List<TextGeneration> ours = model.generate(prompts);
        List<TextGeneration> theirs = original.generate(prompts);
        int same = 0;
        for (int i = 0; i < prompts.size(); i++) {
            if (ours.get(i).equals(theirs.get(i))) {
                same++;
            } else {
                System.out.println(
                        "prompt " + i + " differs:\n  torchscript " + ours.get(i) + "\n  djl         " + theirs.get(i));
            }
        }
        System.out.printf(
                Locale.ROOT,
                "copy-gpt-torchscript vs copy-gpt: %d/%d seeded generations identical%n",
                same,
                prompts.size());
        assertEquals(prompts.size(), same, "generations that differ from copy-gpt");
    }

    @Test
    void shouldGenerateSameTextForSameSeedAloneAndInAMixedBatch() {
        String longPrompt = "Hi Maria, " + "every mile matters. ".repeat(8);
        List<TextRequest> batch = List.of(
                req("Hi Maria,", 40, 0.8, 0, 0.95, List.of(), 7),
                req("", 25, 1.0, 5, 1.0, List.of("."), 11),
                req("Meet the", 60, 0.0, 0, 1.0, List.of("!"), 3),
                req("Hi Maria,", 40, 0.8, 0, 0.95, List.of(), 7),
                req(longPrompt, 150, 0.7, 20, 0.9, List.of(), 12345),
                req("Dear Tom,", 33, 1.3, 0, 0.5, List.of("\n"), -4),
                req("Save", 10, 0.5, 3, 1.0, List.of(), 99),
                req("Psst, Leo!", 45, 0.9, 40, 0.8, List.of("Shop"), 5),
                req("Hey Zoe!", 30, 0.6, 0, 1.0, List.of(), 8));
        for (TorchScriptTextModel m : List.of(model, grouped)) {
            List<TextGeneration> batched = m.generate(batch);
            assertEquals(batch.size(), batched.size());
            for (int i = 0; i < batch.size(); i++) {
                TextGeneration alone = m.generate(List.of(batch.get(i))).get(0);
                assertEquals(alone, batched.get(i), "row " + i + " differs alone vs batched, slots " + m.slots());
            }
            assertEquals(batched.get(0), batched.get(3));
            assertEquals(150, batched.get(4).completionTokens());
            assertEquals(m.context(), batched.get(4).promptTokens(), "a long prompt keeps its last context tokens");
        }
        // and the two pass widths agree with each other
        assertEquals(model.generate(batch), grouped.generate(batch));
    }

    @Test
    void shouldHonourStopSequenceAndExcludeIt() {
        TextGeneration g = model.generate(List.of(req("Hi Maria,", 300, 0.8, 0, 0.95, List.of("."), 21)))
                .get(0);
        assertEquals("stop", g.finishReason());
        assertFalse(g.text().contains("."), g.text());
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
        assertTrue(model.generate(List.of()).isEmpty());
    }

    @Test
    void shouldNotLeakArrays() {
        model.generate(List.of(req("Hi", 5, 0.8, 0, 1.0, List.of(), 1)));
        int before = model.managedArrayCount();
        model.generate(List.of(req("Hi", 20, 0.8, 0, 1.0, List.of(), 1), req("", 140, 0.8, 0, 1.0, List.of(), 2)));
        model.logits(new int[] {1, 2, 3});
        assertEquals(before, model.managedArrayCount(), "arrays left in the module's manager");
    }

    @Test
    void shouldDifferAcrossSeedsAndBeGreedyAtTemperatureZero() {
        List<TextRequest> batch = new ArrayList<>();
        for (long seed = 1; seed <= 4; seed++) {
            batch.add(req("Hi Maria,", 60, 0.9, 0, 1.0, List.of(), seed));
        }
        assertTrue(model.generate(batch).stream()
                        .map(TextGeneration::text)
                        .distinct()
                        .count()
                >= 3);
        TextGeneration a = model.generate(List.of(req("Meet the", 50, 0.0, 0, 1.0, List.of(), 1)))
                .get(0);
        TextGeneration b = model.generate(List.of(req("Meet the", 50, 0.0, 7, 0.3, List.of(), 987654321)))
                .get(0);
        assertEquals(a, b);
    }
}
