package dev.genfleet.inference.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genfleet.inference.TokenMask;
import dev.genfleet.inference.text.TextTokenizer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The mask's composition over a small vocabulary whose every token is a whole string. */
class BriefVocabularyTest {

    /** A vocabulary of whole strings; encode only knows strings that are one token. */
    record WholeTokens(List<String> tokens, String bos, String eos) implements TextTokenizer {
        @Override
        public int vocabSize() {
            return tokens.size();
        }

        @Override
        public int bosId() {
            return tokens.indexOf(bos);
        }

        @Override
        public int eosId() {
            return tokens.indexOf(eos);
        }

        @Override
        public int idOf(String token) {
            return tokens.indexOf(token);
        }

        @Override
        public int[] encode(String text) {
            int id = tokens.indexOf(text);
            return id >= 0 ? new int[] {id} : new int[] {-1, -1};
        }

        @Override
        public String decode(int[] ids) {
            StringBuilder b = new StringBuilder();
            for (int id : ids) {
                b.append(tokens.get(id));
            }
            return b.toString();
        }
    }

    static final List<String> VOCAB = List.of(
            "<|end|>",
            "<|brief|>",
            "<|copy|>",
            "{{name}}",
            "{{product}}",
            "{{audience}}",
            "{{benefit}}",
            "{{offer}}",
            " the",
            " sale",
            "Sale",
            " 2",
            "0",
            "%",
            "$",
            "€",
            " off",
            "\u0663",
            "Hi",
            " coupons",
            " free",
            "\n");

    static WholeTokens tokenizer() {
        return new WholeTokens(VOCAB, "<|end|>", "<|end|>");
    }

    static int id(String t) {
        return VOCAB.indexOf(t);
    }

    @Test
    void shouldBanControlTokensAndUnfillableFieldsAndWithoutAnOfferEveryOfferToken() {
        BriefVocabulary v = BriefVocabulary.of(tokenizer());
        TokenMask none = v.mask(new CopyBrief("P", "A", "B", null, null, null));
        List<String> banned = new ArrayList<>();
        for (int id : none.ids()) {
            banned.add(VOCAB.get(id));
        }
        assertEquals(
                List.of(
                        "<|brief|>",
                        "<|copy|>",
                        "{{name}}",
                        "{{offer}}",
                        " sale",
                        "Sale",
                        " 2",
                        "0",
                        "%",
                        "$",
                        "€",
                        "\u0663",
                        " coupons"),
                banned);
        assertFalse(none.bans(id("<|end|>")), "the end token must stay reachable");
        assertFalse(none.bans(id(" off")), "\" off\" alone states nothing");
        assertFalse(none.bans(id(" free")), "\" free\" alone states nothing (stress-free, feel free)");
    }

    @Test
    void shouldAllowTheNameAndOfferTokensWhenTheBriefHasThem() {
        BriefVocabulary v = BriefVocabulary.of(tokenizer());
        TokenMask full = v.mask(new CopyBrief("P", "A", "B", "20% off", "bold", "Zoë"));
        assertEquals(TokenMask.of(id("<|brief|>"), id("<|copy|>")), full);
        TokenMask nameOnly = v.mask(new CopyBrief("P", "A", "B", null, null, "Zoë"));
        assertFalse(nameOnly.bans(id("{{name}}")));
        assertTrue(nameOnly.bans(id("{{offer}}")));
        assertTrue(nameOnly.bans(id("%")));
    }

    @Test
    void shouldBanTheBeginningTokenWhenItIsNotTheEnd() {
        List<String> vocab = new ArrayList<>(VOCAB);
        vocab.add("<|bos|>");
        BriefVocabulary v = BriefVocabulary.of(new WholeTokens(vocab, "<|bos|>", "<|end|>"));
        assertTrue(v.mask(new CopyBrief("P", "A", "B", "x", null, "n")).bans(vocab.indexOf("<|bos|>")));
    }

    @Test
    void shouldRefuseATokenizerWithoutTheFormatsTokensOrWithAnotherEnd() {
        List<String> vocab = new ArrayList<>(VOCAB);
        vocab.set(id("{{offer}}"), "offer");
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> BriefVocabulary.of(new WholeTokens(vocab, "\n", "<|end|>")));
        assertTrue(e.getMessage().contains("these are not: [{{offer}}]"), e.getMessage());
        IllegalArgumentException end = assertThrows(
                IllegalArgumentException.class, () -> BriefVocabulary.of(new WholeTokens(VOCAB, "\n", "\n")));
        assertTrue(end.getMessage().contains("needs eos_token \"<|end|>\""), end.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BriefFormat.of("chat-v2", tokenizer()));
    }

    @Test
    void shouldRefuseBriefsThatWouldBreakThePromptOrLeaveAFieldUnfilled() {
        BriefFormat f = BriefFormat.of("brief-v1", tokenizer());
        CopyBrief ok = new CopyBrief("P", "A", "B", null, null, "Zoë");
        f.validate(ok, "Hi {{name}}, ");
        IllegalArgumentException control = assertThrows(
                IllegalArgumentException.class,
                () -> f.validate(new CopyBrief("P<|end|>", "A", "B", null, null, null), ""));
        assertEquals("brief.product must not contain the model's control token <|end|>", control.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> f.validate(new CopyBrief("P", "A\nB", "B", null, null, null), ""));
        IllegalArgumentException field =
                assertThrows(IllegalArgumentException.class, () -> f.validate(ok, "Use {{offer}} now"));
        assertTrue(field.getMessage().contains("{{offer}}, which the brief cannot fill"), field.getMessage());
        assertEquals("Hi Zoë, meet P.", f.copy(ok, "Hi {{name}}, ", "meet {{product}}."));
    }
}
