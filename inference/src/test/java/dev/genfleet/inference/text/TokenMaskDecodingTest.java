package dev.genfleet.inference.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.genfleet.inference.TextGeneration;
import dev.genfleet.inference.TextRequest;
import dev.genfleet.inference.TokenMask;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Per-row token masks through the real decode loop of {@code models/copy-gpt-kv/1} (TorchScript): a
 * banned token is never sampled, greedy or sampled, alone or batched, and a masked row is batch-invariant.
 */
class TokenMaskDecodingTest {

    static StaticCacheTextModel model;
    static HfTokenizer tok;

    @BeforeAll
    static void load() {
        model = StaticCacheTextModel.load(
                StaticCacheTextModelTest.COPY_GPT_KV, Device.cpu(), StaticCacheConfig.TORCHSCRIPT);
        tok = model.tokenizer();
    }

    @AfterAll
    static void close() {
        if (model != null) {
            model.close();
        }
    }

    /** Every id whose text holds one of {@code chars} (byte-fallback tokens included). */
    static TokenMask banning(String chars) {
        List<Integer> ids = new ArrayList<>();
        for (int id = 0; id < tok.vocabSize(); id++) {
            String text = tok.decode(new int[] {id});
            if (text.chars().anyMatch(c -> chars.indexOf(c) >= 0)) {
                ids.add(id);
            }
        }
        return TokenMask.of(ids);
    }

    static TextRequest row(String prompt, int max, double temperature, long seed, TokenMask mask) {
        return new TextRequest(prompt, max, temperature, 0, 1.0, List.of(), seed, mask);
    }

    static IntPredicate in(String chars) {
        return c -> chars.indexOf(c) >= 0;
    }

    @Test
    void shouldNeverPickABannedTokenGreedy() {
        String prompt = "Hi Maria, meet the ";
        String plain =
                model.generate(List.of(row(prompt, 60, 0, 1, null))).get(0).text();
        assertTrue(plain.chars().anyMatch(in("e")), "the unmasked greedy text uses 'e': " + plain);
        TokenMask mask = banning("e0123456789%$");
        TextGeneration masked =
                model.generate(List.of(row(prompt, 60, 0, 1, mask))).get(0);
        assertFalse(masked.text().chars().anyMatch(in("e0123456789%$")), masked.text());
        assertEquals(60, masked.completionTokens());
        assertNotEquals(plain, masked.text());
    }

    @Test
    void shouldNeverPickABannedTokenSampled() {
        TokenMask mask = banning("eao .");
        List<TextRequest> rows = new ArrayList<>();
        for (long seed = 0; seed < 12; seed++) {
            rows.add(new TextRequest("Our new ", 50, 1.2, seed % 3 == 0 ? 5 : 0, 0.95, List.of(), seed, mask));
        }
        for (TextGeneration g : model.generate(rows)) {
            assertFalse(g.text().chars().anyMatch(in("eao .")), g.text());
            assertEquals(50, g.completionTokens());
        }
    }

    @Test
    void shouldGiveAMaskedRowTheSameBytesAloneAndInAnyBatch() {
        List<TextRequest> rows = new ArrayList<>();
        for (int i = 0; i < 10; i++) { // two groups of 8 slots, masked and unmasked rows side by side
            TokenMask mask = i % 2 == 0 ? banning(i % 4 == 0 ? "e" : "s ") : TokenMask.none();
            rows.add(row(i % 3 == 0 ? "Hi Maria, " : "Dear Lee, ", 40 + i, i % 5 == 0 ? 0 : 0.9, 100 + i, mask));
        }
        List<TextGeneration> batched = model.generate(rows);
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(model.generate(List.of(rows.get(i))).get(0), batched.get(i), "row " + i);
        }
    }

    @Test
    void shouldLeaveAGreedyRowAsItWasWhenTheMaskBansNothingItPicks() {
        String plain = model.generate(List.of(row("Hi Maria, ", 40, 0, 1, null)))
                .get(0)
                .text();
        String unused = "QXZ";
        assertFalse(plain.chars().anyMatch(in(unused)));
        assertEquals(
                plain,
                model.generate(List.of(row("Hi Maria, ", 40, 0, 1, banning(unused))))
                        .get(0)
                        .text());
    }

    @Test
    void shouldMaskCopyGptTooSinceEveryFamilySamplesThroughDecodeRow() {
        try (GptTextModel gpt = GptTextModel.load(GptTextModelTest.VERSION_DIR, Device.cpu())) {
            CharTokenizer chars = gpt.tokenizer();
            List<Integer> ids = new ArrayList<>();
            for (int id = 0; id < chars.vocabSize(); id++) {
                if (chars.decode(new int[] {id}).chars().anyMatch(in("eo%$0123456789"))) {
                    ids.add(id);
                }
            }
            TokenMask mask = TokenMask.of(ids);
            List<TextRequest> rows = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                rows.add(row("Hi Maria, ", 30, i == 0 ? 0 : 0.9, i, i % 2 == 0 ? mask : TokenMask.none()));
            }
            List<TextGeneration> batched = gpt.generate(rows);
            for (int i = 0; i < rows.size(); i++) {
                assertEquals(gpt.generate(List.of(rows.get(i))).get(0), batched.get(i), "row " + i);
                if (i % 2 == 0) {
                    assertFalse(
                            batched.get(i).text().chars().anyMatch(in("eo%$0123456789")),
                            batched.get(i).text());
                }
            }
        }
    }

    @Test
    void shouldSamplerHonourTheMaskOnRandomLogits() {
        SplittableRandom r = new SplittableRandom(3);
        int vocab = 50;
        for (int trial = 0; trial < 2000; trial++) {
            float[] logits = new float[vocab];
            for (int i = 0; i < vocab; i++) {
                logits[i] = (float) (r.nextGaussian() * 3);
            }
            int best = Sampler.argmax(logits, 0, vocab);
            TokenMask mask = TokenMask.of(best, (best + 1) % vocab, trial % vocab);
            double temperature = trial % 4 == 0 ? 0 : 1.5;
            int topK = trial % 3 == 0 ? 2 : 0;
            int id = Sampler.sample(logits, 0, vocab, temperature, topK, 0.9, new SplittableRandom(trial), mask);
            assertFalse(mask.bans(id), "trial " + trial);
            assertEquals(
                    Sampler.sample(logits, 0, vocab, temperature, topK, 0.9, new SplittableRandom(trial)),
                    Sampler.sample(
                            logits, 0, vocab, temperature, topK, 0.9, new SplittableRandom(trial), TokenMask.none()),
                    "no mask is the unmasked path");
        }
        float[] flat = new float[4];
        assertThrows(
                IllegalStateException.class,
                () -> Sampler.sample(flat, 0, 4, 0, 0, 1, new SplittableRandom(1), TokenMask.of(0, 1, 2, 3)));
    }
}
