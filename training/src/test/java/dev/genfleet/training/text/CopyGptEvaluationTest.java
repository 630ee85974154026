package dev.genfleet.training.text;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genfleet.inference.TextGeneration;
import dev.genfleet.inference.TextRequest;
import dev.genfleet.inference.text.GptTextModel;
import dev.genfleet.inference.text.TextMetrics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The committed copy-gpt weights against the corpus they were trained on (CopyGrammar). */
class CopyGptEvaluationTest {

    static final Path VERSION_DIR = Path.of("..", "models", "copy-gpt", "1");

    static GptTextModel model;

    @BeforeAll
    static void load() {
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
    void shouldHaveHeldOutPerplexityWellBelowUnigramBaseline() {
        String heldOut = CopyGrammar.heldOutCorpus(25);
        String train = CopyGrammar.trainingCorpus(TextTrainer.TRAIN_ADS);
        double ppl = model.perplexity(heldOut);
        double unigram = TextMetrics.unigramPerplexity(model.tokenizer(), train, heldOut);
        assertTrue(unigram > 10, "unigram baseline " + unigram);
        assertTrue(ppl < unigram / 4, "perplexity " + ppl + " vs unigram " + unigram);
    }

    @Test
    void shouldMostlyUseWordsFromTheGrammarVocabulary() {
        Set<String> vocabulary = CopyGrammar.vocabulary();
        List<TextRequest> batch = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            batch.add(req(i % 2 == 0 ? "" : "Hi " + CopyGrammar.NAMES[i] + ",", 120, 0.8, 0, 0.95, List.of("\n"), i));
        }
        int words = 0;
        int known = 0;
        for (TextGeneration g : model.generate(batch)) {
            for (String w : CopyGrammar.words(g.text())) {
                words++;
                known += vocabulary.contains(w) ? 1 : 0;
            }
        }
        assertTrue(words > 100, "too few words: " + words);
        assertTrue(known >= 0.9 * words, known + " of " + words + " words are in the grammar");
    }
}
