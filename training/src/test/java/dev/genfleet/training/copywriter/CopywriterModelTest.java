package dev.genfleet.training.copywriter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.genfleet.inference.TextGeneration;
import dev.genfleet.inference.TextRequest;
import dev.genfleet.inference.text.HfTokenizer;
import dev.genfleet.inference.text.StaticCacheTextModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The committed copywriter through the worker's loading path (StaticCacheTextModel, DJL's PyTorch engine). */
class CopywriterModelTest {

    static final Path VERSION_DIR = Path.of("..", "models", "copywriter", "1");

    static StaticCacheTextModel model;
    static List<CopyBrief> briefs;

    @BeforeAll
    static void load() throws Exception {
        model = StaticCacheTextModel.load(VERSION_DIR, Device.cpu(), null);
        briefs = CopywriterEvaluation.readBriefs(VERSION_DIR.resolve("heldout-briefs.ndjson"));
    }

    @AfterAll
    static void close() {
        if (model != null) {
            model.close();
        }
    }

    @Test
    void shouldDeclareTheBriefV1ContractAndItsTokens() {
        HfTokenizer tok = model.tokenizer();
        assertEquals(tok.idOf(CopyBrief.END), tok.eosId());
        for (String t : CopywriterTrainer.SPECIAL) {
            assertArrayEquals(new int[] {tok.idOf(t)}, tok.encode(t), t);
        }
        for (String t : CopyCorpus.MERGE_FIELDS) {
            assertArrayEquals(new int[] {tok.idOf(t)}, tok.encode(t), t);
        }
        for (String s : List.of("José", "Søren", "Mei-Ling", "Zoë", "Ångström", "Hi {{name}}, 20% off!\n")) {
            assertEquals(s, tok.decode(tok.encode(s)), s);
        }
        assertEquals(8, model.config().slots());
    }

    @Test
    void shouldWriteCopyWithTheProductThatEndsGreedyAndSampled() {
        List<TextRequest> reqs = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String prompt = briefs.get(i).prompt();
            reqs.add(new TextRequest(prompt, 96, 0.0, 0, 1.0, List.of(), i));
            reqs.add(new TextRequest(prompt, 96, 0.8, 0, 0.95, List.of(), i));
        }
        List<TextGeneration> gens = model.generate(reqs);
        for (int i = 0; i < reqs.size(); i++) {
            CopyBrief b = briefs.get(i / 2);
            TextGeneration g = gens.get(i);
            assertEquals("stop", g.finishReason(), "ends in <|end|>: " + g.text());
            assertTrue(g.text().contains("{{product}}"), g.text());
            assertEquals(b.name() != null, g.text().contains("{{name}}"), b + " -> " + g.text());
            assertEquals(b.offer() != null, g.text().contains("{{offer}}"), b + " -> " + g.text());
            assertEquals(List.of(), CopyCorpus.offerLike(g.text()), g.text());
        }
    }

    @Test
    void shouldPassTheRulesOnMostHeldOutBriefs() {
        CopywriterEvaluation.Figures f =
                CopywriterEvaluation.evaluate(model, briefs.subList(0, 48), "greedy", 0.0, 1.0, null);
        assertTrue(f.passed() >= 0.9, "raw pass rate " + f.passed());
        assertTrue(f.corpusWords() >= 0.98, "words in the corpus vocabulary " + f.corpusWords());
    }
}
