package dev.genfleet.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaBrokerIT {

    @Test
    void shouldRoundTripRecordsIncludingTransactionsOnLoopback() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.create().start()) {
            assertTrue(broker.bootstrapServers().startsWith("127.0.0.1:"));
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("roundtrip", 3, (short) 1)))
                        .all()
                        .get();
            }
            Properties producerProps = new Properties();
            producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
            producerProps.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "testkit-tx");
            try (var producer = new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer())) {
                producer.initTransactions();
                producer.beginTransaction();
                for (int i = 0; i < 10; i++) {
                    producer.send(new ProducerRecord<>("roundtrip", "k" + i, "v" + i));
                }
                producer.commitTransaction();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("roundtrip", "aborted", "never visible"));
                producer.abortTransaction();
            }
            Properties consumerProps = new Properties();
            consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "testkit");
            consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            List<ConsumerRecord<String, String>> seen = new ArrayList<>();
            try (var consumer =
                    new KafkaConsumer<>(consumerProps, new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of("roundtrip"));
                long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (seen.size() < 10 && System.nanoTime() < until) {
                    consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
                }
            }
            assertEquals(10, seen.size());
            assertFalse(seen.stream().anyMatch(r -> r.key().equals("aborted")));
        }
    }

    @Test
    void shouldShareOneBrokerPerJvm() {
        String first = KafkaBrokers.bootstrapServers();
        assertEquals(first, KafkaBrokers.bootstrapServers());
        String expected = System.getenv(KafkaBrokers.EXTERNAL_BROKER_ENV) != null
                ? "external"
                : KafkaBrokers.dockerAvailable() ? "testcontainers" : "embedded";
        assertEquals(expected, KafkaBrokers.kind());
    }
}
