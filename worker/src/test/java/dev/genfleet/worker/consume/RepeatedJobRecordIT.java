package dev.genfleet.worker.consume;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genfleet.schemas.EventCodec;
import dev.genfleet.schemas.JobRequest;
import dev.genfleet.schemas.Priority;
import dev.genfleet.schemas.TextInput;
import dev.genfleet.schemas.Topics;
import dev.genfleet.schemas.TraceContext;
import dev.genfleet.testkit.KafkaBrokers;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * A job record published more than once (a submission retried while its first publish was in doubt, as the
 * chaos suite provoked with a broker SIGKILL) has exactly one committed result: when both records arrive in one
 * poll, when the repeat arrives in a later poll, and when it arrives after the worker that ran the first
 * record died, so the next worker knows the first only by reading back the partition before its committed
 * offset.
 */
class RepeatedJobRecordIT {

    private static final Topics TOPICS = Topics.defaults();
    private static final Duration WAIT = Duration.ofSeconds(120);
    private final EventCodec codec = EventCodec.forComponent("repeat-test");
    private final String bootstrap = KafkaBrokers.bootstrapServers();

    @Test
    void shouldCommitOneResultPerJobHoweverOftenItsRecordArrives() throws Exception {
        String pool = "repeat" + UUID.randomUUID().toString().substring(0, 6);
        JobRequest repeated = job("repeated", 7);
        JobRequest first = job("first", 1);
        JobRequest second = job("second", 2);
        JobRequest third = job("third", 3);
        String jobs = TOPICS.jobs(pool, Priority.BULK);
        try (var producer = producer()) {
            // twice before any worker runs: one poll holds both
            send(producer, jobs, repeated);
            send(producer, jobs, repeated);
            send(producer, jobs, first);
            try (WorkerProcess worker = WorkerProcess.start(bootstrap, pool + "-a", pool, Map.of())) {
                await().atMost(WAIT).until(() -> results(first.jobId()) == 1);
                assertEquals(
                        1, results(repeated.jobId()), "one poll, two records: one result; log:\n" + worker.output());

                // again, after its result was committed: a later poll
                send(producer, jobs, repeated);
                send(producer, jobs, second);
                await().atMost(WAIT).until(() -> results(second.jobId()) == 1);
                assertEquals(1, results(repeated.jobId()), "a later poll: still one result; log:\n" + worker.output());
                assertTrue(worker.output().contains("repeats its record at offset"), worker.output());
            }

            // and once more while no worker runs: the next one learns the first records by reading back
            send(producer, jobs, repeated);
            send(producer, jobs, third);
            try (WorkerProcess worker = WorkerProcess.start(bootstrap, pool + "-b", pool, Map.of())) {
                await().atMost(WAIT).until(() -> results(third.jobId()) == 1);
                String log = worker.output();
                assertEquals(1, results(repeated.jobId()), "after a restart: still one result; log:\n" + log);
                assertTrue(log.contains("read back"), log);
                assertTrue(log.contains("repeats its record at offset"), log);
            }
        }
    }

    private static JobRequest job(String name, long seed) {
        return new JobRequest(
                "job-" + name + "-" + UUID.randomUUID(),
                "acme",
                null,
                null,
                "copy-gpt",
                Priority.BULK,
                new TextInput("Hi Sam, ", 8, 0.8, 0, 1.0, List.of(), seed),
                Instant.now(),
                null,
                1,
                null,
                null);
    }

    private void send(KafkaProducer<String, byte[]> producer, String topic, JobRequest job) throws Exception {
        producer.send(codec.encode(topic, job, TraceContext.NONE)).get();
    }

    private KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(
                Map.<String, Object>of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    /** How many committed results the job has. */
    private int results(String jobId) {
        Map<String, Integer> counts = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : TopicReads.readAll(bootstrap, TOPICS.results(), "read_committed")) {
            counts.merge(r.key(), 1, Integer::sum);
        }
        return counts.getOrDefault(jobId, 0);
    }
}
