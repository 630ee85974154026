package dev.genfleet.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) inside this JVM, bound to
 * 127.0.0.1. No Docker: the broker is {@code kafka_2.13} at the release of the clients that the
 * Quarkus BOM manages (a newer broker beside older clients fails with {@code NoSuchMethodError}).
 *
 * <p>Settings are the ones measured in {@code shared/field-notes/kafka.md}: replication factor 1 for
 * the internal topics, no initial rebalance delay, a 2 MiB log-cleaner buffer (heap 192 → 68 MB).
 * Ports are picked free and the start is retried, since another process may take a port between
 * the probe and the bind.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final int START_ATTEMPTS = 5;

    private final Path dataDir;
    private final boolean ownsDataDir;
    private final Map<String, String> overrides;
    private BrokerSecurity security;
    private int fixedBrokerPort;
    private int fixedControllerPort;
    private KafkaRaftServer server;
    private String bootstrapServers;

    private EmbeddedKafkaBroker(Path dataDir, boolean ownsDataDir, Map<String, String> overrides) {
        this.dataDir = dataDir;
        this.ownsDataDir = ownsDataDir;
        this.overrides = Map.copyOf(overrides);
    }

    /** A broker whose data lives in a fresh temporary folder, deleted on {@link #close()}. */
    public static EmbeddedKafkaBroker create() {
        return create(Map.of());
    }

    /** As {@link #create()}, with broker settings that override the defaults. */
    public static EmbeddedKafkaBroker create(Map<String, String> overrides) {
        try {
            return new EmbeddedKafkaBroker(Files.createTempDirectory("genfleet-kafka-"), true, overrides);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * As {@link #create(Map)}, secured as production runs Kafka: clients connect over SASL_SSL with
     * SCRAM-SHA-512 as one of {@code users} (each gets a password; {@link BrokerSecurity#ADMIN} is added as
     * the only super user), and StandardAuthorizer refuses whatever no ACL allows. The CA, the stores and
     * the passwords live in the broker's temporary folder. Clients take their settings from {@link
     * #clientProperties(String)}.
     */
    public static EmbeddedKafkaBroker secured(Collection<String> users, Map<String, String> overrides) {
        EmbeddedKafkaBroker broker = create(overrides);
        broker.security = BrokerSecurity.create(broker.dataDir.resolve("secure"), users);
        return broker;
    }

    /**
     * A broker whose data lives in {@code dataDir} and survives restarts (formatted on first use
     * only), listening on fixed ports: the local mode's broker.
     */
    public static EmbeddedKafkaBroker persistent(
            Path dataDir, int brokerPort, int controllerPort, Map<String, String> overrides) {
        EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(dataDir, false, overrides);
        broker.fixedBrokerPort = brokerPort;
        broker.fixedControllerPort = controllerPort;
        return broker;
    }

    /** As {@link #persistent}, secured as {@link #secured}; TLS material and passwords live in {@code secureDir}. */
    public static EmbeddedKafkaBroker persistentSecured(
            Path dataDir,
            Path secureDir,
            Collection<String> users,
            int brokerPort,
            int controllerPort,
            Map<String, String> overrides) {
        EmbeddedKafkaBroker broker = persistent(dataDir, brokerPort, controllerPort, overrides);
        broker.security = BrokerSecurity.create(secureDir, users);
        return broker;
    }

    /** Starts the broker; returns {@code this}. */
    public synchronized EmbeddedKafkaBroker start() {
        if (server != null) {
            return this;
        }
        if (fixedBrokerPort > 0) {
            Path logDir = dataDir.resolve("kraft");
            Properties props = config(logDir, fixedBrokerPort, fixedControllerPort);
            if (!Files.exists(logDir.resolve("meta.properties"))) {
                format(props, logDir, formatArguments());
            }
            KafkaRaftServer candidate = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
            candidate.startup();
            server = candidate;
            bootstrapServers = "127.0.0.1:" + fixedBrokerPort;
            if (security != null) {
                // users made after the first format (or a secure folder made anew) get their credentials now
                upsertScramCredentials(fixedControllerPort + 1);
            }
            return this;
        }
        RuntimeException last = null;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            int brokerPort = freePort();
            int controllerPort = freePort();
            Path logDir = dataDir.resolve("attempt-" + attempt);
            try {
                Properties props = config(logDir, brokerPort, controllerPort);
                format(props, logDir, formatArguments());
                KafkaRaftServer candidate = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
                candidate.startup();
                server = candidate;
                bootstrapServers = "127.0.0.1:" + brokerPort;
                return this;
            } catch (RuntimeException e) {
                last = e; // most likely a port taken between probe and bind: try other ports
            }
        }
        throw new IllegalStateException("embedded Kafka broker did not start in " + START_ATTEMPTS + " attempts", last);
    }

    /** {@code host:port} of the client listener: PLAINTEXT, or SASL_SSL when {@link #isSecured()}. */
    public String bootstrapServers() {
        if (bootstrapServers == null) {
            throw new IllegalStateException("broker not started");
        }
        return bootstrapServers;
    }

    public boolean isSecured() {
        return security != null;
    }

    /** The users, passwords and TLS material of a secured broker. */
    public BrokerSecurity security() {
        if (security == null) {
            throw new IllegalStateException("a plaintext broker has no users");
        }
        return security;
    }

    /**
     * Everything a Kafka client needs to connect as {@code user}: {@code bootstrap.servers} and, on a secured
     * broker, {@code security.protocol}, {@code sasl.mechanism}, {@code sasl.jaas.config} and {@code
     * ssl.truststore.location|password|type}. On a plaintext broker only {@code bootstrap.servers}.
     */
    public Map<String, String> clientProperties(String user) {
        return clientProperties(user, security == null ? null : security.password(user));
    }

    /** As {@link #clientProperties(String)} with a password of the caller's choice (a wrong one, say). */
    public Map<String, String> clientProperties(String user, String password) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("bootstrap.servers", bootstrapServers());
        if (security != null) {
            p.putAll(security.clientProperties(user, password));
        }
        return p;
    }

    /** {@link #clientProperties(String)} of the super user: for creating topics and ACLs in tests. */
    public Map<String, String> adminProperties() {
        return clientProperties(BrokerSecurity.ADMIN);
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
        if (ownsDataDir) {
            deleteRecursively(dataDir);
        }
    }

    private Properties config(Path logDir, int brokerPort, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
        p.put("controller.listener.names", "CONTROLLER");
        if (security == null) {
            p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
            p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
            p.put("inter.broker.listener.name", "PLAINTEXT");
            p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        } else {
            // inter-broker traffic (transaction markers go to the broker itself) on a loopback port of its own
            int internalPort = brokerPort == fixedBrokerPort ? controllerPort + 1 : freePort();
            p.put(
                    "listeners",
                    "CLIENT://127.0.0.1:" + brokerPort + ",INTERNAL://127.0.0.1:" + internalPort
                            + ",CONTROLLER://127.0.0.1:" + controllerPort);
            p.put("advertised.listeners", "CLIENT://127.0.0.1:" + brokerPort + ",INTERNAL://127.0.0.1:" + internalPort);
            p.putAll(security.brokerConfig());
        }
        p.put("log.dirs", logDir.toString());
        p.put("num.partitions", "1");
        // as the chart's brokers: records up to 8 MiB (the topics' max.message.bytes, the workers' max-record-bytes)
        p.put("message.max.bytes", "8388608");
        p.put("auto.create.topics.enable", "true");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("log.cleaner.dedupe.buffer.size", "2097152");
        p.put("log.flush.interval.messages", String.valueOf(Long.MAX_VALUE));
        p.putAll(overrides);
        return p;
    }

    /**
     * Stores every user's SCRAM credential through the loopback inter-broker listener, where the admin logs in
     * with PLAIN: SCRAM credentials live in the metadata, so this works also when the stored ones are missing
     * or stale.
     */
    private void upsertScramCredentials(int internalPort) {
        Map<String, Object> p = new java.util.HashMap<>();
        p.put("bootstrap.servers", "127.0.0.1:" + internalPort);
        p.put("security.protocol", "SASL_PLAINTEXT");
        p.put("sasl.mechanism", "PLAIN");
        p.put(
                "sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + BrokerSecurity.ADMIN
                        + "\" password=\"" + security.password(BrokerSecurity.ADMIN) + "\";");
        List<org.apache.kafka.clients.admin.UserScramCredentialAlteration> upserts = new ArrayList<>();
        for (String user : security.users()) {
            upserts.add(new org.apache.kafka.clients.admin.UserScramCredentialUpsertion(
                    user,
                    new org.apache.kafka.clients.admin.ScramCredentialInfo(
                            org.apache.kafka.clients.admin.ScramMechanism.SCRAM_SHA_512, 8192),
                    security.password(user)));
        }
        try (var admin = org.apache.kafka.clients.admin.Admin.create(p)) {
            admin.alterUserScramCredentials(upserts).all().get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("cannot store the users' SCRAM credentials", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private List<String> formatArguments() {
        return security == null ? List.of() : security.formatArguments();
    }

    private static void format(Properties props, Path logDir, List<String> extraArguments) {
        try {
            Files.createDirectories(logDir);
            Path cfg = logDir.resolveSibling(logDir.getFileName() + ".properties");
            try (var out = Files.newOutputStream(cfg)) {
                props.store(out, "genfleet embedded broker");
            }
            BrokerSecurity.ownerOnly(cfg, false); // a secured broker's settings hold the admin's password
            String clusterId = org.apache.kafka.common.Uuid.randomUuid().toString();
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            List<String> args =
                    new ArrayList<>(List.of("format", "--standalone", "-t", clusterId, "-c", cfg.toString()));
            args.addAll(extraArguments);
            int rc = StorageTool.execute(
                    args.toArray(String[]::new), new PrintStream(captured, true, StandardCharsets.UTF_8));
            if (rc != 0) {
                throw new IllegalStateException(
                        "kafka storage format failed: " + captured.toString(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "EmbeddedKafkaBroker[" + (bootstrapServers == null ? "stopped" : bootstrapServers)
                + (security == null ? "" : " SASL_SSL") + "]";
    }
}
