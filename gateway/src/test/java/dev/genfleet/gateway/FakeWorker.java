package dev.genfleet.gateway;

import dev.genfleet.schemas.AuditEvent;
import dev.genfleet.schemas.AuditType;
import dev.genfleet.schemas.EventCodec;
import dev.genfleet.schemas.GenfleetPayload;
import dev.genfleet.schemas.JobOutput;
import dev.genfleet.schemas.JobResult;
import dev.genfleet.schemas.JobStatus;
import dev.genfleet.schemas.ModelAnnouncement;
import dev.genfleet.schemas.Reason;
import dev.genfleet.schemas.Topics;
import dev.genfleet.schemas.TraceContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Publishes what a worker would (audit, results, model announcements) and reads topics back. */
final class FakeWorker implements AutoCloseable {

    static final Topics TOPICS = Topics.defaults();

    private final String bootstrap;
    private final EventCodec codec = EventCodec.forComponent("worker");
    private final KafkaProducer<String, byte[]> producer;

    FakeWorker(String bootstrap) {
        this.bootstrap = bootstrap;
        this.producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", bootstrap, "acks", "all"),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    void publish(String topic, GenfleetPayload payload) {
        try {
            producer.send(codec.encode(topic, payload, TraceContext.NONE)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Publishes to one partition chosen by the test (a committed marker after other records there). */
    RecordMetadata publishTo(String topic, int partition, GenfleetPayload payload) {
        ProducerRecord<String, byte[]> r = codec.encode(topic, payload, TraceContext.NONE);
        try {
            return producer.send(new ProducerRecord<>(topic, partition, r.key(), r.value(), r.headers()))
                    .get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes {@code payloads} the way a worker does: in one Kafka transaction of a producer with its own
     * {@code transactional.id}, then commits or aborts it. Returns where each record was written.
     */
    List<RecordMetadata> transaction(boolean commit, GenfleetPayload... payloads) {
        Map<String, Object> props = Map.of(
                "bootstrap.servers",
                bootstrap,
                "acks",
                "all",
                "enable.idempotence",
                true,
                "transactional.id",
                "fake-worker-tx-" + UUID.randomUUID());
        try (KafkaProducer<String, byte[]> tx =
                new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            tx.initTransactions();
            tx.beginTransaction();
            List<RecordMetadata> written = new ArrayList<>();
            for (GenfleetPayload p : payloads) {
                String topic = p instanceof JobResult ? TOPICS.results() : TOPICS.audit();
                written.add(tx.send(codec.encode(topic, p, TraceContext.NONE)).get());
            }
            if (commit) {
                tx.commitTransaction();
            } else {
                tx.abortTransaction();
            }
            return written;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    void raw(String topic, String key, byte[] value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    void audit(AuditType type, String jobId, String tenant, int attempt, Reason reason) {
        publish(
                TOPICS.audit(),
                new AuditEvent(
                        UUID.randomUUID().toString(),
                        type,
                        jobId,
                        null,
                        null,
                        tenant,
                        "worker-1",
                        Instant.now(),
                        "copy-gpt",
                        "1.0.0",
                        null,
                        null,
                        null,
                        attempt,
                        reason,
                        "worker-1",
                        5L,
                        Map.of()));
    }

    void result(String jobId, String tenant, JobStatus status, JobOutput output, Reason error) {
        publish(
                TOPICS.results(),
                new JobResult(
                        jobId,
                        tenant,
                        null,
                        null,
                        status,
                        "copy-gpt",
                        "1.0.0",
                        output,
                        error,
                        1,
                        Instant.now().minusMillis(5),
                        Instant.now(),
                        "worker-1"));
    }

    void announce(String model, String pool, String modality, boolean ready) {
        publish(
                TOPICS.models(),
                new ModelAnnouncement(
                        "worker-" + model, pool, model, "2.0.0", modality, "cpu", ready, 8, Instant.now()));
    }

    /** Every record of {@code topic} (all partitions, from the start) whose key satisfies {@code key}. */
    List<ConsumerRecord<String, byte[]>> read(String topic, Predicate<String> key, int atLeast) {
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                Map.of("bootstrap.servers", bootstrap), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.currentTimeMillis() + 10_000;
            while (System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.key() != null && key.test(r.key())) {
                        found.add(r);
                    }
                }
                boolean atEnd = partitions.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp));
                if (atEnd && found.size() >= atLeast) {
                    break;
                }
                if (atEnd) {
                    end.putAll(consumer.endOffsets(partitions));
                }
            }
        }
        return found;
    }

    long endOffsetSum(String... topics) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                Map.of("bootstrap.servers", bootstrap), new StringDeserializer(), new ByteArrayDeserializer())) {
            long sum = 0;
            for (String topic : topics) {
                List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                        .map(p -> new TopicPartition(topic, p.partition()))
                        .toList();
                sum += consumer.endOffsets(partitions).values().stream()
                        .mapToLong(Long::longValue)
                        .sum();
            }
            return sum;
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
