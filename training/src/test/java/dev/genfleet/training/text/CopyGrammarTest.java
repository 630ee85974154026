package dev.genfleet.training.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CopyGrammarTest {

    @Test
    void shouldBeDeterministicForASeedAndDifferBetweenSplits() {
        assertEquals(new CopyGrammar(5).corpus(50), new CopyGrammar(5).corpus(50));
        assertNotEquals(CopyGrammar.trainingCorpus(50), CopyGrammar.heldOutCorpus(50));
    }

    @Test
    void shouldWritePersonalisedOneLineAdsFromItsOwnVocabulary() {
        String corpus = CopyGrammar.trainingCorpus(300);
        assertTrue(corpus.contains("Hi Maria,") || corpus.contains("Dear Maria,") || corpus.contains("Hey Maria"));
        var vocabulary = CopyGrammar.vocabulary();
        for (String line : corpus.split("\n")) {
            assertTrue(line.length() > 40 && line.length() < 400, line);
            for (String w : CopyGrammar.words(line)) {
                assertTrue(vocabulary.contains(w), "'" + w + "' not in the grammar vocabulary: " + line);
            }
        }
    }
}
