package dev.genfleet.gateway.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.genfleet.gateway.api.contract.ImageJobInput;
import dev.genfleet.gateway.api.contract.TextJobInput;
import dev.genfleet.gateway.submit.Fields;
import dev.genfleet.gateway.submit.JobParser;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.Test;

/**
 * The request records of {@code api/contract} state the bounds that {@code /q/openapi} publishes as Bean Validation
 * constraints; {@code submit/JobParser} enforces them (with the messages clients know, every offending field at
 * once, unknown members refused). Here both judge the same inputs at and beyond every bound and must name the same
 * fields, so the published contract and the enforced one cannot drift apart. Rules across fields (a prompt or a
 * brief; an image's best_of at least its count) are the parser's alone.
 */
class RequestContractTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Validator VALIDATOR = Validation.byDefaultProvider()
            .configure()
            .messageInterpolator(new ParameterMessageInterpolator())
            .buildValidatorFactory()
            .getValidator();

    private static final String X200 = "x".repeat(200);
    private static final String X201 = "x".repeat(201);

    @Test
    void shouldBoundATextInputAsTheParserDoes() throws Exception {
        List<String> inputs = List.of(
                "{}",
                "{\"max_tokens\":0}",
                "{\"max_tokens\":1}",
                "{\"max_tokens\":4096}",
                "{\"max_tokens\":4097}",
                "{\"temperature\":-0.1}",
                "{\"temperature\":0}",
                "{\"temperature\":5}",
                "{\"temperature\":5.01}",
                "{\"top_k\":-1}",
                "{\"top_k\":100000}",
                "{\"top_k\":100001}",
                "{\"top_p\":1.0}",
                "{\"top_p\":1.01}",
                "{\"stop\":[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",\"h\"]}",
                "{\"stop\":[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",\"h\",\"i\"]}",
                "{\"stop\":[\"\"]}",
                "{\"stop\":[\"" + X200 + "\"]}",
                "{\"stop\":[\"" + X201 + "\"]}",
                "{\"best_of\":0}",
                "{\"best_of\":16}",
                "{\"best_of\":17}",
                "{\"quality\":\"strict\"}",
                "{\"quality\":\"best_effort\"}",
                "{\"quality\":\"lax\"}",
                "{\"seed\":-5}",
                "{\"forbid_unstated_offers\":false}",
                "{\"require\":[]}",
                "{\"require\":" + strings(16) + "}",
                "{\"require\":" + strings(17) + "}",
                "{\"require\":[\"\"]}",
                "{\"require\":[\" \"]}",
                "{\"require\":[\"a\\nb\"]}",
                "{\"require\":[\"tab\\there\"]}",
                "{\"require\":[\"" + X200 + "\"]}",
                "{\"require\":[\"" + X201 + "\"]}",
                "{\"require\":[\"Søren\",\"Mei-Ling\"]}",
                "{\"brief\":{\"product\":\"Pillow\",\"audience\":\"sleepers\",\"benefit\":\"sleep\"}}",
                "{\"brief\":{\"product\":\"Pillow\",\"audience\":\"sleepers\"}}",
                "{\"brief\":{\"product\":\"Pillow\",\"audience\":\"sleepers\",\"benefit\":\"sleep\",\"name\":\"\"}}",
                "{\"brief\":{\"product\":\"Pillow\",\"audience\":\"sleepers\",\"benefit\":\"sleep\",\"name\":\"\\t\"}}",
                "{\"brief\":{\"product\":\"Pillow\",\"audience\":\"sleepers\",\"benefit\":\"sleep\",\"name\":\"  \"}}",
                "{\"brief\":{\"product\":\"Pillow\",\"audience\":\"sleepers\",\"benefit\":\"sleep\",\"name\":\"Zoë\"}}",
                "{\"brief\":{\"product\":\"" + X200 + "\",\"audience\":\"a\",\"benefit\":\"b\",\"tone\":\"" + X201
                        + "\"}}");
        for (String input : inputs) {
            JsonNode node = JSON.readTree(input);
            Fields f = new Fields();
            JobParser.text("p", null, null, node, f, "input.", 0L);
            JobParser.require(node, f, "input.");
            if (node.has("brief")) {
                JobParser.brief(node.get("brief"), f, "input.brief.");
            }
            assertEquals(
                    refused(f), violated(JSON.treeToValue(node, TextJobInput.class)), "the fields refused in " + input);
        }
    }

    @Test
    void shouldBoundAnImageInputAsTheParserDoes() throws Exception {
        List<String> inputs = List.of(
                "{}",
                "{\"count\":0}",
                "{\"count\":16,\"best_of\":16}",
                "{\"count\":17}",
                "{\"best_of\":64}",
                "{\"best_of\":65}",
                "{\"size\":7}",
                "{\"size\":8}",
                "{\"size\":1024}",
                "{\"size\":1025}",
                "{\"style\":\"\"}",
                "{\"style\":\"" + "s".repeat(100) + "\"}",
                "{\"style\":\"" + "s".repeat(101) + "\"}",
                "{\"seed\":7}");
        for (String input : inputs) {
            JsonNode node = JSON.readTree(input);
            Fields f = new Fields();
            JobParser.image(node, f, 0L);
            assertEquals(
                    refused(f),
                    violated(JSON.treeToValue(node, ImageJobInput.class)),
                    "the fields refused in " + input);
        }
    }

    private static String strings(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add("\"r" + i + "\"");
        }
        return "[" + String.join(",", out) + "]";
    }

    /** The parser's offending fields, without {@code input.} and item indexes: {@code require}, {@code brief.name}. */
    private static Set<String> refused(Fields f) {
        return f.errors().stream()
                .map(e -> e.field().replaceFirst("^input\\.", "").replaceAll("\\[\\d+]", ""))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The record's violated properties, named as in JSON: {@code best_of}, {@code brief.name}. */
    private static Set<String> violated(Object record) {
        Set<String> out = new TreeSet<>();
        for (ConstraintViolation<Object> v : VALIDATOR.validate(record)) {
            List<String> names = new ArrayList<>();
            for (Path.Node n : v.getPropertyPath()) {
                if (n.getName() != null && !n.getName().startsWith("<")) {
                    names.add(n.getName().replaceAll("([A-Z])", "_$1").toLowerCase(java.util.Locale.ROOT));
                }
            }
            out.add(String.join(".", names));
        }
        return out;
    }
}
