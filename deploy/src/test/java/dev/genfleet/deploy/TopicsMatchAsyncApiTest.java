package dev.genfleet.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.genfleet.schemas.TopicCatalog;
import dev.genfleet.schemas.TopicCatalog.TopicSpec;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The chart's KafkaTopics are the AsyncAPI document's topics: names, partitions, compaction, retention, configs. */
class TopicsMatchAsyncApiTest {

    static Stream<Path> examplesWithTopics() {
        return Chart.examples().stream()
                .filter(p -> !Chart.render(p).ofKind("KafkaTopic").isEmpty());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examplesWithTopics")
    void shouldRenderExactlyTheAsyncApiTopicsForTheInstalledPools(Path values) {
        Rendered rendered = Chart.render(values);
        var pools = rendered.pools().stream().map(p -> (String) p.get("name")).toList();
        int brokers = (int) Tree.num(rendered.values(), "kafka.strimzi.brokers");
        boolean ownCluster = "strimzi".equals(Tree.str(rendered.values(), "kafka.mode"));

        Map<String, String> expected = new TreeMap<>();
        for (TopicSpec spec : TopicCatalog.load().topics(pools)) {
            int replicas = ownCluster ? Math.min(spec.replicas(), brokers) : spec.replicas();
            expected.put(spec.name(), describe(spec.partitions(), replicas, spec.configs()));
        }
        Map<String, String> actual = new TreeMap<>();
        for (Map<String, Object> topic : rendered.ofKind("KafkaTopic")) {
            actual.put(
                    Tree.str(topic, "spec.topicName"),
                    describe(
                            (int) Tree.num(topic, "spec.partitions"),
                            (int) Tree.num(topic, "spec.replicas"),
                            Tree.map(topic, "spec.config")));
        }
        assertEquals(expected, actual);
    }

    @Test
    void shouldCarryTheAsyncApiBindingsPerChannelInTheDefaultValues() {
        Map<String, Object> specs = Tree.map(Chart.values(Chart.dir().resolve("values.yaml")), "topicSpecs");
        Map<String, String> expected = new TreeMap<>();
        for (TopicSpec spec : TopicCatalog.load().topics()) {
            expected.put(spec.channel(), describe(spec.partitions(), spec.replicas(), spec.configs()));
        }
        Map<String, String> actual = new TreeMap<>();
        specs.forEach((channel, spec) -> actual.put(
                channel,
                describe(
                        (int) Tree.num(spec, "partitions"),
                        (int) Tree.num(spec, "replicas"),
                        Tree.map(spec, "config"))));
        assertEquals(expected, actual);
    }

    @Test
    void shouldUseTheAsyncApiTopicNamesByDefault() {
        Map<String, Object> names = Tree.map(Chart.values(Chart.dir().resolve("values.yaml")), "topics");
        Map<String, String> byChannel = new TreeMap<>();
        for (TopicSpec spec : TopicCatalog.load().topics()) {
            byChannel.putIfAbsent(spec.channel(), spec.name());
        }
        assertEquals(byChannel.get("results"), names.get("results"));
        assertEquals(byChannel.get("audit"), names.get("audit"));
        assertEquals(byChannel.get("deadLetters"), names.get("deadLetters"));
        assertEquals(byChannel.get("control"), names.get("control"));
        assertEquals(byChannel.get("models"), names.get("models"));
        assertFalse(TopicCatalog.load().topics(java.util.List.of("p")).stream()
                .noneMatch(t -> t.name().equals(names.get("jobsPrefix") + "p.interactive")));
    }

    private static String describe(int partitions, int replicas, Map<String, ?> configs) {
        Map<String, String> sorted = new TreeMap<>();
        configs.forEach((k, v) -> sorted.put(k, String.valueOf(v)));
        return "partitions=" + partitions + " replicas=" + replicas + " " + sorted;
    }
}
