package dev.genfleet.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The topics of the AsyncAPI document ({@code genfleet/asyncapi.yaml} on the classpath) with their
 * Kafka bindings, so that whoever creates topics (local mode, the Helm chart's tests) takes
 * partitions, retention and compaction from the one document.
 */
public final class TopicCatalog {

    /** Classpath location of the AsyncAPI document. */
    public static final String ASYNCAPI_RESOURCE = "genfleet/asyncapi.yaml";

    /**
     * One concrete topic.
     *
     * @param channel the AsyncAPI channel id
     * @param configs Kafka topic configs ({@code cleanup.policy}, {@code retention.ms}, …)
     */
    public record TopicSpec(String channel, String name, int partitions, int replicas, Map<String, String> configs) {

        public boolean compacted() {
            return configs.getOrDefault("cleanup.policy", "delete").contains("compact");
        }
    }

    private final JsonNode document;

    private TopicCatalog(JsonNode document) {
        this.document = document;
    }

    public static TopicCatalog load() {
        try (InputStream in = TopicCatalog.class.getClassLoader().getResourceAsStream(ASYNCAPI_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(ASYNCAPI_RESOURCE + " is not on the classpath");
            }
            return new TopicCatalog(new ObjectMapper(new YAMLFactory()).readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The raw document, for checks that need more than topics. */
    public JsonNode document() {
        return document;
    }

    /** Pool names the document allows for the {@code {pool}} parameter of the jobs channels. */
    public List<String> pools() {
        List<String> pools = new ArrayList<>();
        document.path("channels")
                .path("jobsInteractive")
                .path("parameters")
                .path("pool")
                .path("enum")
                .forEach(p -> pools.add(p.asText()));
        return pools;
    }

    /** Every topic the document names, with {@code {pool}} expanded over {@code pools}. */
    public List<TopicSpec> topics(Collection<String> pools) {
        List<TopicSpec> topics = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> channels =
                document.path("channels").fields();
        while (channels.hasNext()) {
            Map.Entry<String, JsonNode> channel = channels.next();
            JsonNode kafka = channel.getValue().path("bindings").path("kafka");
            Map<String, String> configs = new LinkedHashMap<>();
            kafka.path("topicConfiguration")
                    .fields()
                    .forEachRemaining(e -> configs.put(
                            e.getKey(),
                            e.getValue().isArray()
                                    ? join(e.getValue())
                                    : e.getValue().asText()));
            String address = channel.getValue().path("address").asText();
            List<String> names = address.contains("{pool}")
                    ? pools.stream().map(p -> address.replace("{pool}", p)).toList()
                    : List.of(address);
            for (String name : names) {
                topics.add(new TopicSpec(
                        channel.getKey(),
                        name,
                        kafka.path("partitions").asInt(1),
                        kafka.path("replicas").asInt(1),
                        Map.copyOf(configs)));
            }
        }
        return topics;
    }

    /** As {@link #topics(Collection)} over the document's own pools. */
    public List<TopicSpec> topics() {
        return topics(pools());
    }

    private static String join(JsonNode array) {
        List<String> parts = new ArrayList<>();
        array.forEach(v -> parts.add(v.asText()));
        return String.join(",", parts);
    }
}
