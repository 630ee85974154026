package dev.genfleet.inference.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WordListTest {

    @Test
    void shouldShipWamericanAndKnowEverydayCopyWords() {
        WordList english = WordList.english();
        assertTrue(english.size() > 70_000, "wamerican holds ~74k words, got " + english.size());
        String copy = "Hi there, meet the kettle you'll love: it's quick, quiet and keeps your tea warm. "
                + "Brewed for cozy mornings, it's a lightweight upgrade for every kitchen's counter.";
        assertEquals(List.of(), english.unknown(copy, Set.of()));
        assertEquals(0.0, english.unknownRatio(copy, Set.of()));
    }

    @Test
    void shouldMatchCaseInsensitivelyWithCurlyApostrophesAndPossessives() {
        WordList list = WordList.of(List.of("you're", "kettle", "warm", "long", "lasting", "ångström"));
        assertEquals(List.of(), list.unknown("YOU’RE Kettle's WARM long-lasting Ångström", Set.of()));
    }

    @Test
    void shouldCountTheBriefsWordsAsKnownAndGarbleAsUnknown() {
        WordList english = WordList.english();
        Set<String> brief = WordList.known(List.of("Nimbus Pillow", "Zoë", "Mei-Ling"));
        assertEquals(0.0, english.unknownRatio("Zoë and Mei-Ling love the Nimbus Pillow.", brief));
        assertEquals(
                List.of("Zoë", "Mei", "Ling"), english.unknown("Zoë and Mei-Ling love the Nimbus Pillow.", Set.of()));
        double garbled = english.unknownRatio("Coook and rof your gart comet waiting!", Set.of());
        assertEquals(3.0 / 7, garbled, 1e-12);
    }

    @Test
    void shouldCountOnlyLettersAsWords() {
        assertEquals(List.of("Café", "O'Neil's", "s", "x"), WordList.words("Café 2024 — O'Neil's... 100% s/x"));
        assertEquals(0.0, WordList.english().unknownRatio("2024! 100% :)", Set.of()));
    }
}
