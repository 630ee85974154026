package dev.genfleet.testkit;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBinding;

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

    /** Worker pools the secured broker has users for (the chart's default pools). */
    public static final List<String> SECURED_POOLS = List.of("text", "image");

    private static String bootstrap;
    private static String kind;
    private static final String SECURED_BOOTSTRAP_PROPERTY = "genfleet.testkit.secured-kafka.bootstrap";
    private static final String SECURED_DIR_PROPERTY = "genfleet.testkit.secured-kafka.dir";

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

    /**
     * The one secured broker of this JVM, started on first use: an {@link EmbeddedKafkaBroker#secured} one
     * (SASL_SSL, SCRAM-SHA-512) with a user per component, named as the chart names its KafkaUsers for the
     * release {@code genfleet} ({@link #user}), each granted exactly what the chart's {@code acls.yaml} grants
     * ({@link KafkaAcls}) on the default topic names. Always embedded, also where Docker or {@code
     * GENFLEET_TEST_KAFKA} would pick another plaintext broker.
     *
     * <p>One per JVM, not per class loader: Quarkus loads this class again for each application it starts, but
     * the JDK's SASL providers that Kafka registers are JVM-wide and keep the first loader's classes, so a
     * second secured broker from another loader could authenticate nobody. The running broker is found
     * through system properties instead of a static field.
     */
    public static SecuredKafka secured() {
        synchronized (System.getProperties()) {
            String running = System.getProperty(SECURED_BOOTSTRAP_PROPERTY);
            if (running != null) {
                return new SecuredKafka(
                        running, BrokerSecurity.open(Path.of(System.getProperty(SECURED_DIR_PROPERTY))));
            }
            EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.secured(
                            fleetUsers(), Map.of("auto.create.topics.enable", "false"))
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "secured-kafka-stop"));
            try (Admin admin = Admin.create(Map.<String, Object>copyOf(broker.adminProperties()))) {
                admin.createAcls(fleetAcls()).all().get();
            } catch (ExecutionException e) {
                broker.close();
                throw new IllegalStateException("cannot create the fleet's ACLs", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            System.setProperty(SECURED_BOOTSTRAP_PROPERTY, broker.bootstrapServers());
            System.setProperty(SECURED_DIR_PROPERTY, broker.security().dir().toString());
            return new SecuredKafka(broker.bootstrapServers(), broker.security());
        }
    }

    /**
     * The users of the fleet's components as the chart names them for release {@code genfleet}: the gateway, KEDA's,
     * the operator's (the dead-letter tool, {@code DeadLetters}) and one per worker pool of {@link #SECURED_POOLS}.
     */
    public static List<String> fleetUsers() {
        List<String> users =
                new java.util.ArrayList<>(List.of(user("gateway", null), user("keda", null), user("operator", null)));
        SECURED_POOLS.forEach(pool -> users.add(user("worker", pool)));
        return users;
    }

    /** The Kafka user of a component as the chart names it for release {@code genfleet}: {@code genfleet-worker-text}. */
    public static String user(String component, String pool) {
        return "worker".equals(component) ? "genfleet-worker-" + pool : "genfleet-" + component;
    }

    /** Every component's ACLs from {@code acls.yaml}, for the users of {@link #secured()}. */
    public static List<AclBinding> fleetAcls() {
        KafkaAcls acls = KafkaAcls.load();
        Map<String, String> topics = KafkaAcls.defaultTopics();
        List<AclBinding> all = new java.util.ArrayList<>();
        all.addAll(acls.bindings("gateway", user("gateway", null), null, SECURED_POOLS, topics));
        all.addAll(acls.bindings("keda", user("keda", null), null, SECURED_POOLS, topics));
        all.addAll(acls.bindings("operator", user("operator", null), null, SECURED_POOLS, topics));
        for (String pool : SECURED_POOLS) {
            all.addAll(acls.bindings("worker", user("worker", pool), pool, SECURED_POOLS, topics));
        }
        return all;
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
