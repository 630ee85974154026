package dev.genfleet.inference.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CopyChecksTest {

    static final CopyChecks CHECKS = CopyChecks.english();
    static final CopyBrief BRIEF =
            new CopyBrief("Nimbus Pillow", "light sleepers", "deeper sleep", null, "calm", "Søren");
    static final CopyChecks.Criteria DEFAULT =
            CopyChecks.Criteria.forBrief(BRIEF, List.of("Nimbus Pillow", "Søren"), true);

    @Test
    void shouldPassFaithfulCopy() {
        CopyChecks.Result r = CHECKS.check(
                "Hi Søren, meet Nimbus Pillow: deeper sleep for light sleepers, night after night.", DEFAULT);
        assertTrue(r.passed(), r.summary());
        assertEquals(List.of(), r.requiredMissing());
        assertEquals(List.of(), r.unstatedOffers());
        assertEquals(0.0, r.unknownWordRatio());
        assertEquals("passed", r.summary());
    }

    @Test
    void shouldFailAMissingNameProductOrAccent() {
        CopyChecks.Result r = CHECKS.check("Hi Soren, meet the pillow for light sleepers.", DEFAULT);
        assertFalse(r.passed());
        assertEquals(List.of("Nimbus Pillow", "Søren"), r.requiredMissing());
        assertTrue(r.summary().contains("required missing [Nimbus Pillow, Søren]"), r.summary());
    }

    @Test
    void shouldFailAnInventedOfferOnlyWhenOffersAreForbidden() {
        String copy = "Hi Søren, Nimbus Pillow is 20% off with code SLEEP20.";
        CopyChecks.Result r = CHECKS.check(copy, DEFAULT);
        assertFalse(r.passed());
        assertEquals(List.of("20%", "code SLEEP20"), r.unstatedOffers());
        CopyChecks.Result allowed =
                CHECKS.check(copy, CopyChecks.Criteria.forBrief(BRIEF, List.of("Nimbus Pillow", "Søren"), false));
        assertTrue(allowed.passed(), allowed.summary());
    }

    @Test
    void shouldPassAtTheUnknownWordThresholdAndFailAboveIt() {
        List<String> words = new ArrayList<>(List.of("Nimbus", "Pillow", "Søren"));
        while (words.size() < 19) {
            words.add("sleep");
        }
        words.add("zzqx"); // 1 unknown word in 20: 0.05
        String atLimit = String.join(" ", words);
        CopyChecks.Result ok = CHECKS.check(atLimit, CopyChecks.Criteria.forBrief(BRIEF, List.of(), true));
        assertEquals(0.05, ok.unknownWordRatio(), 1e-12);
        assertTrue(ok.passed(), ok.summary());
        words.set(3, "qqzx"); // 2 in 20: 0.10
        CopyChecks.Result bad =
                CHECKS.check(String.join(" ", words), CopyChecks.Criteria.forBrief(BRIEF, List.of(), true));
        assertFalse(bad.passed());
        assertEquals(List.of("qqzx", "zzqx"), bad.unknownWords());
        assertTrue(bad.summary().startsWith("unknown-word ratio 0.100 > 0.05"), bad.summary());
    }

    @Test
    void shouldTakeTheJobsOpeningAsTheClientsOwnWords() {
        String copy = "Hi Søren, Nimbus Pillow for 20% less: my Klarvo pick. Deeper sleep awaits.";
        CopyChecks.Result alone = CHECKS.check(copy, DEFAULT);
        assertEquals(List.of("20%"), alone.unstatedOffers());
        CopyChecks.Result opened = CHECKS.check(
                copy,
                CopyChecks.Criteria.forBrief(
                        BRIEF, "Hi Søren, Nimbus Pillow for 20% less: my Klarvo pick.", List.of("Søren"), true));
        assertTrue(opened.passed(), opened.summary());
    }

    @Test
    void shouldCheckAPromptOnlyJobAgainstItsPrompt() {
        CopyChecks.Criteria c =
                CopyChecks.Criteria.forPrompt("Our summer sale: 10% off Glowberry tea.", List.of("Glowberry"), true);
        assertTrue(CHECKS.check(" Glowberry tea, 10% off in our sale.", c).passed());
        CopyChecks.Result r = CHECKS.check(" Glowberry tea, 15% off and free shipping.", c);
        assertEquals(List.of("15%", "free shipping"), r.unstatedOffers());
    }

    @Test
    void shouldRankPassingFirstThenFewestFailures() {
        CopyChecks.Result pass = new CopyChecks.Result(true, List.of(), List.of(), 0.04, List.of());
        CopyChecks.Result missing = new CopyChecks.Result(false, List.of("x"), List.of(), 0.0, List.of());
        CopyChecks.Result offer = new CopyChecks.Result(false, List.of(), List.of("5%"), 0.0, List.of());
        CopyChecks.Result words = new CopyChecks.Result(false, List.of(), List.of(), 0.2, List.of());
        List<CopyChecks.Result> all = new ArrayList<>(List.of(missing, words, offer, pass));
        all.sort(CopyChecks.Result.BEST_FIRST);
        assertEquals(List.of(pass, words, offer, missing), all);
    }
}
