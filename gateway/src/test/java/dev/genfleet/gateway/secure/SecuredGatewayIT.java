package dev.genfleet.gateway.secure;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.genfleet.gateway.kafka.KafkaClients;
import dev.genfleet.schemas.Decoded;
import dev.genfleet.schemas.EventCodec;
import dev.genfleet.schemas.JobRequest;
import dev.genfleet.schemas.JobResult;
import dev.genfleet.schemas.JobStatus;
import dev.genfleet.schemas.TextOutput;
import dev.genfleet.schemas.Topics;
import dev.genfleet.schemas.TraceContext;
import dev.genfleet.testkit.KafkaBrokers;
import dev.genfleet.testkit.SecuredKafka;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gateway as production runs it: SASL_SSL, SCRAM-SHA-512, as its own Kafka user {@code genfleet-gateway}
 * with exactly the ACLs of the chart's {@code acls.yaml}, on a broker that refuses whatever no ACL allows. Every
 * gateway client (the job producer, the webhook consumer, the probe, Kafka Streams) gets its settings only from
 * Quarkus' {@code kafka.*}; one that did not could not connect, and the path below would stop there.
 */
@QuarkusTest
@TestProfile(SecuredGatewayIT.AsTheGatewaysUser.class)
class SecuredGatewayIT {

    /** Health answers on the management port, not the API's (application.properties); paths are under its root, /q. */
    @io.quarkus.test.common.http.TestHTTPResource(value = "/health/ready", management = true)
    java.net.URL ready;

    static final String GATEWAY_USER = KafkaBrokers.user("gateway", null);
    static final String WORKER_USER = KafkaBrokers.user("worker", "text");
    static final String KEY_W = "Bearer test-key-w"; // tenant-w: webhooks to 127.0.0.1 allowed in %test
    static final Topics TOPICS = Topics.defaults();
    static final Duration WAIT = Duration.ofSeconds(60);

    /** The gateway logs in as {@code genfleet-gateway}; no global (plaintext) test resource. */
    public static class AsTheGatewaysUser implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(SecuredGatewayResource.class, Map.of("user", GATEWAY_USER)));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    static HttpServer receiver;
    static final List<String> delivered = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/", exchange -> {
            delivered.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.stop(0);
    }

    @Inject
    KafkaClients clients;

    private final EventCodec codec = EventCodec.forComponent("worker");

    @Test
    void shouldGiveEveryKafkaClientTheSharedSecuritySettings() {
        awaitReady();
        Map<String, Map<String, Object>> built = clients.built();
        assertTrue(
                built.keySet().containsAll(Set.of("job-producer", "webhook-consumer", "connection-probe")),
                built.keySet().toString());
        built.forEach((name, settings) -> {
            assertEquals("SASL_SSL", settings.get("security.protocol"), name);
            assertEquals("SCRAM-SHA-512", settings.get("sasl.mechanism"), name);
            assertTrue(settings.get("sasl.jaas.config").toString().contains("\"" + GATEWAY_USER + "\""), name);
            assertNotNull(settings.get("ssl.truststore.location"), name);
        });
        // Kafka Streams merges the same kafka.* settings: the view is RUNNING on a broker that admits no one else
        given().get(ready)
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'status-view' }.data.state", equalTo("RUNNING"))
                .body("checks.find { it.name == 'kafka-clients' }.data.'job-producer'", equalTo("ok"));
    }

    @Test
    void shouldSubmitAJobShowItsResultAndDeliverItsWebhookAsTheGatewaysOwnUser() {
        awaitReady();
        SecuredKafka broker = KafkaBrokers.secured();
        String id = given().header("Authorization", KEY_W)
                .contentType("application/json")
                .body("{\"model\":\"copy-gpt\",\"input\":{\"prompt\":\"Write a tagline\"},\"webhook\":{\"url\":\""
                        + "http://127.0.0.1:" + receiver.getAddress().getPort() + "/done\"}}")
                .post("/v1/jobs")
                .then()
                .statusCode(202)
                .extract()
                .path("id");

        // on the jobs topic, where the text pool's worker (its own user) reads it
        String jobsTopic = TOPICS.jobs("text", dev.genfleet.schemas.Priority.INTERACTIVE);
        JobRequest job = await().atMost(WAIT)
                .until(
                        () -> read(broker.clientProperties(WORKER_USER), jobsTopic, id, JobRequest.class),
                        j -> j != null);
        assertEquals("tenant-w", job.tenant());

        // the worker's result, written as the worker's user, reaches the status view and the webhook
        try (KafkaProducer<String, byte[]> worker = new KafkaProducer<>(
                Map.<String, Object>copyOf(broker.clientProperties(WORKER_USER)),
                new StringSerializer(),
                new ByteArraySerializer())) {
            JobResult result = new JobResult(
                    id,
                    "tenant-w",
                    null,
                    null,
                    JobStatus.SUCCEEDED,
                    "copy-gpt",
                    "1.0.0",
                    new TextOutput("Fresh ideas, daily.", "stop", 3, 4),
                    null,
                    1,
                    Instant.now().minusMillis(5),
                    Instant.now(),
                    WORKER_USER + "-1");
            worker.send(codec.encode(TOPICS.results(), result, TraceContext.NONE))
                    .get();
        } catch (Exception e) {
            throw new AssertionError("the worker's user could not write the result", e);
        }
        await().atMost(WAIT)
                .untilAsserted(() -> given().header("Authorization", KEY_W)
                        .get("/v1/jobs/" + id)
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("SUCCEEDED"))
                        .body("output.text", equalTo("Fresh ideas, daily.")));
        await().atMost(WAIT).until(() -> delivered.stream().anyMatch(b -> b.contains(id)));
    }

    private void awaitReady() {
        await().atMost(WAIT).untilAsserted(() -> given().get(ready).then().statusCode(200));
    }

    private <T extends dev.genfleet.schemas.GenfleetPayload> T read(
            Map<String, String> user, String topic, String key, Class<T> type) {
        Map<String, Object> props = new HashMap<>(user);
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(r.key()) && codec.decode(r, type) instanceof Decoded.Ok<T> ok) {
                        return ok.payload();
                    }
                }
            }
            return null;
        }
    }
}
