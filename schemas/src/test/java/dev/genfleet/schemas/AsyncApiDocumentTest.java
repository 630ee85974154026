package dev.genfleet.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The AsyncAPI document is valid AsyncAPI 3.0 and names exactly the topics and payloads the code uses. */
class AsyncApiDocumentTest {

    private static final Path DOCUMENT = Path.of("src/main/resources", TopicCatalog.ASYNCAPI_RESOURCE);
    private static final Path PARSER_DIR = Path.of("src/test/asyncapi");

    private final TopicCatalog catalog = TopicCatalog.load();

    @Test
    void shouldBeValidForTheReferenceAsyncApiParser() throws Exception {
        assertTrue(
                Files.isDirectory(PARSER_DIR.resolve("node_modules/@asyncapi/parser")),
                "run `npm ci` in schemas/src/test/asyncapi (the Maven build does it in generate-test-resources)");
        Process process = new ProcessBuilder(
                        "node", "validate.mjs", DOCUMENT.toAbsolutePath().toString())
                .directory(PARSER_DIR.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "parser did not finish");
        assertEquals(0, process.exitValue(), "AsyncAPI parser reported errors:\n" + output);
        assertTrue(output.contains("\"valid\":true"), output);
    }

    @Test
    void shouldNameExactlyTheTopicsTheCodeUses() {
        Set<String> documented = catalog.topics(Topics.DEFAULT_POOLS).stream()
                .map(TopicCatalog.TopicSpec::name)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> used = new TreeSet<>(Topics.defaults().all(Topics.DEFAULT_POOLS));
        assertEquals(used, documented);
        assertEquals(Topics.DEFAULT_POOLS, catalog.pools());
    }

    @Test
    void shouldReferenceTheSchemaOfEveryPayloadAndNothingElse() {
        Set<String> referenced = new HashSet<>();
        catalog.document()
                .path("components")
                .path("messages")
                .forEach(m ->
                        referenced.add(Path.of(m.path("payload").path("$ref").asText())
                                .getFileName()
                                .toString()));
        Set<String> shipped = new HashSet<>();
        for (EventType type : EventType.values()) {
            shipped.add(type.schemaFile());
        }
        assertEquals(shipped, referenced);
    }

    @Test
    void shouldCompactResultsAndModelsAndKeepBindingsConsistent() {
        Map<String, TopicCatalog.TopicSpec> byName =
                catalog.topics().stream().collect(Collectors.toMap(TopicCatalog.TopicSpec::name, t -> t));
        assertTrue(byName.get(Topics.DEFAULT_RESULTS).compacted());
        assertTrue(byName.get(Topics.DEFAULT_MODELS).compacted());
        assertTrue(!byName.get(Topics.DEFAULT_AUDIT).compacted(), "audit is append-only");
        for (TopicCatalog.TopicSpec spec : byName.values()) {
            assertTrue(spec.partitions() >= 1, spec.name());
            assertTrue(spec.configs().containsKey("retention.ms"), spec.name() + " needs a retention");
        }
        catalog.document().path("channels").fields().forEachRemaining(e -> {
            JsonNode channel = e.getValue();
            assertEquals(
                    channel.path("address").asText(),
                    channel.path("bindings").path("kafka").path("topic").asText(),
                    e.getKey() + ": binding topic differs from address");
        });
    }

    @Test
    void shouldGiveEachPayloadTypeAMessageTitledWithItsCloudEventsType() throws IOException {
        List<String> titles =
                catalog.document().path("components").path("messages").findValuesAsText("title");
        for (String title : titles) {
            assertTrue(title.startsWith(EventType.TYPE_PREFIX) && title.endsWith(".v1"), title);
        }
        assertEquals(EventType.values().length, titles.size());
    }
}
