package dev.genfleet.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Gives a {@code @QuarkusTest} a real Kafka broker: Testcontainers' Kafka where a Docker engine runs,
 * else the {@link EmbeddedKafkaBroker} (see {@link KafkaBrokers}). The broker is shared by every
 * test class of the JVM, so tests use unique ids rather than a clean broker.
 *
 * <pre>{@code @QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = false)}</pre>
 */
public class KafkaBrokerResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        String bootstrap = KafkaBrokers.bootstrapServers();
        return Map.of(
                "kafka.bootstrap.servers", bootstrap,
                "quarkus.kafka-streams.bootstrap-servers", bootstrap,
                "quarkus.kafka.devservices.enabled", "false");
    }

    @Override
    public void stop() {
        // the broker outlives a single test class; it stops with the JVM
    }
}
