package dev.genfleet.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;

/**
 * The local mode's broker as its own JVM: {@code java -cp <testkit classpath>
 * dev.genfleet.testkit.KafkaServerMain <data dir> [port] [controller port] [--secure <dir>]}. Data survives
 * restarts; listens on 127.0.0.1 only; stops cleanly on SIGTERM.
 *
 * <p>With {@code --secure <dir>} the broker runs as production does (see {@link BrokerSecurity}): SASL_SSL
 * with SCRAM-SHA-512, one user per component named as the chart names them ({@link KafkaBrokers#user}), each
 * granted the chart's {@code acls.yaml} ({@link KafkaAcls}), {@code admin} the only super user. {@code <dir>}
 * (owner-only) keeps the CA, the stores and the passwords, and gets a client file per user: {@code
 * <user>.properties} (Java client settings, also a Quarkus config file through its {@code kafka.}-prefixed
 * twin {@code <user>.quarkus.properties}) and {@code admin.kcat.conf} (librdkafka: {@code kcat -F}).
 */
public final class KafkaServerMain {

    private KafkaServerMain() {}

    public static void main(String[] args) throws Exception {
        List<String> positional = new ArrayList<>();
        Path secureDir = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--secure") && i + 1 < args.length) {
                secureDir = Path.of(args[++i]).toAbsolutePath();
            } else {
                positional.add(args[i]);
            }
        }
        if (positional.isEmpty()) {
            System.err.println("usage: KafkaServerMain <data dir> [port=9092] [controller port=9093] [--secure <dir>]");
            System.exit(2);
        }
        Path dataDir = Path.of(positional.get(0)).toAbsolutePath();
        int port = positional.size() > 1 ? Integer.parseInt(positional.get(1)) : 9092;
        int controllerPort = positional.size() > 2 ? Integer.parseInt(positional.get(2)) : 9093;
        Map<String, String> overrides = Map.of("auto.create.topics.enable", "false", "log.retention.hours", "24");
        EmbeddedKafkaBroker broker = secureDir == null
                ? EmbeddedKafkaBroker.persistent(dataDir, port, controllerPort, overrides)
                : EmbeddedKafkaBroker.persistentSecured(
                        dataDir, secureDir, fleetUsers(), port, controllerPort, overrides);
        broker.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            broker.close();
                            stopped.countDown();
                        },
                        "kafka-stop"));
        if (broker.isSecured()) {
            secureFleet(broker);
        }
        System.out.println("genfleet kafka ready on " + broker.bootstrapServers()
                + (broker.isSecured() ? " (SASL_SSL, users and client files in " + secureDir + ")" : "") + " data "
                + dataDir);
        stopped.await();
    }

    /**
     * The local fleet's users: the gateway, one per worker pool, the operator's ({@code ./genfleet dlq}), KEDA's
     * (unused locally, kept for parity). A broker whose folder predates a user gives it a password and a SCRAM
     * credential at its next start.
     */
    static List<String> fleetUsers() {
        return KafkaBrokers.fleetUsers();
    }

    /** Grants the fleet's ACLs (again: creating an existing ACL changes nothing) and writes the client files. */
    static void secureFleet(EmbeddedKafkaBroker broker) throws InterruptedException {
        try (Admin admin = Admin.create(Map.<String, Object>copyOf(broker.adminProperties()))) {
            admin.createAcls(KafkaBrokers.fleetAcls()).all().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot grant the fleet's ACLs", e.getCause());
        }
        BrokerSecurity security = broker.security();
        try {
            for (String user : security.users()) {
                StringBuilder java = new StringBuilder();
                StringBuilder quarkus = new StringBuilder();
                broker.clientProperties(user).forEach((k, v) -> {
                    java.append(k).append('=').append(escape(v)).append('\n');
                    quarkus.append("kafka.")
                            .append(k)
                            .append('=')
                            .append(escape(v))
                            .append('\n');
                });
                write(security.dir().resolve(user + ".properties"), java.toString());
                write(security.dir().resolve(user + ".quarkus.properties"), quarkus.toString());
            }
            write(
                    security.dir().resolve("admin.kcat.conf"),
                    "bootstrap.servers=" + broker.bootstrapServers() + "\n"
                            + "security.protocol=SASL_SSL\n"
                            + "sasl.mechanisms=" + BrokerSecurity.MECHANISM + "\n"
                            + "sasl.username=" + BrokerSecurity.ADMIN + "\n"
                            + "sasl.password=" + security.password(BrokerSecurity.ADMIN) + "\n"
                            + "ssl.ca.location=" + security.caCertificate() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file);
        BrokerSecurity.ownerOnly(file, false);
        Files.writeString(file, content);
    }

    /** A java.util.Properties value: backslashes doubled (the JAAS line has none, a Windows path would). */
    private static String escape(String value) {
        return value.replace("\\", "\\\\");
    }
}
