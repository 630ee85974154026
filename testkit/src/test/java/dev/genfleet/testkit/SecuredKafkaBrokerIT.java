package dev.genfleet.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The secured broker refuses what production Kafka refuses: strangers, wrong passwords, plaintext, no ACL. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecuredKafkaBrokerIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private EmbeddedKafkaBroker broker;

    @BeforeAll
    void start() throws Exception {
        broker = EmbeddedKafkaBroker.secured(List.of("writer", "reader"), Map.of())
                .start();
        try (Admin admin = Admin.create(props(broker.adminProperties()))) {
            admin.createTopics(List.of(new NewTopic("orders", 2, (short) 1), new NewTopic("secrets", 1, (short) 1)))
                    .all()
                    .get();
            admin.createAcls(List.of(
                            allow("writer", ResourceType.TOPIC, "orders", AclOperation.WRITE),
                            allow("writer", ResourceType.TRANSACTIONAL_ID, "writer-tx", AclOperation.WRITE),
                            allow("reader", ResourceType.TOPIC, "orders", AclOperation.READ),
                            allow("reader", ResourceType.GROUP, "readers", AclOperation.READ)))
                    .all()
                    .get();
        }
    }

    @AfterAll
    void stop() {
        broker.close();
    }

    @Test
    void shouldKeepItsSecretsOwnerOnlyInItsOwnFolder() throws Exception {
        BrokerSecurity security = broker.security();
        for (var file : List.of(
                security.truststore(), security.caCertificate(), security.dir().resolve("users.properties"))) {
            assertTrue(Files.exists(file), file.toString());
            assertEquals(
                    "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), file.toString());
        }
        assertTrue(Files.readString(security.caCertificate()).startsWith("-----BEGIN CERTIFICATE-----"));
        Map<String, String> client = broker.clientProperties("reader");
        assertEquals("SASL_SSL", client.get("security.protocol"));
        assertEquals("SCRAM-SHA-512", client.get("sasl.mechanism"));
        assertEquals("PKCS12", client.get("ssl.truststore.type"));
    }

    @Test
    void shouldCarryTransactionsBetweenUsersThatTheAclsAllow() throws Exception {
        Map<String, Object> producerProps = props(broker.clientProperties("writer"));
        producerProps.put("transactional.id", "writer-tx");
        try (var producer = new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("orders", "k", "committed"));
            producer.commitTransaction();
        }
        Map<String, Object> consumerProps = props(broker.clientProperties("reader"));
        consumerProps.put("group.id", "readers");
        consumerProps.put("auto.offset.reset", "earliest");
        consumerProps.put("isolation.level", "read_committed");
        List<ConsumerRecord<String, String>> seen = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("orders"));
            long until = System.nanoTime() + WAIT.toNanos();
            while (seen.isEmpty() && System.nanoTime() < until) {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
            }
        }
        assertEquals(1, seen.size());
        assertEquals("committed", seen.get(0).value());
    }

    @Test
    void shouldRefuseATopicAndAGroupOutsideAUsersAcls() {
        Map<String, Object> producerProps = props(broker.clientProperties("writer"));
        producerProps.put("max.block.ms", 10_000);
        try (var producer = new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer())) {
            ExecutionException refused = assertThrows(
                    ExecutionException.class,
                    () -> producer.send(new ProducerRecord<>("secrets", "k", "v"))
                            .get());
            assertInstanceOf(TopicAuthorizationException.class, refused.getCause());
        }
        Map<String, Object> consumerProps = props(broker.clientProperties("reader"));
        consumerProps.put("group.id", "not-the-readers");
        try (var consumer = new KafkaConsumer<>(consumerProps, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("orders"));
            assertThrows(GroupAuthorizationException.class, () -> pollUntilFailure(consumer));
        }
    }

    @Test
    void shouldRefuseAWrongPassword() {
        Map<String, Object> p = props(broker.clientProperties("reader", "not-the-password"));
        try (Admin admin = Admin.create(p)) {
            ExecutionException refused = assertThrows(
                    ExecutionException.class,
                    () -> admin.listTopics(new ListTopicsOptions().timeoutMs(20_000))
                            .names()
                            .get());
            assertInstanceOf(SaslAuthenticationException.class, refused.getCause());
        }
    }

    @Test
    void shouldRefuseAPlaintextClient() {
        Map<String, Object> p = new HashMap<>();
        p.put("bootstrap.servers", broker.bootstrapServers());
        try (Admin admin = Admin.create(p)) {
            // the TLS listener never answers a plaintext request: the call gives up, it never lists a topic
            assertThrows(
                    ExecutionException.class,
                    () -> admin.listTopics(new ListTopicsOptions().timeoutMs(5_000))
                            .names()
                            .get());
        }
    }

    private static void pollUntilFailure(KafkaConsumer<String, String> consumer) {
        long until = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < until) {
            consumer.poll(Duration.ofMillis(200));
        }
    }

    private static AclBinding allow(String user, ResourceType type, String name, AclOperation operation) {
        return new AclBinding(
                new ResourcePattern(type, name, PatternType.LITERAL),
                new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW));
    }

    private static Map<String, Object> props(Map<String, String> client) {
        return new HashMap<>(client);
    }
}
