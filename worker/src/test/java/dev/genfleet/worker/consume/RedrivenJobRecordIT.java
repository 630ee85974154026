package dev.genfleet.worker.consume;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genfleet.schemas.DeadLetters;
import dev.genfleet.schemas.Decoded;
import dev.genfleet.schemas.EventCodec;
import dev.genfleet.schemas.JobRequest;
import dev.genfleet.schemas.JobResult;
import dev.genfleet.schemas.JobStatus;
import dev.genfleet.schemas.Priority;
import dev.genfleet.schemas.TextInput;
import dev.genfleet.schemas.Topics;
import dev.genfleet.schemas.TraceContext;
import dev.genfleet.testkit.KafkaBrokers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repeat rule keys on (job id, attempt): a dead-lettered job redriven by the operator's tool
 * ({@link DeadLetters}, attempt + 1) runs again and gets the new attempt's outcome, while the same redrive
 * written twice (before the new attempt finished) is one attempt with one outcome. Real broker, real worker,
 * real dead letter: the job names a model the pool does not host, so every attempt is dead-lettered.
 */
class RedrivenJobRecordIT {

    private static final Topics TOPICS = Topics.defaults();
    private static final Duration WAIT = Duration.ofSeconds(120);
    private final EventCodec codec = EventCodec.forComponent("redrive-test");
    private final String bootstrap = KafkaBrokers.bootstrapServers();

    @Test
    void shouldRunAHigherAttemptOfADeadLetteredJobAndTreatTheSameAttemptAgainAsARepeat(@TempDir Path dir)
            throws Exception {
        String pool = "redrive" + UUID.randomUUID().toString().substring(0, 6);
        JobRequest poison = new JobRequest(
                "job-poison-" + UUID.randomUUID(),
                "acme",
                null,
                null,
                "no-such-model",
                Priority.INTERACTIVE,
                new TextInput("Hi Sam, ", 8, 0.8, 0, 1.0, List.of(), 5L),
                Instant.now(),
                null,
                1,
                null,
                null);
        JobRequest marker = new JobRequest(
                "job-marker-" + UUID.randomUUID(),
                "acme",
                null,
                null,
                "copy-gpt",
                Priority.INTERACTIVE,
                new TextInput("Hi Sam, ", 8, 0.8, 0, 1.0, List.of(), 6L),
                Instant.now(),
                null,
                1,
                null,
                null);
        Path client = dir.resolve("kafka.properties");
        Files.writeString(client, "bootstrap.servers=" + bootstrap + "\n");
        String jobs = TOPICS.jobs(pool, Priority.INTERACTIVE);
        try (var producer = producer()) {
            producer.send(codec.encode(jobs, poison, TraceContext.NONE)).get();
            try (WorkerProcess worker = WorkerProcess.start(bootstrap, pool + "-a", pool, Map.of())) {
                await().atMost(WAIT).until(() -> results(poison.jobId()).size() == 1);
                assertEquals(
                        JobStatus.DEAD_LETTERED, results(poison.jobId()).get(0).status(), worker.output());
            }

            // while no worker runs, the operator redrives it twice: both records are attempt 2
            assertEquals(0, redrive(client, poison.jobId()), "first redrive");
            assertEquals(0, redrive(client, poison.jobId()), "the same redrive again, before attempt 2 ran");
            producer.send(codec.encode(jobs, marker, TraceContext.NONE)).get();

            try (WorkerProcess worker = WorkerProcess.start(bootstrap, pool + "-b", pool, Map.of())) {
                await().atMost(WAIT).until(() -> results(marker.jobId()).size() == 1);
                String log = worker.output();
                List<JobResult> outcomes = results(poison.jobId());
                assertEquals(2, outcomes.size(), "attempt 1 and attempt 2, no third outcome; log:\n" + log);
                assertEquals(1, outcomes.get(0).attempt());
                assertEquals(2, outcomes.get(1).attempt(), "the redrive ran as attempt 2; log:\n" + log);
                assertTrue(log.contains("read back"), log);
                assertTrue(log.contains("job " + poison.jobId() + " at " + jobs), "the second redrive: " + log);
                assertTrue(log.contains("repeats its record at offset"), log);
            }
        }
    }

    private int redrive(Path client, String jobId) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = DeadLetters.run(
                new String[] {client.toString(), "redrive", jobId, "--actor", "it"},
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        System.out.println(out.toString(StandardCharsets.UTF_8));
        return status;
    }

    private KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(
                Map.<String, Object>of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    /** The job's committed results, in log order. */
    private List<JobResult> results(String jobId) {
        return TopicReads.readAll(bootstrap, TOPICS.results(), "read_committed").stream()
                .filter(r -> jobId.equals(r.key()))
                .sorted(java.util.Comparator.comparingLong(ConsumerRecord::offset))
                .map(r -> codec.decode(r, JobResult.class))
                .filter(d -> d instanceof Decoded.Ok<JobResult>)
                .map(d -> ((Decoded.Ok<JobResult>) d).payload())
                .toList();
    }
}
