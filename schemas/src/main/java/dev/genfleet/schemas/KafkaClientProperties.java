package dev.genfleet.schemas;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The one source of connection and security settings for genfleet's own Kafka tools ({@link TopicProvisioner},
 * {@link FleetLag}, the dead-letter tool, the benchmark): a Kafka client properties file, the same format the
 * Kafka CLI tools take with {@code --command-config}. {@code ./genfleet} writes one per fleet
 * ({@code .genfleet/kafka.properties} with {@code bootstrap.servers} alone on a plaintext broker, the admin's
 * {@code .genfleet/secure/admin.properties} with SASL_SSL, SCRAM and the truststore on a secured one) and
 * exports its path as {@code GENFLEET_KAFKA_CONFIG}; in a cluster, mount the component's client file. A tool
 * never builds a client from a bootstrap address alone, so a secured broker needs no other code path.
 */
public final class KafkaClientProperties {

    private KafkaClientProperties() {}

    /**
     * The client settings in {@code file}, with {@code defaults} under them (a setting in the file wins).
     *
     * @throws IllegalArgumentException if the file is missing, unreadable or names no {@code bootstrap.servers}
     */
    public static Map<String, Object> load(Path file, Map<String, Object> defaults) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("Kafka client properties file " + file
                    + " does not exist (./genfleet up writes one and exports its path as GENFLEET_KAFKA_CONFIG)");
        }
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            properties.load(in);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read Kafka client properties file " + file + ": " + e, e);
        }
        if (properties.getProperty("bootstrap.servers", "").isBlank()) {
            throw new IllegalArgumentException("Kafka client properties file " + file + " names no bootstrap.servers");
        }
        Map<String, Object> config = new HashMap<>(defaults);
        properties.stringPropertyNames().forEach(k -> config.put(k, properties.getProperty(k)));
        return config;
    }

    /** {@link #load(Path, Map)} with nothing underneath. */
    public static Map<String, Object> load(Path file) {
        return load(file, Map.of());
    }
}
