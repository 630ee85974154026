package dev.genfleet.worker.consume;

import dev.genfleet.schemas.Decoded;
import dev.genfleet.schemas.EventCodec;
import dev.genfleet.schemas.JobRequest;
import dev.genfleet.worker.config.WorkerConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Keeps the {@link JobRecordIndex} complete for the partitions the job channels own: when a partition is
 * assigned, reads back the records of the window before its committed offset (the key is the job id, the value
 * gives the attempt), so a record of a job that a predecessor already processed is recognised as a
 * repeat after any restart or rebalance. Registered on the three job channels as their rebalance listener
 * ({@code consumer-rebalance-listener.name=genfleet-job-history}); it runs on the channel's polling thread,
 * before the consumer fetches from the new partitions.
 *
 * <p>The read-back consumer is the worker's one Kafka client that is not a SmallRye channel: a channel cannot
 * be assigned partitions and offsets at run time. It takes the same {@code kafka.*} settings as every channel
 * (SmallRye's {@code default-kafka-broker} configuration), with no group (it only assigns), so it needs no
 * ACL beyond the read on the jobs topics that the channels have.
 */
@ApplicationScoped
@Identifier(JobHistory.NAME)
public class JobHistory implements KafkaConsumerRebalanceListener {

    static final String NAME = "genfleet-job-history";
    private static final Logger LOG = Logger.getLogger(JobHistory.class);
    private static final Duration READ_BACK_TIMEOUT = Duration.ofSeconds(60);

    private final JobRecordIndex index;
    private final EventCodec codec = EventCodec.forComponent("worker");
    private final Map<String, Object> kafka;
    private final String workerId;
    private KafkaConsumer<String, byte[]> reader;

    @Inject
    public JobHistory(WorkerConfig config, @Identifier("default-kafka-broker") Map<String, Object> kafka) {
        this.index = new JobRecordIndex(config.duplicateWindow());
        this.kafka = Map.copyOf(kafka);
        this.workerId = config.id();
    }

    /** See {@link JobRecordIndex#earlierRecord}: a repeat is an earlier record of the same job and attempt (or a higher one). */
    public OptionalLong earlierRecord(String topic, int partition, String jobId, int attempt, long offset) {
        return index.earlierRecord(new TopicPartition(topic, partition), jobId, attempt, offset);
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions));
        Map<TopicPartition, Long> starts = consumer.beginningOffsets(partitions);
        Map<TopicPartition, long[]> ranges = new LinkedHashMap<>();
        for (TopicPartition tp : partitions) {
            OffsetAndMetadata c = committed.get(tp);
            long logStart = starts.getOrDefault(tp, 0L);
            long position = c == null ? logStart : c.offset();
            long[] range = index.missing(tp, position, logStart);
            if (range != null) {
                ranges.put(tp, range);
            }
        }
        if (!ranges.isEmpty()) {
            readBack(ranges);
        }
    }

    private synchronized void readBack(Map<TopicPartition, long[]> ranges) {
        long started = System.nanoTime();
        KafkaConsumer<String, byte[]> r = reader();
        r.assign(ranges.keySet());
        ranges.forEach((tp, range) -> r.seek(tp, range[0]));
        Map<TopicPartition, Map<Long, JobRecordIndex.JobAttempt>> found = new HashMap<>();
        Set<TopicPartition> open = new HashSet<>(ranges.keySet());
        long deadline = started + READ_BACK_TIMEOUT.toNanos();
        int records = 0;
        while (!open.isEmpty() && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> record : r.poll(Duration.ofMillis(200))) {
                TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                long[] range = ranges.get(tp);
                if (range != null && record.offset() < range[1] && record.key() != null) {
                    // the attempt is in the value: a redriven job's record (a higher attempt) is not a repeat.
                    // A record that is no job request is dead-lettered by the lane, never compared: skip it
                    if (codec.decode(record, JobRequest.class) instanceof Decoded.Ok<JobRequest> job
                            && job.payload().jobId().equals(record.key())) {
                        found.computeIfAbsent(tp, t -> new HashMap<>())
                                .put(
                                        record.offset(),
                                        new JobRecordIndex.JobAttempt(
                                                record.key(), job.payload().attempt()));
                        records++;
                    }
                }
            }
            // a read_committed position may jump over control records; done once it reached the range's end
            open.removeIf(tp -> r.position(tp) >= ranges.get(tp)[1]);
            r.pause(ranges.keySet().stream().filter(tp -> !open.contains(tp)).toList());
        }
        ranges.forEach((tp, range) -> {
            if (!open.contains(tp)) {
                index.readBack(tp, range[0], range[1], found.getOrDefault(tp, Map.of()));
            }
        });
        r.unsubscribe();
        long ms = Duration.ofNanos(System.nanoTime() - started).toMillis();
        if (open.isEmpty()) {
            LOG.infof(
                    "read back %d job records of the %d offsets before the committed position of %d partition(s)"
                            + " in %d ms: a record repeating one of them has no second outcome",
                    records, index.window(), ranges.size(), ms);
        } else {
            LOG.warnf(
                    "could not read back the job records before the committed position of %s within %d s: a job"
                            + " record published twice across this rebalance may run twice",
                    open, READ_BACK_TIMEOUT.toSeconds());
        }
    }

    private KafkaConsumer<String, byte[]> reader() {
        if (reader == null) {
            reader = new KafkaConsumer<>(readerSettings(), new StringDeserializer(), new ByteArrayDeserializer());
        }
        return reader;
    }

    /** The read-back consumer's settings: {@code kafka.*} (address and security included), no group. */
    public Map<String, Object> readerSettings() {
        Map<String, Object> settings = new HashMap<>();
        kafka.forEach((k, v) -> {
            if (ConsumerConfig.configNames().contains(k)) {
                settings.put(k, v);
            }
        });
        settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
        settings.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        settings.put(ConsumerConfig.CLIENT_ID_CONFIG, workerId + "-job-history");
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        return settings;
    }

    void onStop(@Observes ShutdownEvent event) {
        synchronized (this) {
            if (reader != null) {
                reader.close(Duration.ofSeconds(2));
                reader = null;
            }
        }
    }

    /** For tests: the index this listener fills. */
    JobRecordIndex index() {
        return index;
    }
}
