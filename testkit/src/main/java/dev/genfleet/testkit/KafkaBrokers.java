package dev.genfleet.testkit;

import java.util.function.Supplier;

/**
 * The one Kafka broker the tests of a JVM share. Chooses, in order: an external broker named by
 * {@code GENFLEET_TEST_KAFKA} (bootstrap address), Testcontainers' Kafka when a Docker engine
 * answers, else the {@link EmbeddedKafkaBroker}. The broker lives until the JVM exits.
 */
public final class KafkaBrokers {

    /** Environment variable naming an existing broker to test against instead of starting one. */
    public static final String EXTERNAL_BROKER_ENV = "GENFLEET_TEST_KAFKA";

    /** Kafka image for machines with Docker; same release as the embedded broker. */
    public static final String KAFKA_IMAGE = "apache/kafka:4.1.2";

    private static String bootstrap;
    private static String kind;

    private KafkaBrokers() {}

    /** Bootstrap address of the shared broker, starting it on first use. */
    public static synchronized String bootstrapServers() {
        if (bootstrap == null) {
            String external = System.getenv(EXTERNAL_BROKER_ENV);
            if (external != null && !external.isBlank()) {
                bootstrap = external.trim();
                kind = "external";
            } else if (dockerAvailable()) {
                bootstrap = startContainer();
                kind = "testcontainers";
            } else {
                EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.create().start();
                Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "embedded-kafka-stop"));
                bootstrap = broker.bootstrapServers();
                kind = "embedded";
            }
        }
        return bootstrap;
    }

    /** {@code embedded}, {@code testcontainers} or {@code external}; null before first use. */
    public static synchronized String kind() {
        return kind;
    }

    static boolean dockerAvailable() {
        return onClasspath("org.testcontainers.DockerClientFactory") && DockerProbe.available();
    }

    private static String startContainer() {
        return DockerProbe.startKafka(KAFKA_IMAGE);
    }

    private static boolean onClasspath(String className) {
        try {
            Class.forName(className, false, KafkaBrokers.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** Kept in its own class so that Testcontainers is only loaded when it is on the classpath. */
    private static final class DockerProbe {
        static boolean available() {
            Supplier<Boolean> probe =
                    () -> org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
            try {
                return probe.get();
            } catch (RuntimeException | LinkageError e) {
                return false;
            }
        }

        @SuppressWarnings("resource") // lives until the JVM exits; Testcontainers' reaper removes it
        static String startKafka(String image) {
            var container = new org.testcontainers.kafka.KafkaContainer(image);
            container.start();
            return container.getBootstrapServers();
        }
    }
}
