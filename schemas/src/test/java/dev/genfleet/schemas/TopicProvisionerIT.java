package dev.genfleet.schemas;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genfleet.testkit.KafkaBrokers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TopicProvisionerIT {

    @Test
    void shouldCreateTheDocumentsTopicsWithTheirPartitionsAndCompactionOnce() throws Exception {
        String pool = "prov-" + UUID.randomUUID().toString().substring(0, 8);
        List<TopicCatalog.TopicSpec> specs = TopicCatalog.load().topics(List.of(pool)).stream()
                .filter(t -> t.name().contains(pool) || t.name().equals(Topics.DEFAULT_RESULTS))
                .toList();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KafkaBrokers.bootstrapServers()))) {
            List<String> created = TopicProvisioner.ensure(admin, specs);
            assertTrue(created.containsAll(
                    List.of("genfleet.jobs." + pool + ".interactive", "genfleet.jobs." + pool + ".bulk")));
            for (TopicCatalog.TopicSpec spec :
                    specs.stream().filter(t -> created.contains(t.name())).toList()) {
                assertEquals(
                        spec.partitions(),
                        admin.describeTopics(List.of(spec.name()))
                                .allTopicNames()
                                .get()
                                .get(spec.name())
                                .partitions()
                                .size(),
                        spec.name());
            }
            ConfigResource results = new ConfigResource(ConfigResource.Type.TOPIC, Topics.DEFAULT_RESULTS);
            Config config = admin.describeConfigs(List.of(results)).all().get().get(results);
            assertEquals("compact", config.get("cleanup.policy").value());

            assertEquals(List.of(), TopicProvisioner.ensure(admin, specs), "a second run creates nothing");
        }
    }

    @Test
    void shouldProvisionAPoolAndMeasureItsLagFromAClientPropertiesFileAsTheLocalFleetDoes(@TempDir Path dir)
            throws Exception {
        String pool = "props-" + UUID.randomUUID().toString().substring(0, 8);
        Path file = dir.resolve("kafka.properties");
        Files.writeString(file, "bootstrap.servers=" + KafkaBrokers.bootstrapServers() + "\n");

        TopicProvisioner.main(new String[] {file.toString(), pool});

        try (Admin admin = Admin.create(KafkaClientProperties.load(file))) {
            List<String> jobTopics =
                    List.of("genfleet.jobs." + pool + ".interactive", "genfleet.jobs." + pool + ".bulk");
            // created topics reach the broker's metadata cache a moment after the controller answered
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertTrue(
                            admin.listTopics().names().get().containsAll(jobTopics), "created by main: " + jobTopics));
            List<FleetLag.Lag> lags = FleetLag.measure(admin, Topics.defaults(), List.of(pool));
            assertEquals(2, lags.size(), "one line per priority: " + lags);
            assertTrue(lags.stream().allMatch(l -> l.end() == 0 && l.lag() == 0), lags.toString());
        }
    }
}
