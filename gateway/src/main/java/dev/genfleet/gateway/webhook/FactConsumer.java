package dev.genfleet.gateway.webhook;

import dev.genfleet.gateway.GatewayConfig;
import dev.genfleet.gateway.kafka.KafkaClients;
import dev.genfleet.gateway.kafka.KafkaHealth;
import dev.genfleet.gateway.status.ViewTopology;
import dev.genfleet.schemas.Topics;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Partition ownership and offsets (DESIGN.md, "Who delivers: partition ownership"): one plain consumer in the
 * group {@code webhooks.group-id} over the audit, results and jobs topics, co-partitioned by job id and
 * range-assigned, so this replica owns every fact of the jobs in its partitions. Reads committed records only,
 * hands each to a {@link Reader}, and commits offsets manually, never past a record whose delivery is still
 * held ({@link HeldOffsets}).
 */
final class FactConsumer {

    /** Gets every record this replica owns, in partition order, on the consumer thread. */
    @FunctionalInterface
    interface Reader {
        /** {@code offsets} holds the record's offset for as long as its delivery is pending. */
        void read(ConsumerRecord<String, byte[]> record, TopicPartition tp, HeldOffsets offsets);
    }

    /** This consumer's name in readiness and its {@code client.id} suffix. */
    static final String CLIENT = "webhook-consumer";

    private static final Logger LOG = Logger.getLogger(FactConsumer.class);
    private static final long RETRY_MS = 5000;

    private final GatewayConfig.Webhooks config;
    private final KafkaClients kafka;
    private final KafkaHealth health;
    private final Topics topics;
    private final Reader reader;
    private final BooleanSupplier running;
    private final HeldOffsets offsets = new HeldOffsets();
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    FactConsumer(
            GatewayConfig.Webhooks config,
            KafkaClients kafka,
            KafkaHealth health,
            Topics topics,
            Reader reader,
            BooleanSupplier running) {
        this.config = config;
        this.kafka = kafka;
        this.health = health;
        this.topics = topics;
        this.reader = reader;
        this.running = running;
    }

    void start() {
        thread = new Thread(this::consume, "genfleet-webhook-consumer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Wakes the consumer (once {@code running} is false) and waits for it to commit and close. */
    void stop() {
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Runs the delivery consumer until shutdown. A consumer that Kafka refuses (credentials, ACLs) or that
     * fails otherwise is reported to {@link KafkaHealth} (readiness names it) and built again after a pause,
     * so a fixed ACL or a rotated secret heals without a restart.
     */
    private void consume() {
        while (running.getAsBoolean()) {
            try {
                consumeOnce();
            } catch (WakeupException e) {
                return; // shutting down
            } catch (RuntimeException e) {
                health.failed(CLIENT, e);
                LOG.errorf("webhook consumer failed, retrying in %d ms: %s", RETRY_MS, e);
                LockSupport.parkNanos(RETRY_MS * 1_000_000L);
            }
        }
    }

    private void consumeOnce() {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // an aborted transaction's result or audit event must never become a delivery
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
        // range assignment gives one member the same partition number of both co-partitioned topics
        props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, RangeAssignor.class.getName());
        try (KafkaConsumer<String, byte[]> c =
                kafka.consumer(CLIENT, props, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer = c;
            // the jobs topics too: a job record (the SUBMITTED fact) says whether the job named a webhook
            Pattern facts = Pattern.compile(Pattern.quote(topics.audit()) + "|"
                    + Pattern.quote(topics.results()) + "|"
                    + ViewTopology.jobsTopics(topics).pattern());
            c.subscribe(facts, new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    commit(c, partitions, true);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    LOG.debugf("webhook delivery owns %s", partitions);
                }
            });
            long lastCommit = System.nanoTime();
            while (running.getAsBoolean()) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    offsets.seen(tp, r.offset());
                    reader.read(r, tp, offsets);
                }
                health.ok(CLIENT);
                if (System.nanoTime() - lastCommit > 1_000_000_000L) {
                    commit(c, c.assignment(), false);
                    lastCommit = System.nanoTime();
                }
            }
            commit(c, c.assignment(), true);
        } finally {
            consumer = null;
        }
    }

    private void commit(KafkaConsumer<String, byte[]> c, Collection<TopicPartition> partitions, boolean sync) {
        Map<TopicPartition, OffsetAndMetadata> safe = offsets.committable(partitions);
        if (safe.isEmpty()) {
            return;
        }
        try {
            if (sync) {
                c.commitSync(safe, Duration.ofSeconds(5));
            } else {
                c.commitAsync(safe, null);
            }
        } catch (RuntimeException e) {
            LOG.debugf("webhook offsets not committed: %s", e.getMessage());
        }
    }
}
