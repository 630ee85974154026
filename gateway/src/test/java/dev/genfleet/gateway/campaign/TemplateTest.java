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
        assertEquals("Hi {{product}}, meet Trail.", t.render(Map.of("first_name", "{{product}}"), Map.of("product", "Trail")).text());
        assertEquals("Hi Ada, meet Peak.", t.render(Map.of("first_name", "Ada", "product", "Peak"), Map.of("product", "Trail")).text());
    }

    @Test
    void shouldNameTheMissingVariable() {
        assertEquals("product", Template.parse("{{a}} {{product}}").render(Map.of("a", "x"), Map.of()).missing());
    }

    @Test
    void shouldRefuseEveryTagButPlainVariables() {
        for (String bad : List.of("{{#s}}x{{/s}}", "{{^s}}", "{{>partial}}", "{{{raw}}}", "{{&raw}}", "{{!c}}",
                "{{=<% %>=}}", "{{a b}}", "unclosed {{a", "{{}}")) {
            assertThrows(IllegalArgumentException.class, () -> Template.parse(bad), bad);
        }
    }
}
