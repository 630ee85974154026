package dev.genfleet.e2e.chaos;

import dev.genfleet.schemas.Decoded;
import dev.genfleet.schemas.EventCodec;
import dev.genfleet.schemas.GenfleetPayload;
import dev.genfleet.schemas.JobResult;
import dev.genfleet.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads the fleet's topics as Kafka holds them, committed only or everything (aborted records included). */
final class KafkaLog {

    static final String READ_COMMITTED = "read_committed";
    static final String READ_UNCOMMITTED = "read_uncommitted";

    private static final EventCodec CODEC = EventCodec.forComponent("chaos-test");

    private final String bootstrap;

    KafkaLog(String bootstrap) {
        this.bootstrap = bootstrap;
    }

    /** Every payload of {@code type} on {@code topic} now, read from the beginning with {@code isolation}. */
    <T extends GenfleetPayload> List<T> readAll(String topic, String isolation, Class<T> type) {
        List<T> all = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer(isolation)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end in 90 s");
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (CODEC.decode(r, type) instanceof Decoded.Ok<T> ok) {
                        all.add(ok.payload());
                    }
                }
            }
        }
        return all;
    }

    /** How many records {@code topic} holds now (all partitions). */
    long recordCount(String topic) {
        try (KafkaConsumer<String, byte[]> consumer = consumer(READ_UNCOMMITTED)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions, Duration.ofSeconds(30));
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            return partitions.stream().mapToLong(p -> end.get(p) - begin.get(p)).sum();
        }
    }

    /**
     * Follows {@code genfleet.results} committed-only from the beginning, noting when each job's first committed
     * result became readable: the reference point of the view's staleness.
     */
    final class ResultsTail implements AutoCloseable {
        private final Map<String, Long> firstSeenNanos = new ConcurrentHashMap<>();
        private final Predicate<JobResult> interesting;
        private final Thread thread;
        private volatile boolean running = true;
        private volatile String latest;

        ResultsTail(Predicate<JobResult> interesting) {
            this.interesting = interesting;
            thread = new Thread(this::follow, "chaos-results-tail");
            thread.setDaemon(true);
            thread.start();
        }

        private void follow() {
            String topic = Topics.defaults().results();
            try (KafkaConsumer<String, byte[]> consumer = consumer(READ_COMMITTED)) {
                List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(60)).stream()
                        .map(p -> new TopicPartition(topic, p.partition()))
                        .toList();
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                while (running) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                        if (CODEC.decode(r, JobResult.class) instanceof Decoded.Ok<JobResult> ok
                                && interesting.test(ok.payload())
                                && firstSeenNanos.putIfAbsent(r.key(), System.nanoTime()) == null) {
                            latest = r.key();
                        }
                    }
                }
            } catch (RuntimeException e) {
                if (running) {
                    System.err.println("results tail stopped: " + e);
                }
            }
        }

        int committedJobs() {
            return firstSeenNanos.size();
        }

        String latest() {
            return latest;
        }

        Long firstSeenNanos(String jobId) {
            return firstSeenNanos.get(jobId);
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(5000);
        }
    }

    private KafkaConsumer<String, byte[]> consumer(String isolation) {
        return new KafkaConsumer<>(
                Map.<String, Object>of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        isolation,
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false,
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                        2000),
                new StringDeserializer(),
                new ByteArrayDeserializer());
    }
}
