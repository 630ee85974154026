package dev.genfleet.worker.consume;

import dev.genfleet.schemas.ControlCommand;
import dev.genfleet.schemas.Decoded;
import dev.genfleet.schemas.EventCodec;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Reads every control command (each worker in its own group, from the beginning at every start) and
 * remembers cancellations. {@link #caughtUp()} completes once the records below the control topic's end
 * offsets, taken when the worker starts, have all been applied: the job channels join their groups only
 * then, so no job starts before a cancel written before this start is known. If the topic cannot be read
 * within {@code genfleet.control.replay-timeout}, the worker logs why and stays unready (it keeps
 * trying; the reason shows in {@code /q/health/ready}).
 */
@ApplicationScoped
public class ControlListener {

    private static final Logger LOG = Logger.getLogger(ControlListener.class);
    private static final String CHANNEL = "control";
    private static final Duration CHECK_EVERY = Duration.ofMillis(100);
    /**
     * A partition whose consumer position has passed its end offset, but whose last offsets below it were
     * no deliverable record (a transaction marker, a record removed by compaction), counts as read once no
     * new record came from it for this long.
     */
    private static final Duration GAP_QUIET = Duration.ofSeconds(2);

    @Inject
    HostedModels hosted;

    @Inject
    KafkaClientService clients;

    @ConfigProperty(name = "mp.messaging.incoming.control.topic")
    String topic;

    @ConfigProperty(name = "genfleet.control.replay-timeout", defaultValue = "60s")
    Duration replayTimeout;

    private final EventCodec codec = EventCodec.forComponent("worker");
    /** Per partition: the offset after the last record handled (applied or skipped as unreadable). */
    private final Map<Integer, Long> next = new ConcurrentHashMap<>();

    private final AtomicLong handled = new AtomicLong();
    private final CompletableFuture<Void> caughtUp = new CompletableFuture<>();
    private final Map<Integer, Long> quietSince = new ConcurrentHashMap<>();
    private final Map<Integer, Long> lastSeen = new ConcurrentHashMap<>();
    private volatile Map<Integer, Long> endOffsets;
    private volatile String progress = "control replay not started";
    private volatile String problem;
    private ScheduledExecutorService scheduler;
    private long startedAt;
    private boolean warned;

    @Incoming("control")
    public void onCommand(ConsumerRecord<String, byte[]> record) {
        try {
            Decoded<ControlCommand> decoded = codec.decode(record, ControlCommand.class);
            if (decoded instanceof Decoded.Ok<ControlCommand> ok) {
                hosted.cancellations().apply(ok.payload());
            } else if (decoded instanceof Decoded.Failed<ControlCommand> failed) {
                LOG.warnf(
                        "ignoring unreadable control record %s-%d@%d: %s",
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        failed.reason().message());
            }
        } finally {
            next.merge(record.partition(), record.offset() + 1, Math::max);
            handled.incrementAndGet();
        }
    }

    /** Starts watching the replay; called once at start, before the models load. */
    synchronized void startReplay() {
        if (scheduler != null) {
            return;
        }
        startedAt = System.nanoTime();
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "control-replay");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::check, 0, CHECK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Completes when the control topic has been read up to the end offsets taken at start. */
    public CompletableFuture<Void> caughtUp() {
        return caughtUp;
    }

    public boolean isCaughtUp() {
        return caughtUp.isDone() && !caughtUp.isCompletedExceptionally();
    }

    /** Where the replay stands, for the readiness check. */
    public String progress() {
        return progress;
    }

    /** Why the replay has not finished within the timeout, or null. */
    public String problem() {
        return problem;
    }

    private void check() {
        if (caughtUp.isDone()) {
            return;
        }
        try {
            KafkaConsumer<Object, Object> consumer = clients.getConsumer(CHANNEL);
            if (consumer == null) {
                progress = "control consumer not created yet";
            } else if (endOffsets == null) {
                endOffsets =
                        consumer.runOnPollingThread(this::endOffsets).await().atMost(Duration.ofSeconds(15));
                LOG.debugf("control topic %s end offsets at start: %s", topic, endOffsets);
            } else {
                Map<Integer, Long> positions =
                        consumer.getPositions().await().atMost(Duration.ofSeconds(15)).entrySet().stream()
                                .collect(Collectors.toMap(e -> e.getKey().partition(), Map.Entry::getValue));
                if (allRead(positions)) {
                    caughtUp.complete(null);
                    progress = "read " + handled.get() + " control record(s) up to the end offsets " + endOffsets;
                    LOG.infof(
                            "control topic %s read up to its end offsets at start %s in %d ms (%d records); "
                                    + "cancellations known",
                            topic, endOffsets, elapsedMillis(), handled.get());
                    scheduler.shutdown();
                    return;
                }
            }
        } catch (RuntimeException e) {
            progress = "control topic " + topic + " unreadable: " + e;
        }
        if (elapsedMillis() > replayTimeout.toMillis()) {
            problem = "control topic " + topic + " not read to its end within " + replayTimeout + ": " + progress;
            if (!warned) {
                warned = true;
                LOG.errorf(
                        "%s; the job channels stay paused and the worker unready until it is (still trying)", problem);
            }
        }
    }

    private Map<Integer, Long> endOffsets(org.apache.kafka.clients.consumer.Consumer<Object, Object> c) {
        List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofSeconds(10));
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("control topic " + topic + " has no partitions (missing?)");
        }
        List<TopicPartition> partitions = infos.stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        Map<TopicPartition, Long> begin = c.beginningOffsets(partitions, Duration.ofSeconds(10));
        Map<TopicPartition, Long> end = c.endOffsets(partitions, Duration.ofSeconds(10));
        // an empty partition (nothing written, or all of it deleted) has nothing to wait for
        return partitions.stream()
                .collect(
                        Collectors.toMap(TopicPartition::partition, p -> end.get(p) > begin.get(p) ? end.get(p) : -1L));
    }

    private boolean allRead(Map<Integer, Long> positions) {
        long now = System.nanoTime();
        StringBuilder waiting = new StringBuilder();
        boolean all = true;
        for (Map.Entry<Integer, Long> target : endOffsets.entrySet()) {
            int partition = target.getKey();
            long end = target.getValue();
            long done = next.getOrDefault(partition, 0L);
            if (end < 0 || done >= end) {
                continue;
            }
            Long position = positions.get(partition);
            if (position != null && position >= end) {
                // fetched past the end, yet the record at end - 1 never came: wait until the partition is quiet
                if (!Long.valueOf(done).equals(lastSeen.put(partition, done))) {
                    quietSince.put(partition, now);
                } else if (now - quietSince.getOrDefault(partition, now) >= GAP_QUIET.toNanos()) {
                    continue;
                }
            }
            all = false;
            waiting.append(' ')
                    .append(partition)
                    .append(": ")
                    .append(done)
                    .append('/')
                    .append(end);
        }
        if (!all) {
            progress = "replaying control topic " + topic + ", partitions at offset/end:" + waiting;
        }
        return all;
    }

    private long elapsedMillis() {
        return (System.nanoTime() - startedAt) / 1_000_000;
    }

    void onStop(@Observes ShutdownEvent event) {
        synchronized (this) {
            if (scheduler != null) {
                scheduler.shutdownNow();
            }
        }
        caughtUp.completeExceptionally(new IllegalStateException("worker stopping"));
    }
}
