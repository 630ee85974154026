package dev.genfleet.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.genfleet.testkit.KafkaBrokers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Every event type through a real broker, read back with a plain Kafka consumer. */
class CloudEventsBrokerIT {

    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    @Test
    void shouldRoundTripEveryEventTypeThroughTheBrokerWithCloudEventHeaders() throws Exception {
        String bootstrap = KafkaBrokers.bootstrapServers();
        String topic = "roundtrip-" + UUID.randomUUID();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        EventCodec codec = EventCodec.forComponent("broker-it");
        List<GenfleetPayload> sent = Samples.all();
        try (var producer = new KafkaProducer<>(
                Map.<String, Object>of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true),
                new StringSerializer(),
                new ByteArraySerializer())) {
            for (GenfleetPayload payload : sent) {
                producer.send(codec.encode(topic, payload, TraceContext.of(TRACEPARENT)))
                        .get();
            }
        }

        List<ConsumerRecord<String, byte[]>> received = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(
                Map.<String, Object>of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "it-" + topic,
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest"),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (received.size() < sent.size() && System.nanoTime() < until) {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
            }
        }

        assertEquals(sent.size(), received.size());
        for (int i = 0; i < sent.size(); i++) {
            GenfleetPayload payload = sent.get(i);
            ConsumerRecord<String, byte[]> record = received.get(i);
            assertEquals(payload.subject(), record.key());
            assertEquals("1.0", header(record, "ce_specversion"));
            assertEquals(EventType.ceType(payload), header(record, "ce_type"));
            assertEquals(payload.subject(), header(record, "ce_subject"));
            assertEquals(payload.eventType().dataSchema().toString(), header(record, "ce_dataschema"));
            assertEquals(TRACEPARENT, header(record, "ce_traceparent"));
            assertEquals("application/json", header(record, "content-type"));
            if (payload.tenant() != null) {
                assertEquals(payload.tenant(), header(record, "ce_tenant"));
            }
            Decoded<?> decoded = codec.decode(record, payload.getClass());
            Decoded.Ok<?> ok = assertInstanceOf(Decoded.Ok.class, decoded, () -> String.valueOf(decoded));
            assertEquals(
                    Json.mapper().readTree(Json.mapper().writeValueAsBytes(payload)),
                    Json.mapper().readTree(Json.mapper().writeValueAsBytes(ok.payload())));
        }
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
