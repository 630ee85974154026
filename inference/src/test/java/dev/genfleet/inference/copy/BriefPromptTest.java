package dev.genfleet.inference.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BriefPromptTest {

    @Test
    void shouldRenderTheBriefByteForByteWithDefaultsAndWithoutTheName() {
        CopyBrief brief = new CopyBrief("Nimbus Pillow", "light sleepers", "deeper sleep", null, null, "Søren");
        String expected = "<|brief|>product: Nimbus Pillow\n"
                + "audience: light sleepers\n"
                + "benefit: deeper sleep\n"
                + "offer: none\n"
                + "tone: friendly\n"
                + "name: yes\n"
                + "<|copy|>";
        String prompt = BriefPrompt.render(brief);
        assertEquals(expected, prompt);
        assertEquals(-1, prompt.indexOf("Søren"), "the recipient's name never reaches the model");
    }

    @Test
    void shouldRenderTheOfferToneAndAbsentNameAsGiven() {
        CopyBrief brief = new CopyBrief(
                "Café Grinder Zoë 2", "home baristas", "a finer grind", "20% off your first order", "bold", null);
        byte[] expected = ("<|brief|>product: Café Grinder Zoë 2\n"
                        + "audience: home baristas\n"
                        + "benefit: a finer grind\n"
                        + "offer: 20% off your first order\n"
                        + "tone: bold\n"
                        + "name: no\n"
                        + "<|copy|>")
                .getBytes(StandardCharsets.UTF_8);
        assertEquals(new String(expected, StandardCharsets.UTF_8), BriefPrompt.render(brief), "UTF-8 bytes as written");
    }

    @Test
    void shouldAppendAFreePromptAsTheOpeningOfTheCopy() {
        CopyBrief brief = new CopyBrief("Nimbus Pillow", "light sleepers", "deeper sleep", null, null, "José");
        assertEquals(BriefPrompt.render(brief) + "Hi {{name}}, ", BriefPrompt.render(brief, "Hi {{name}}, "));
        assertEquals(BriefPrompt.render(brief), BriefPrompt.render(brief, ""));
        assertEquals(BriefPrompt.render(brief), BriefPrompt.render(brief, null));
    }
}
