package dev.genfleet.training.copywriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.genfleet.inference.copy.WordList;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class CopyCorpusTest {

    static final Path HELD_OUT_FILE = Path.of("..", "models", "copywriter", "1", "heldout-briefs.ndjson");

    @Test
    void shouldKeepEveryRuleInEveryTrainingExample() {
        for (CopyCorpus.Example e : CopyCorpus.training(5000)) {
            assertEquals(List.of(), CopyCorpus.violations(e.brief(), e.copy()), e.text());
            int words = CopyCorpus.words(e.copy());
            assertTrue(words >= 8 && words <= 40, e.copy());
            assertTrue(e.text().endsWith(CopyBrief.END), e.text());
        }
    }

    @Test
    void shouldRenderBriefV1Exactly() {
        CopyBrief b = new CopyBrief("Zoë Kettle", "busy parents", "faster mornings", null, null, "José");
        assertEquals(
                "<|brief|>product: Zoë Kettle\naudience: busy parents\nbenefit: faster mornings\noffer: none\n"
                        + "tone: friendly\nname: yes\n<|copy|>",
                b.prompt());
        assertEquals("Hi José, meet Zoë Kettle.", b.fill("Hi {{name}}, meet {{product}}."));
    }

    @Test
    void shouldWriteEveryToneWithItsOwnWords() {
        Set<String> seen = new HashSet<>();
        for (CopyCorpus.Example e : CopyCorpus.training(4000)) {
            seen.add(e.brief().tone());
        }
        assertEquals(new TreeSet<>(CopyCorpus.TONES), new TreeSet<>(seen));
    }

    @Test
    void shouldKeepHeldOutPartsOutOfTraining() {
        List<Set<String>> held = CopyCorpus.heldOutParts();
        List<Set<String>> train = CopyCorpus.trainingParts();
        for (int i = 0; i < held.size(); i++) {
            Set<String> both = new TreeSet<>(held.get(i));
            both.retainAll(train.get(i));
            assertEquals(Set.of(), both, "part " + i);
        }
        Set<String> trainingText = new HashSet<>();
        for (CopyCorpus.Example e : CopyCorpus.training(20_000)) {
            trainingText.add(e.brief().product());
        }
        for (CopyBrief b : CopyCorpus.heldOut(CopywriterTrainer.HELD_OUT_BRIEFS)) {
            assertTrue(!trainingText.contains(b.product()), b.product());
            assertTrue(held.get(2).contains(b.audience()), b.audience());
            assertTrue(held.get(3).contains(b.benefit()), b.benefit());
        }
    }

    @Test
    void shouldMixHeldOutBriefsAsDocumented() {
        List<CopyBrief> briefs = CopyCorpus.heldOut(CopywriterTrainer.HELD_OUT_BRIEFS);
        long offers = briefs.stream().filter(b -> b.offer() != null).count();
        long names = briefs.stream().filter(b -> b.name() != null).count();
        long noTone = briefs.stream().filter(b -> b.tone() == null).count();
        long unicode = briefs.stream()
                .filter(b -> (b.product() + b.name()).chars().anyMatch(c -> c > 127))
                .count();
        assertTrue(offers > 400 && offers < 600, "offers " + offers);
        assertTrue(names > 600 && names < 800, "names " + names);
        assertTrue(noTone > 80 && noTone < 250, "without tone " + noTone);
        assertTrue(unicode > 100, "briefs with letters outside ASCII " + unicode);
    }

    @Test
    void shouldMatchTheCommittedHeldOutFile() throws Exception {
        assumeTrue(Files.isRegularFile(HELD_OUT_FILE), HELD_OUT_FILE + " not written yet");
        Path tmp = Files.createTempFile("heldout", ".ndjson");
        try {
            CopywriterTrainer.writeHeldOut(tmp, CopyCorpus.heldOut(CopywriterTrainer.HELD_OUT_BRIEFS));
            assertEquals(
                    Files.readString(tmp, StandardCharsets.UTF_8),
                    Files.readString(HELD_OUT_FILE, StandardCharsets.UTF_8),
                    "heldout-briefs.ndjson drifted from CopyCorpus.heldOut: retrain or restore");
        } finally {
            Files.delete(tmp);
        }
    }

    @Test
    void shouldWriteOnlyDictionaryWords() {
        // the word list the worker's checks use (Debian's wamerican, shipped in inference/), so this holds on any
        // machine, whether or not wamerican is installed
        WordList english = WordList.english();
        Set<String> unknown = new TreeSet<>();
        for (String word : CopyCorpus.vocabulary()) {
            if (!english.knows(word, Set.of())) {
                unknown.add(word);
            }
        }
        assertEquals(Set.of(), unknown);
    }

    @Test
    void shouldFindOfferLikeText() {
        assertEquals(List.of("20", "%", "off"), CopyCorpus.offerLike("Get 20% off today."));
        assertEquals(List.of("code"), CopyCorpus.offerLike("Use code now with {{product}}."));
        assertEquals(List.of(), CopyCorpus.offerLike("Get {{offer}} with {{product}}."));
    }
}
