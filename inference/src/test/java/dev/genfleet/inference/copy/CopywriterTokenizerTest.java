package dev.genfleet.inference.copy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.genfleet.inference.TokenMask;
import dev.genfleet.inference.text.HfTokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The brief-v1 pieces against {@code models/copywriter/1}'s own tokenizer and held-out briefs: the
 * format's tokens are single tokens, prompts encode as the trainer wrote them, the masks ban what they
 * promise, and the checks take none of the 1,000 held-out briefs' own words for an offer or an unknown word.
 */
class CopywriterTokenizerTest {

    static final Path DIR = Path.of("..", "models", "copywriter", "1");

    static HfTokenizer tok;
    static BriefFormat format;

    @BeforeAll
    static void load() {
        tok = HfTokenizer.load(DIR.resolve("tokenizer.json"), BriefPrompt.END, BriefPrompt.END);
        format = BriefFormat.of(BriefPrompt.FORMAT, tok);
    }

    @AfterAll
    static void close() {
        if (tok != null) {
            tok.close();
        }
    }

    static List<CopyBrief> heldOut() throws IOException {
        List<CopyBrief> out = new ArrayList<>();
        for (String line : Files.readAllLines(DIR.resolve("heldout-briefs.ndjson"), StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            JsonObject o = JsonParser.parseString(line).getAsJsonObject();
            out.add(new CopyBrief(
                    o.get("product").getAsString(),
                    o.get("audience").getAsString(),
                    o.get("benefit").getAsString(),
                    o.has("offer") ? o.get("offer").getAsString() : null,
                    o.has("tone") ? o.get("tone").getAsString() : null,
                    o.has("name") ? o.get("name").getAsString() : null));
        }
        return out;
    }

    @Test
    void shouldEncodeThePromptWithItsControlTokensAndRoundTripIt() {
        CopyBrief b = new CopyBrief("Bönix Linen Duvet", "weekend travelers", "better commutes", null, null, "Zoë");
        String prompt = format.prompt(b, "Hi {{name}}, ");
        int[] ids = tok.encode(prompt);
        assertEquals(tok.idOf(BriefPrompt.BRIEF), ids[0]);
        assertEquals(tok.idOf(MergeFields.NAME), ids[ids.length - 3], "the opening's merge field is one token");
        assertEquals(prompt, tok.decode(ids));
        int copy = tok.idOf(BriefPrompt.COPY);
        assertEquals(1, java.util.Arrays.stream(ids).filter(id -> id == copy).count());
        assertArrayEquals(new int[] {tok.idOf(MergeFields.OFFER)}, tok.encode(MergeFields.OFFER));
    }

    @Test
    void shouldMaskEveryTokenThatCouldStateAnOfferWhenTheBriefHasNone() {
        TokenMask none = format.mask(new CopyBrief("P", "A", "B", null, null, null));
        TokenMask full = format.mask(new CopyBrief("P", "A", "B", "20% off", null, "Zoë"));
        int digits = 0;
        for (int id = 0; id < tok.vocabSize(); id++) {
            String text = tok.decode(new int[] {id});
            boolean offerish = text.chars().anyMatch(c -> Character.isDigit(c) || c == '%' || c == '$');
            if (offerish) {
                digits++;
                assertTrue(none.bans(id), "token " + id + " '" + text + "' must be banned without an offer");
                assertFalse(full.bans(id), "token " + id + " '" + text + "' is allowed with an offer");
            }
        }
        assertTrue(digits > 10, "the vocabulary has digit tokens: " + digits);
        for (String t : List.of(BriefPrompt.BRIEF, BriefPrompt.COPY, MergeFields.NAME, MergeFields.OFFER)) {
            assertTrue(none.bans(tok.idOf(t)), t);
        }
        assertTrue(full.bans(tok.idOf(BriefPrompt.BRIEF)) && full.bans(tok.idOf(BriefPrompt.COPY)));
        assertFalse(full.bans(tok.idOf(MergeFields.NAME)) || full.bans(tok.idOf(MergeFields.OFFER)));
        assertFalse(none.bans(tok.idOf(BriefPrompt.END)) || full.bans(tok.idOf(BriefPrompt.END)));
        assertFalse(none.bans(tok.idOf(MergeFields.PRODUCT)));
    }

    @Test
    void shouldTakeNoHeldOutBriefsOwnWordsForAnOfferOrAnUnknownWord() throws IOException {
        List<CopyBrief> briefs = heldOut();
        assertTrue(briefs.size() >= 500, "held-out briefs: " + briefs.size());
        CopyChecks checks = CopyChecks.english();
        int names = 0;
        for (CopyBrief b : briefs) {
            String frame = (b.name() != null ? "Hi {{name}}, meet {{product}}." : "Meet {{product}}.")
                    + " It is made for {{audience}} who want {{benefit}}."
                    + (b.offer() != null ? " Right now: {{offer}}." : "");
            String copy = format.copy(b, "", frame);
            assertFalse(copy.contains("{{"), copy);
            List<String> required = b.name() == null ? List.of(b.product()) : List.of(b.product(), b.name());
            CopyChecks.Result r = checks.check(copy, CopyChecks.Criteria.forBrief(b, required, true));
            assertTrue(r.passed(), b + " -> " + copy + ": " + r.summary());
            names += b.name() != null ? 1 : 0;
            if (b.offer() != null) {
                CopyChecks.Result invented = checks.check(
                        copy + " Plus 17% off with code ZZTOP99.", CopyChecks.Criteria.forBrief(b, required, true));
                assertFalse(invented.unstatedOffers().isEmpty(), b + ": an invented offer must be caught");
            }
        }
        assertTrue(names > 0);
    }
}
