package dev.genfleet.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local mode's secured broker ({@code KafkaServerMain --secure}): its files, its users, its restarts. */
class LocalSecuredBrokerIT {

    @TempDir
    Path home;

    @Test
    void shouldWriteOwnerOnlyClientFilesAndKeepItsUsersAcrossRestarts() throws Exception {
        Path data = home.resolve("data");
        Path secure = home.resolve("secure");
        int port = freePortBlock();
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.persistentSecured(
                        data, secure, KafkaServerMain.fleetUsers(), port, port + 1, Map.of())
                .start()) {
            KafkaServerMain.secureFleet(broker);
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secure)));
            for (String file : List.of(
                    "admin.kcat.conf",
                    "admin.properties",
                    "genfleet-worker-text.properties",
                    "genfleet-worker-text.quarkus.properties",
                    "genfleet-operator.properties",
                    "users.properties",
                    "ca.crt",
                    "truststore.p12")) {
                assertEquals(
                        "rw-------",
                        PosixFilePermissions.toString(Files.getPosixFilePermissions(secure.resolve(file))),
                        file);
            }
            String kcat = Files.readString(secure.resolve("admin.kcat.conf"));
            assertTrue(kcat.contains("security.protocol=SASL_SSL\n"), kcat);
            assertTrue(kcat.contains("sasl.mechanisms=SCRAM-SHA-512\n"), kcat);
            assertTrue(kcat.contains("ssl.ca.location=" + secure.resolve("ca.crt")), kcat);
            try (Admin admin = Admin.create(load(secure.resolve("admin.properties")))) {
                admin.createTopics(List.of(new NewTopic("genfleet.results", 1, (short) 1)))
                        .all()
                        .get();
            }
            assertWorkerMayDescribeResultsButNotCreateTopics(secure);
        }
        // the secure folder made anew (new passwords) over the same data: the users still log in
        Files.delete(secure.resolve("users.properties"));
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.persistentSecured(
                        data, secure, KafkaServerMain.fleetUsers(), port, port + 1, Map.of())
                .start()) {
            KafkaServerMain.secureFleet(broker);
            assertWorkerMayDescribeResultsButNotCreateTopics(secure);
        }
    }

    private static void assertWorkerMayDescribeResultsButNotCreateTopics(Path secure) throws Exception {
        try (Admin worker = Admin.create(load(secure.resolve("genfleet-worker-text.properties")))) {
            assertEquals(
                    1,
                    worker.describeTopics(List.of("genfleet.results"))
                            .allTopicNames()
                            .get()
                            .get("genfleet.results")
                            .partitions()
                            .size());
            ExecutionException refused = assertThrows(
                    ExecutionException.class,
                    () -> worker.createTopics(List.of(new NewTopic("not-mine", 1, (short) 1)))
                            .all()
                            .get());
            assertInstanceOf(TopicAuthorizationException.class, refused.getCause());
        }
    }

    private static Map<String, Object> load(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            p.load(in);
        }
        Map<String, Object> out = new HashMap<>();
        p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
        return out;
    }

    /** A port whose next two are free too (broker, controller, inter-broker). */
    private static int freePortBlock() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            if (port < 65000 && free(port + 1) && free(port + 2)) {
                return port;
            }
        }
        throw new IllegalStateException("no three free ports in a row");
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
