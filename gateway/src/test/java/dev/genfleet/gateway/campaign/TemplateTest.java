package dev.genfleet.gateway.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateTest {

    @Test
    void shouldInsertValuesVerbatimAndNeverRenderThemAgain() {
        Template t = Template.parse("Hi {{ first_name }}, meet {{product}}.");
        assertEquals(List.of("first_name", "product"), t.variables());
        assertEquals(
                "Hi {{product}}, meet Trail.",
                t.render(Map.of("first_name", "{{product}}"), Map.of("product", "Trail"))
                        .text());
        assertEquals(
                "Hi Ada, meet Peak.",
                t.render(Map.of("first_name", "Ada", "product", "Peak"), Map.of("product", "Trail"))
                        .text());
    }

    @Test
    void shouldNeitherEscapeHtmlNorSplitDottedNames() {
        Template t = Template.parse("{{user.name}} <{{tag}}> & {{ tag }}\nline two");
        assertEquals(List.of("user.name", "tag"), t.variables());
        assertEquals(
                "Ann & Bo <<b>\"x\"</b>> & <b>\"x\"</b>\nline two",
                t.render(Map.of("user.name", "Ann & Bo", "tag", "<b>\"x\"</b>"), Map.of())
                        .text());
    }

    @Test
    void shouldNameTheMissingVariable() {
        assertEquals(
                "product",
                Template.parse("{{a}} {{product}}")
                        .render(Map.of("a", "x"), Map.of())
                        .missing());
    }

    @Test
    void shouldRefuseEveryTagButPlainVariables() {
        for (String bad : List.of(
                "{{#s}}x{{/s}}",
                "{{^s}}",
                "{{>partial}}",
                "{{{raw}}}",
                "{{&raw}}",
                "{{!c}}",
                "{{=<% %>=}}",
                "{{a b}}",
                "unclosed {{a",
                "{{}}",
                "{{<parent}}{{/parent}}",
                "{{$block}}x{{/block}}",
                "{{%IMPLICIT-ITERATOR}}")) {
            assertThrows(IllegalArgumentException.class, () -> Template.parse(bad), bad);
        }
    }

    @Test
    void shouldOnlyEverRefuseWithAReasonOnHostileTemplates() {
        java.util.Random random = new java.util.Random(42);
        String alphabet = "{{}}{}#^/&!=<>$%. ab\n\\";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder();
            for (int n = random.nextInt(24); n > 0; n--) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String source = sb.toString();
            try {
                Template t = Template.parse(source);
                t.render(Map.of("a", "{{b}}"), Map.of("b", "x", "ab", "y", "a.b", "z"));
            } catch (IllegalArgumentException expected) {
                org.junit.jupiter.api.Assertions.assertNotNull(expected.getMessage(), source);
            }
        }
    }
}
