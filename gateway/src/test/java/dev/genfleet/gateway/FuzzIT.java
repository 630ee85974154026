package dev.genfleet.gateway;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genfleet.gateway.api.Problem;
import dev.genfleet.testkit.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** 1,200 generated malformed or hostile requests: no answer is 5xx and every error is problem+json. */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = false)
class FuzzIT {

    static final List<String> SEEDS = List.of(
            "{\"model\":\"copy-gpt\",\"input\":{\"prompt\":\"hello\",\"max_tokens\":16,\"temperature\":0.5,\"top_k\":4,\"top_p\":0.9,\"stop\":[\"\\n\"],\"seed\":1}}",
            "{\"model\":\"banner-gan\",\"input\":{\"seed\":1,\"count\":2,\"style\":\"flat\",\"best_of\":4,\"size\":64},\"priority\":\"bulk\"}",
            "{\"name\":\"c\",\"model\":\"copy-gpt\",\"template\":{\"prompt\":\"Hi {{n}}\"},\"recipients\":[{\"custom_id\":\"a\",\"vars\":{\"n\":\"x\"}}]}",
            "{\"model\":\"copy-gpt\",\"input\":{\"brief\":{\"product\":\"Nimbus Pillow\",\"audience\":\"light sleepers\",\"benefit\":\"deeper sleep\",\"offer\":\"20% off\",\"tone\":\"calm\",\"name\":\"Zoë\"},\"require\":[\"Zoë\"],\"forbid_unstated_offers\":true,\"best_of\":4,\"quality\":\"best_effort\"}}",
            "{\"name\":\"b\",\"model\":\"copy-gpt\",\"template\":{\"brief\":{\"product\":\"{{p}}\",\"audience\":\"a\",\"benefit\":\"b\",\"name\":\"{{n}}\"}},\"input\":{\"require\":[\"{{p}}\"],\"best_of\":2},\"recipients\":[{\"custom_id\":\"a\",\"vars\":{\"n\":\"Søren\",\"p\":\"Lamp\"}}]}");
    static final String[] HOSTILE = {
        "null",
        "true",
        "-1",
        "1e999",
        "\"\"",
        "[]",
        "{}",
        "\"\\u0000\"",
        "\"\\ud800\"",
        "99999999999999999999999",
        "{\"$gt\":1}",
        "\"{{#x}}\"",
        "\"<script>\"",
        "\"../../etc/passwd\"",
        "[[[[[[[]]]]]]]",
        "\"http://169.254.169.254/\"",
        "0.1",
        "-0",
        "\"" + "A".repeat(3000) + "\""
    };

    @Test
    void shouldNeverAnswer5xxToHostileInput() {
        Random random = new Random(20261128);
        int problems = 0;
        for (int i = 0; i < 1200; i++) {
            String seed = SEEDS.get(random.nextInt(SEEDS.size()));
            String path = seed.contains("template") ? "/v1/campaigns" : "/v1/jobs";
            byte[] body = mutate(seed, random);
            String contentType = switch (random.nextInt(10)) {
                case 0 -> "application/x-ndjson";
                case 1 -> "text/plain";
                default -> "application/json";
            };
            var request = given().header("Authorization", "Bearer test-key-a")
                    .contentType(contentType)
                    .body(body);
            if (random.nextInt(8) == 0) {
                request = request.header("Idempotency-Key", "fuzz-" + random.nextInt(50));
            }
            Response r = request.post(path);
            assertTrue(
                    r.statusCode() < 500,
                    i + ": " + r.statusCode() + " for " + new String(body, StandardCharsets.UTF_8) + " -> "
                            + r.asString());
            if (r.statusCode() >= 400) {
                problems++;
                assertEquals(Problem.MEDIA_TYPE, r.contentType(), new String(body, StandardCharsets.UTF_8));
                assertTrue(r.asString().contains("\"detail\""), r.asString());
            }
        }
        assertTrue(problems > 600, "the fuzzer mostly produces bad input: " + problems);
    }

    static byte[] mutate(String seed, Random random) {
        byte[] bytes = seed.getBytes(StandardCharsets.UTF_8);
        switch (random.nextInt(7)) {
            case 0 -> { // truncate
                return java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length));
            }
            case 1 -> { // flip random bytes (bad UTF-8, broken syntax)
                for (int k = 0; k < 1 + random.nextInt(4); k++) {
                    bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                }
                return bytes;
            }
            case 2 -> { // replace a value with a hostile one
                String[] parts = seed.split(":", -1);
                int at = 1 + random.nextInt(parts.length - 1);
                String rest = parts[at];
                int end = rest.indexOf(',');
                parts[at] = HOSTILE[random.nextInt(HOSTILE.length)] + (end >= 0 ? rest.substring(end) : "}");
                return String.join(":", parts).getBytes(StandardCharsets.UTF_8);
            }
            case 3 -> { // deep nesting
                return ("[".repeat(200 + random.nextInt(2000))).getBytes(StandardCharsets.UTF_8);
            }
            case 4 -> { // random binary
                byte[] junk = new byte[random.nextInt(300)];
                random.nextBytes(junk);
                return junk;
            }
            case 5 -> { // rename a key
                return seed.replaceFirst("\"(model|input|prompt|count|template|recipients)\"", "\"x$1\"")
                        .getBytes(StandardCharsets.UTF_8);
            }
            default -> { // oversize string
                return seed.replace("hello", "h".repeat(random.nextInt(100_000)))
                        .getBytes(StandardCharsets.UTF_8);
            }
        }
    }
}
