package dev.genfleet.inference.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class MergeFieldsTest {

    static CopyBrief brief(String name, String offer) {
        return new CopyBrief("Nimbus Pillow", "light sleepers", "deeper sleep", offer, null, name);
    }

    @Test
    void shouldFillUnicodeNamesExactly() {
        for (String name : List.of("José", "Søren", "Mei-Ling", "Zoë", "Łucja", "明", "Ngozi Adaeze")) {
            assertEquals(
                    "Hi " + name + ", meet Nimbus Pillow: deeper sleep for light sleepers.",
                    MergeFields.fill("Hi {{name}}, meet {{product}}: {{benefit}} for {{audience}}.", brief(name, null)),
                    name);
        }
    }

    @Test
    void shouldFillEveryOccurrenceAndTheOfferWhenGiven() {
        assertEquals(
                "Nimbus Pillow! Nimbus Pillow gives 20% off today.",
                MergeFields.fill("{{product}}! {{product}} gives {{offer}}.", brief(null, "20% off today")));
        assertEquals("Use it: 20% off. Zoë", MergeFields.fill("Use it: {{offer}}. {{name}}", brief("Zoë", "20% off")));
    }

    @Test
    void shouldFillInOnePassSoAValueIsNeverFilledAgain() {
        CopyBrief odd = new CopyBrief("{{name}} Lamp", "readers", "{{offer}}", null, null, "Mei-Ling");
        assertEquals(
                "{{name}} Lamp for Mei-Ling: {{offer}}",
                MergeFields.fill("{{product}} for {{name}}: {{benefit}}", odd));
    }

    @Test
    void shouldLeaveFieldsTheBriefCannotFillAndStrayBraces() {
        assertEquals("Hi {{name}}, {{offer}}", MergeFields.fill("Hi {{name}}, {{offer}}", brief(null, null)));
        assertEquals("{{Zoë}} {{size}} {{", MergeFields.fill("{{{{name}}}} {{size}} {{", brief("Zoë", null)));
        assertEquals(List.of(MergeFields.NAME, MergeFields.OFFER), MergeFields.unfillable(brief(null, null)));
        assertEquals(List.of(), MergeFields.unfillable(brief("Zoë", "free shipping")));
    }
}
