package dev.genfleet.worker.consume;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genfleet.schemas.BlobRef;
import dev.genfleet.schemas.DeadLetter;
import dev.genfleet.schemas.Decoded;
import dev.genfleet.schemas.EventCodec;
import dev.genfleet.schemas.Hashes;
import dev.genfleet.schemas.ImageArtifact;
import dev.genfleet.schemas.ImageInput;
import dev.genfleet.schemas.ImageOutput;
import dev.genfleet.schemas.JobRequest;
import dev.genfleet.schemas.JobResult;
import dev.genfleet.schemas.Priority;
import dev.genfleet.schemas.Topics;
import dev.genfleet.schemas.TraceContext;
import dev.genfleet.testkit.KafkaBrokers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Limits misaligned between the worker and a topic: the results topic takes records of at most 16 KiB while the
 * worker's {@code max-record-bytes} is 8 MiB, so its own size check passes a result that the broker then refuses
 * and every transaction holding it fails. The worker splits the poll until that job is alone, dead-letters it
 * with {@code RESULT_TOO_LARGE} and commits the rest: no endless rerun, no job lost, one outcome each. With a blob
 * store configured, the job isolated so is committed instead with every image by claim check, and succeeds.
 */
class RefusedRecordIT {

    private static final Topics TOPICS = Topics.defaults();
    private static final Duration WAIT = Duration.ofSeconds(150);
    private static final int SMALL = 7;
    private final EventCodec codec = EventCodec.forComponent("refused-test");
    private final String bootstrap = KafkaBrokers.bootstrapServers();

    @Test
    void shouldDeadLetterTheJobWhoseResultTheBrokerRefusesAndCommitTheRest() throws Exception {
        runSixteenBannersAmongSmallJobs(null);
    }

    @Test
    void shouldCommitTheRefusedJobByClaimCheckWhenABlobStoreIsConfigured(@TempDir Path blobs) throws Exception {
        runSixteenBannersAmongSmallJobs(blobs);
    }

    /** Seven one-banner jobs and one sixteen-banner job whose result the topic refuses; {@code blobs}: the store. */
    private void runSixteenBannersAmongSmallJobs(Path blobs) throws Exception {
        String pool = "refused" + UUID.randomUUID().toString().substring(0, 6);
        String results = "genfleet.results." + pool;
        try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(
                            new NewTopic(results, 2, (short) 1).configs(Map.of("max.message.bytes", "16384")),
                            // one partition: every job arrives in the worker's first poll
                            new NewTopic(TOPICS.jobs(pool, Priority.BULK), 1, (short) 1)))
                    .all()
                    .get();
        }
        List<JobRequest> small = new ArrayList<>();
        for (int i = 0; i < SMALL; i++) {
            small.add(job("small" + i, new ImageInput(i, 1, null, 1, null)));
        }
        // sixteen banners (a few KiB each as PNG): far more than 16 KiB, far less than 8 MiB; one banner fits
        JobRequest large = job("large", new ImageInput(99, 16, null, 16, null));
        try (var producer = new KafkaProducer<>(
                Map.<String, Object>of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < SMALL; i++) {
                if (i == SMALL / 2) {
                    send(producer, pool, large);
                }
                send(producer, pool, small.get(i));
            }
        }
        Map<String, String> settings = new HashMap<>(
                Map.of("genfleet.worker.models", "banner-gan", "genfleet.worker.topics.results", results));
        if (blobs != null) {
            settings.put("genfleet.worker.blobs.dir", blobs.toString());
        }
        try (WorkerProcess worker = WorkerProcess.start(bootstrap, pool + "-w", pool, settings)) {
            await().atMost(WAIT).until(() -> results(results).size() == SMALL + 1);
            String log = worker.output();
            Map<String, List<JobResult>> byJob = results(results);
            for (JobRequest job : small) {
                List<JobResult> r = byJob.get(job.jobId());
                assertEquals(1, r.size(), job.jobId() + ": " + r + "\n" + log);
                assertEquals("SUCCEEDED", r.get(0).status().name(), log);
            }
            for (JobRequest job : small) {
                // one banner fits the topic: inline, with or without a store
                ImageArtifact image = ((ImageOutput)
                                byJob.get(job.jobId()).get(0).output())
                        .images()
                        .get(0);
                assertNotNull(image.data(), job.jobId());
            }
            List<JobResult> refused = byJob.get(large.jobId());
            assertEquals(1, refused.size(), String.valueOf(refused));
            assertTrue(log.contains("splitting the poll"), log);
            if (blobs != null) {
                assertEquals("SUCCEEDED", refused.get(0).status().name(), log);
                List<ImageArtifact> images = ((ImageOutput) refused.get(0).output()).images();
                assertEquals(16, images.size());
                for (ImageArtifact image : images) {
                    assertNull(image.data());
                    Path blob = blobs.resolve(
                            BlobRef.parse(image.ref()).orElseThrow().relativePath());
                    assertEquals(image.sha256(), Hashes.sha256Hex(Files.readAllBytes(blob)), image.ref());
                }
                assertTrue(log.contains("committing them with every image by claim check"), log);
                return;
            }
            assertEquals("DEAD_LETTERED", refused.get(0).status().name(), log);
            assertEquals("RESULT_TOO_LARGE", refused.get(0).error().code(), String.valueOf(refused.get(0)));
            assertTrue(
                    refused.get(0).error().message().contains("max.message.bytes"),
                    refused.get(0).error().message());
            DeadLetter letter = deadLetter(large.jobId());
            assertEquals("RESULT_TOO_LARGE", letter.reason().code(), String.valueOf(letter));
            log.lines()
                    .filter(l -> l.contains("splitting the poll") || l.contains("dead-lettering the job"))
                    .forEach(System.out::println);
        }
    }

    private static JobRequest job(String name, ImageInput input) {
        return new JobRequest(
                "job-" + name + "-" + UUID.randomUUID(),
                "acme",
                null,
                null,
                "banner-gan",
                Priority.BULK,
                input,
                Instant.now(),
                null,
                1,
                null,
                null);
    }

    private void send(KafkaProducer<String, byte[]> producer, String pool, JobRequest job) throws Exception {
        producer.send(codec.encode(TOPICS.jobs(pool, Priority.BULK), job, TraceContext.NONE))
                .get();
    }

    /** Every committed result on the topic, by job id. */
    private Map<String, List<JobResult>> results(String topic) {
        Map<String, List<JobResult>> byJob = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : TopicReads.readAll(bootstrap, topic, "read_committed")) {
            if (codec.decode(r, JobResult.class) instanceof Decoded.Ok<JobResult> ok) {
                byJob.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(ok.payload());
            }
        }
        return byJob;
    }

    private DeadLetter deadLetter(String jobId) {
        for (ConsumerRecord<String, byte[]> r : TopicReads.readAll(bootstrap, TOPICS.deadLetters(), "read_committed")) {
            if (codec.decode(r, DeadLetter.class) instanceof Decoded.Ok<DeadLetter> ok
                    && jobId.equals(ok.payload().jobId())) {
                return ok.payload();
            }
        }
        throw new AssertionError("no dead letter for " + jobId);
    }
}
