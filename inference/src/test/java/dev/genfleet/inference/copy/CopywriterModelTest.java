package dev.genfleet.inference.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.genfleet.inference.TextGeneration;
import dev.genfleet.inference.TextRequest;
import dev.genfleet.inference.text.StaticCacheTextModel;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code models/copywriter/1} through the real engine with briefs it never saw in training: masks hold
 * on every row (no offer token without an offer, no unfillable merge field, no control token), masked
 * rows are batch-invariant, and its copy passes the checks on first try for most held-out briefs.
 */
class CopywriterModelTest {

    static final int BRIEFS = 32;

    static StaticCacheTextModel model;
    static BriefFormat format;
    static List<CopyBrief> briefs;

    @BeforeAll
    static void load() throws IOException {
        model = StaticCacheTextModel.load(CopywriterTokenizerTest.DIR, Device.cpu(), null);
        format = BriefFormat.of(model.config().promptFormat(), model.tokenizer());
        briefs = CopywriterTokenizerTest.heldOut().subList(0, BRIEFS);
    }

    @AfterAll
    static void close() {
        if (model != null) {
            model.close();
        }
    }

    static TextRequest request(CopyBrief b, long seed) {
        return new TextRequest(format.prompt(b, ""), 80, 0.8, 0, 0.95, List.of(), seed, format.mask(b));
    }

    @Test
    void shouldReadItsPromptFormatFromTheConfig() {
        assertEquals(BriefPrompt.FORMAT, model.config().promptFormat());
        assertEquals(model.tokenizer().idOf(BriefPrompt.END), model.tokenizer().eosId());
    }

    @Test
    void shouldKeepEveryMaskAndMostlyPassTheChecksOnFirstTry() {
        List<TextRequest> rows = new ArrayList<>();
        for (int i = 0; i < briefs.size(); i++) {
            rows.add(request(briefs.get(i), i));
        }
        List<TextGeneration> out = model.generate(rows);
        CopyChecks checks = CopyChecks.english();
        int passed = 0;
        int ended = 0;
        StringBuilder report = new StringBuilder();
        for (int i = 0; i < briefs.size(); i++) {
            CopyBrief b = briefs.get(i);
            String completion = out.get(i).text();
            for (String control : List.of(BriefPrompt.BRIEF, BriefPrompt.COPY, BriefPrompt.END)) {
                assertFalse(completion.contains(control), completion);
            }
            for (String field : MergeFields.unfillable(b)) {
                assertFalse(completion.contains(field), b + ": " + completion);
            }
            if (b.offer() == null) {
                assertFalse(
                        completion.chars().anyMatch(c -> Character.isDigit(c) || c == '%' || c == '$'),
                        "no offer, yet: " + completion);
            }
            String copy = format.copy(b, "", completion);
            assertFalse(copy.contains("{{"), copy);
            List<String> required = b.name() == null ? List.of(b.product()) : List.of(b.product(), b.name());
            CopyChecks.Result r = checks.check(copy, CopyChecks.Criteria.forBrief(b, required, true));
            passed += r.passed() ? 1 : 0;
            ended += out.get(i).finishReason().equals("stop") ? 1 : 0;
            report.append(
                    String.format(Locale.ROOT, "%s | %s | %s%n", r.passed() ? "pass" : "FAIL", copy, r.summary()));
        }
        System.out.printf(
                Locale.ROOT,
                "copywriter first-try pass %d/%d, ended by <|end|> %d/%d%n%s",
                passed,
                briefs.size(),
                ended,
                briefs.size(),
                report);
        // measured 32/32 for both when written; a retrained model must stay near that
        assertTrue(passed >= briefs.size() * 7 / 8, "first-try pass " + passed + "/" + briefs.size() + "\n" + report);
        assertTrue(ended >= briefs.size() * 7 / 8, "ended by <|end|> " + ended + "/" + briefs.size());
    }

    @Test
    void shouldGiveAMaskedBriefRowTheSameBytesAloneAndInAnyBatch() {
        List<TextRequest> rows = new ArrayList<>();
        for (int i = 0; i < model.config().slots() + 2; i++) {
            rows.add(request(briefs.get(i), 1000 + i));
        }
        List<TextGeneration> batched = model.generate(rows);
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(model.generate(List.of(rows.get(i))).get(0), batched.get(i), "row " + i);
        }
    }
}
