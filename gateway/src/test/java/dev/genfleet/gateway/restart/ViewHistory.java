package dev.genfleet.gateway.restart;

import dev.genfleet.schemas.AuditEvent;
import dev.genfleet.schemas.AuditType;
import dev.genfleet.schemas.EventCodec;
import dev.genfleet.schemas.JobResult;
import dev.genfleet.schemas.JobStatus;
import dev.genfleet.schemas.TextOutput;
import dev.genfleet.schemas.Topics;
import dev.genfleet.schemas.TraceContext;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * History for the status view, written straight to Kafka with a producer (no gateway, no worker): per finished job
 * a SUCCEEDED audit event and its result, as a worker commits them. Job ids are derived from a label and an index,
 * so a test can ask for any job it wrote.
 */
final class ViewHistory {

    static final Topics TOPICS = Topics.defaults();
    static final String TENANT = "tenant-a";

    private ViewHistory() {}

    static String jobId(String label, long i) {
        return UUID.nameUUIDFromBytes((label + "/" + i).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    /** Creates audit, results and models with {@code partitions} partitions (co-partitioned), if missing. */
    static void createTopics(String bootstrap, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (String t : List.of(TOPICS.audit(), TOPICS.results(), TOPICS.models())) {
                if (!existing.contains(t)) {
                    missing.add(new NewTopic(t, partitions, (short) 1));
                }
            }
            admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
        }
    }

    /** Writes {@code jobs} finished jobs ({@code 2 * jobs} records); returns the records written. */
    static long write(String bootstrap, String label, long from, long jobs) {
        EventCodec codec = EventCodec.forComponent("worker");
        Map<String, Object> props = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.LINGER_MS_CONFIG,
                20,
                ProducerConfig.BATCH_SIZE_CONFIG,
                262_144,
                ProducerConfig.COMPRESSION_TYPE_CONFIG,
                "lz4");
        Instant now = Instant.now();
        AtomicReference<Exception> failure = new AtomicReference<>();
        Callback failed = (metadata, e) -> {
            if (e != null) {
                failure.compareAndSet(null, e);
            }
        };
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            for (long i = from; i < from + jobs; i++) {
                String id = jobId(label, i);
                AuditEvent succeeded = new AuditEvent(
                        "bench-" + id,
                        AuditType.SUCCEEDED,
                        id,
                        null,
                        null,
                        TENANT,
                        "worker-bench",
                        now,
                        "copy-gpt",
                        "1.0.0",
                        i,
                        null,
                        null,
                        1,
                        null,
                        "worker-bench",
                        5L,
                        Map.of());
                JobResult result = new JobResult(
                        id,
                        TENANT,
                        null,
                        null,
                        JobStatus.SUCCEEDED,
                        "copy-gpt",
                        "1.0.0",
                        new TextOutput("copy for job " + i, "stop", 4, 4),
                        null,
                        1,
                        now.minusMillis(5),
                        now,
                        "worker-bench");
                producer.send(codec.encode(TOPICS.audit(), succeeded, TraceContext.NONE), failed);
                producer.send(codec.encode(TOPICS.results(), result, TraceContext.NONE), failed);
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("writing the history failed", failure.get());
        }
        return 2 * jobs;
    }
}
