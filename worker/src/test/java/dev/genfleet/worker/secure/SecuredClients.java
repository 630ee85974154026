package dev.genfleet.worker.secure;

import dev.genfleet.testkit.BrokerSecurity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Plain Kafka clients of the secured broker that the worker under test was pointed at, as any of its users.
 * The broker is found through the worker's own configuration (its truststore's folder holds the users), so
 * the test and the worker always talk to the same broker.
 */
final class SecuredClients {

    private final String bootstrap;
    private final BrokerSecurity security;

    SecuredClients(String bootstrap, String truststoreLocation) {
        this.bootstrap = bootstrap;
        this.security = BrokerSecurity.open(Path.of(truststoreLocation).getParent());
    }

    Map<String, Object> props(String user) {
        return props(user, security.password(user));
    }

    Map<String, Object> props(String user, String password) {
        Map<String, Object> p = new HashMap<>(security.clientProperties(user, password));
        p.put("bootstrap.servers", bootstrap);
        return p;
    }

    String bootstrap() {
        return bootstrap;
    }

    KafkaProducer<String, byte[]> producer(String user) {
        Map<String, Object> p = props(user);
        p.put("acks", "all");
        p.put("max.block.ms", 20_000);
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    KafkaConsumer<String, byte[]> consumer(String user, String group) {
        Map<String, Object> p = props(user);
        p.put("group.id", group);
        p.put("auto.offset.reset", "earliest");
        p.put("isolation.level", "read_committed");
        return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** Every committed record of {@code topic} so far with {@code key}, read by the super user (no group). */
    List<ConsumerRecord<String, byte[]>> committed(String topic, String key) {
        Map<String, Object> p = props(BrokerSecurity.ADMIN);
        p.put("isolation.level", "read_committed");
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))
                    && System.nanoTime() < until) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(r.key())) {
                        out.add(r);
                    }
                }
            }
        }
        return out;
    }
}
