package dev.genfleet.worker.consume;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genfleet.schemas.AuditEvent;
import dev.genfleet.schemas.AuditType;
import dev.genfleet.schemas.ControlAction;
import dev.genfleet.schemas.ControlCommand;
import dev.genfleet.schemas.DeadLetter;
import dev.genfleet.schemas.Decoded;
import dev.genfleet.schemas.EventCodec;
import dev.genfleet.schemas.GenfleetPayload;
import dev.genfleet.schemas.Hashes;
import dev.genfleet.schemas.ImageArtifact;
import dev.genfleet.schemas.ImageInput;
import dev.genfleet.schemas.ImageOutput;
import dev.genfleet.schemas.JobInput;
import dev.genfleet.schemas.JobRequest;
import dev.genfleet.schemas.JobResult;
import dev.genfleet.schemas.JobStatus;
import dev.genfleet.schemas.ModelAnnouncement;
import dev.genfleet.schemas.Priority;
import dev.genfleet.schemas.RuntimeFingerprint;
import dev.genfleet.schemas.TextInput;
import dev.genfleet.schemas.TextOutput;
import dev.genfleet.schemas.Topics;
import dev.genfleet.schemas.TraceContext;
import dev.genfleet.worker.model.Fingerprints;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The worker against the real broker and the real models: jobs in, results, audit and DLQ out. */
@QuarkusTest
@QuarkusTestResource(value = CatalogTopicsResource.class, restrictToAnnotatedClass = false)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkerPipelineIT {

    /** Health and metrics answer on the management port, not the API's (application.properties); paths are under its root, /q. */
    @io.quarkus.test.common.http.TestHTTPResource(value = "/health/ready", management = true)
    java.net.URL ready;

    @io.quarkus.test.common.http.TestHTTPResource(value = "/metrics", management = true)
    java.net.URL metrics;

    private static final Topics TOPICS = Topics.defaults();
    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    HostedModels hosted;

    private final EventCodec codec = EventCodec.forComponent("test-gateway");
    private KafkaProducer<String, byte[]> producer;
    private TopicCollector collector;

    @BeforeAll
    void connect() {
        producer = new KafkaProducer<>(
                Map.<String, Object>of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(),
                new ByteArraySerializer());
        collector = new TopicCollector(
                bootstrap, List.of(TOPICS.results(), TOPICS.audit(), TOPICS.deadLetters(), TOPICS.models()));
    }

    @AfterAll
    void disconnect() throws Exception {
        producer.close();
        collector.close();
    }

    @Test
    void shouldGenerateTextAndPublishOneResultWithStartedAndSucceededAudit() {
        TextInput input = new TextInput("Hi Maria, ", 24, 0.8, 20, 0.95, List.of(), 42L);
        JobRequest job = job("copy-gpt", input, Priority.INTERACTIVE, null);
        submit(job, Priority.INTERACTIVE);

        JobResult result = awaitResult(job.jobId());
        assertEquals(JobStatus.SUCCEEDED, result.status());
        TextOutput text = assertInstanceOf(TextOutput.class, result.output());
        assertFalse(text.text().isEmpty());
        assertEquals("copy-gpt", result.model());
        assertEquals("1", result.modelVersion());
        assertEquals("test-worker", result.workerId());

        List<AuditEvent> audit = awaitAudit(job.jobId(), AuditType.SUCCEEDED);
        assertEquals(
                List.of(AuditType.STARTED, AuditType.SUCCEEDED),
                audit.stream().map(AuditEvent::type).toList());
        AuditEvent succeeded = audit.get(1);
        assertEquals(Hashes.inputSha256(input), succeeded.inputSha256());
        assertEquals(Hashes.outputSha256(text), succeeded.outputSha256());
        assertEquals(42L, succeeded.seed());
        assertEquals("1", succeeded.modelVersion());

        ConsumerRecord<String, byte[]> raw =
                collector.records(TOPICS.results(), job.jobId()).get(0);
        assertEquals(
                TRACEPARENT,
                new String(raw.headers().lastHeader("ce_traceparent").value(), StandardCharsets.UTF_8),
                "the job's trace context travels into its result");
    }

    @Test
    void shouldServeADroppedInTorchScriptModelWithTheSameTextAsTheModelItWasExportedFrom() {
        TextInput input = new TextInput("Hi Maria, ", 24, 0.8, 20, 0.95, List.of(), 4242L);
        JobRequest original = job("copy-gpt", input, Priority.INTERACTIVE, null);
        JobRequest scripted = job("copy-gpt-torchscript", input, Priority.BULK, null);
        submit(original, Priority.INTERACTIVE);
        submit(scripted, Priority.BULK);

        JobResult viaTorchScript = awaitResult(scripted.jobId());
        assertEquals(JobStatus.SUCCEEDED, viaTorchScript.status());
        assertEquals("copy-gpt-torchscript", viaTorchScript.model());
        assertEquals(
                assertInstanceOf(TextOutput.class, awaitResult(original.jobId()).output()),
                assertInstanceOf(TextOutput.class, viaTorchScript.output()));
        List<ModelAnnouncement> announced = await().atMost(WAIT)
                .until(
                        () -> payloads(TOPICS.models(), "test-worker/copy-gpt-torchscript", ModelAnnouncement.class),
                        l -> !l.isEmpty());
        assertEquals("TEXT", announced.get(announced.size() - 1).modality());
    }

    @Test
    void shouldGiveTheSameTextForTheSameSeedAcrossJobs() {
        TextInput input = new TextInput("Dear Lena, our ", 32, 0.9, 0, 1.0, List.of(), 2026L);
        JobRequest first = job("copy-gpt", input, Priority.BULK, null);
        JobRequest second = job("copy-gpt", input, Priority.BULK, null);
        submit(first, Priority.BULK);
        submit(second, Priority.BULK);
        assertEquals(
                ((TextOutput) awaitResult(first.jobId()).output()).text(),
                ((TextOutput) awaitResult(second.jobId()).output()).text());
    }

    @Test
    void shouldGeneratePngImagesKeepingTheBestOfN() throws Exception {
        JobRequest job = job("banner-gan", new ImageInput(7L, 2, null, 6, null), Priority.INTERACTIVE, null);
        submit(job, Priority.INTERACTIVE);

        JobResult result = awaitResult(job.jobId());
        ImageOutput output = assertInstanceOf(ImageOutput.class, result.output());
        assertEquals(2, output.images().size());
        // the determinism tuple travels with the result (worker/README.md, "Determinism")
        RuntimeFingerprint runtime = result.runtime();
        assertNotNull(runtime, "result without its runtime fingerprint");
        assertEquals(Fingerprints.weightsSha256(Path.of("..", "models", "banner-gan", "1")), runtime.weightsSha256());
        assertEquals("cpu()", runtime.device());
        assertEquals(1, runtime.threads(), "the tests run one intra-op thread");
        assertTrue(runtime.engine().startsWith("PyTorch "), runtime.engine());
        for (ImageArtifact image : output.images()) {
            assertEquals("image/png", image.mediaType());
            assertEquals(Hashes.sha256Hex(image.data()), image.sha256());
            BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(image.data()));
            assertNotNull(decoded);
            assertEquals(image.width(), decoded.getWidth());
            assertEquals(image.height(), decoded.getHeight());
        }
        assertTrue(output.images().get(0).score() >= output.images().get(1).score(), "best score first");
    }

    @Test
    void shouldDeadLetterAMalformedRecordAndKeepConsuming() throws Exception {
        String key = "garbage-" + UUID.randomUUID();
        byte[] garbage = "{this is not a job".getBytes(StandardCharsets.UTF_8);
        producer.send(new ProducerRecord<>(TOPICS.jobs("text", Priority.BULK), key, garbage))
                .get();
        JobRequest after = job("copy-gpt", new TextInput("Hello", 8, 0.0, 0, 1.0, List.of(), 1L), Priority.BULK, null);
        submit(after, Priority.BULK);

        DeadLetter letter = await().atMost(WAIT)
                .until(() -> payloads(TOPICS.deadLetters(), key, DeadLetter.class), l -> !l.isEmpty())
                .get(0);
        assertEquals("NOT_A_CLOUDEVENT", letter.reason().code());
        assertArrayEquals(garbage, letter.value());
        assertEquals(TOPICS.jobs("text", Priority.BULK), letter.sourceTopic());
        assertEquals(
                JobStatus.SUCCEEDED,
                awaitResult(after.jobId()).status(),
                "the consumer went on after the poison record");
    }

    /**
     * Producer, topic and broker limits agree (8 MiB): a 7 MB result is written; a 9 MB one would fail its
     * send and abort the transaction on every rerun, so it is dead-lettered alone with RESULT_TOO_LARGE
     * while the jobs polled with it succeed, and it starts exactly once (no rerun loop).
     */
    @Test
    void shouldDeadLetterAResultTooLargeForItsRecordAndKeepTheRestOfItsPoll() {
        JobRequest fits =
                job("flaky", new TextInput("huge:7000000", 8, 0.0, 0, 1.0, List.of(), 1L), Priority.INTERACTIVE, null);
        JobRequest tooLarge =
                job("flaky", new TextInput("huge:9000000", 8, 0.0, 0, 1.0, List.of(), 1L), Priority.INTERACTIVE, null);
        JobRequest small =
                job("flaky", new TextInput("a small one", 8, 0.0, 0, 1.0, List.of(), 1L), Priority.INTERACTIVE, null);
        submit(fits, Priority.INTERACTIVE);
        submit(tooLarge, Priority.INTERACTIVE);
        submit(small, Priority.INTERACTIVE);

        JobResult big = awaitResult(fits.jobId());
        assertEquals(JobStatus.SUCCEEDED, big.status(), "a 7 MB result fits producer, topic and broker");
        assertEquals(7_000_000, ((TextOutput) big.output()).text().length());
        assertEquals(JobStatus.SUCCEEDED, awaitResult(small.jobId()).status());
        JobResult refused = awaitResult(tooLarge.jobId());
        assertEquals(JobStatus.DEAD_LETTERED, refused.status());
        assertEquals("RESULT_TOO_LARGE", refused.error().code());
        assertTrue(
                refused.error().message().contains("8388608"), refused.error().message());
        DeadLetter letter = await().atMost(WAIT)
                .until(() -> payloads(TOPICS.deadLetters(), tooLarge.jobId(), DeadLetter.class), l -> !l.isEmpty())
                .get(0);
        assertEquals("RESULT_TOO_LARGE", letter.reason().code());
        List<AuditType> types = awaitAudit(tooLarge.jobId(), AuditType.DEAD_LETTERED).stream()
                .map(AuditEvent::type)
                .toList();
        assertEquals(
                1, types.stream().filter(t -> t == AuditType.STARTED).count(), "started once, never rerun: " + types);
    }

    @Test
    void shouldRetryAFailingJobWithBackoffThenDeadLetterIt() {
        JobRequest job =
                job("flaky", new TextInput("always-fail please", 8, 0.0, 0, 1.0, List.of(), 1L), Priority.BULK, null);
        submit(job, Priority.BULK);

        JobResult result = awaitResult(job.jobId());
        assertEquals(JobStatus.DEAD_LETTERED, result.status());
        assertEquals("MODEL_ERROR", result.error().code());
        List<AuditType> types = awaitAudit(job.jobId(), AuditType.DEAD_LETTERED).stream()
                .map(AuditEvent::type)
                .toList();
        assertEquals(
                List.of(
                        AuditType.STARTED,
                        AuditType.FAILED,
                        AuditType.RETRIED,
                        AuditType.FAILED,
                        AuditType.RETRIED,
                        AuditType.FAILED,
                        AuditType.DEAD_LETTERED),
                types);
        DeadLetter letter = await().atMost(WAIT)
                .until(() -> payloads(TOPICS.deadLetters(), job.jobId(), DeadLetter.class), l -> !l.isEmpty())
                .get(0);
        assertEquals(3, letter.attempts());
        assertTrue(
                letter.reason().message().contains("flaky model refuses"),
                letter.reason().message());
    }

    @Test
    void shouldExpireAJobWhoseDeadlinePassedWithoutRunningIt() {
        JobRequest job = job(
                "copy-gpt",
                new TextInput("late", 8, 0.0, 0, 1.0, List.of(), 1L),
                Priority.BULK,
                Instant.now().minusSeconds(5));
        submit(job, Priority.BULK);

        assertEquals(JobStatus.EXPIRED, awaitResult(job.jobId()).status());
        assertEquals(
                List.of(AuditType.EXPIRED),
                awaitAudit(job.jobId(), AuditType.EXPIRED).stream()
                        .map(AuditEvent::type)
                        .toList(),
                "never STARTED");
    }

    @Test
    void shouldCancelAJobNamedOnTheControlTopic() throws Exception {
        JobRequest job =
                job("copy-gpt", new TextInput("cancel me", 8, 0.0, 0, 1.0, List.of(), 1L), Priority.BULK, null);
        producer.send(codec.encode(
                        TOPICS.control(),
                        new ControlCommand(
                                UUID.randomUUID().toString(),
                                ControlAction.CANCEL_JOB,
                                job.tenant(),
                                job.jobId(),
                                null,
                                "tenant:acme",
                                Instant.now(),
                                "changed my mind"),
                        TraceContext.NONE))
                .get();
        await().atMost(WAIT)
                .until(() ->
                        hosted.cancellations() != null && hosted.cancellations().isCancelled(job));
        submit(job, Priority.BULK);

        assertEquals(JobStatus.CANCELLED, awaitResult(job.jobId()).status());
    }

    @Test
    void shouldServeAnInteractiveJobBeforeABulkBacklog() {
        List<JobRequest> backlog = new ArrayList<>();
        for (int i = 0; i < 48; i++) {
            JobRequest bulk = job(
                    "copy-gpt", new TextInput("Bulk " + i + " ", 24, 0.8, 0, 1.0, List.of(), i), Priority.BULK, null);
            backlog.add(bulk);
            submit(bulk, Priority.BULK);
        }
        await().atMost(WAIT)
                .until(() -> !collector
                        .records(TOPICS.audit(), backlog.get(0).jobId())
                        .isEmpty());
        JobRequest urgent =
                job("copy-gpt", new TextInput("Urgent ", 24, 0.8, 0, 1.0, List.of(), 1L), Priority.INTERACTIVE, null);
        submit(urgent, Priority.INTERACTIVE);

        awaitResult(urgent.jobId());
        long bulkDoneBeforeUrgent = backlog.stream()
                .filter(b -> !collector.records(TOPICS.results(), b.jobId()).isEmpty())
                .count();
        assertTrue(
                bulkDoneBeforeUrgent < backlog.size(),
                "the interactive job waited for the whole bulk backlog (" + bulkDoneBeforeUrgent + " done first)");
        backlog.forEach(b -> awaitResult(b.jobId()));
    }

    @Test
    void shouldConsumeBulkThroughTwoLanesOfOneGroupEachCommittingItsOwnPartitions() throws Exception {
        String group = "genfleet-worker-text-bulk";
        String topic = TOPICS.jobs("text", Priority.BULK);
        try (Admin admin =
                Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            // members of a worker that an earlier test class halted stay in the group until their session
            // times out (45 s) and a rebalance follows: allow for that before the two lanes own everything
            ConsumerGroupDescription described = await().atMost(Duration.ofMinutes(2))
                    .until(
                            () -> admin.describeConsumerGroups(List.of(group))
                                    .describedGroups()
                                    .get(group)
                                    .get(),
                            d -> d.members().size() == 2
                                    && d.members().stream()
                                            .noneMatch(m -> m.assignment()
                                                    .topicPartitions()
                                                    .isEmpty()));
            List<MemberDescription> lanes = new ArrayList<>(described.members());
            Set<TopicPartition> first = lanes.get(0).assignment().topicPartitions();
            Set<TopicPartition> second = lanes.get(1).assignment().topicPartitions();
            assertTrue(
                    first.stream().noneMatch(second::contains), "the lanes share a partition: " + first + " " + second);
            Set<TopicPartition> all = new HashSet<>(first);
            all.addAll(second);
            int partitions = admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get()
                    .get(topic)
                    .partitions()
                    .size();
            assertEquals(partitions, all.size(), "every bulk partition has a lane");
            assertTrue(
                    lanes.stream().anyMatch(m -> m.clientId().contains("jobs-bulk-2")),
                    "client ids: "
                            + lanes.stream().map(MemberDescription::clientId).toList());

            Map<TopicPartition, OffsetAndMetadata> before = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get();
            List<JobRequest> jobs = new ArrayList<>();
            for (int i = 0; i < 40; i++) { // 40 random keys: all on one lane's half of the partitions has odds 2^-39
                JobRequest job = job(
                        "copy-gpt",
                        new TextInput("Lane " + i + " ", 8, 0.8, 0, 1.0, List.of(), i),
                        Priority.BULK,
                        null);
                jobs.add(job);
                submit(job, Priority.BULK);
            }
            jobs.forEach(j -> awaitResult(j.jobId()));
            await("both lanes committed")
                    .atMost(WAIT)
                    .until(
                            () -> admin.listConsumerGroupOffsets(group)
                                    .partitionsToOffsetAndMetadata()
                                    .get(),
                            offsets -> advanced(before, offsets, first) && advanced(before, offsets, second));
        }
    }

    /** Whether the committed offset of at least one of {@code partitions} moved. */
    private static boolean advanced(
            Map<TopicPartition, OffsetAndMetadata> before,
            Map<TopicPartition, OffsetAndMetadata> after,
            Set<TopicPartition> partitions) {
        return partitions.stream()
                .anyMatch(p -> after.containsKey(p)
                        && (!before.containsKey(p)
                                || after.get(p).offset() > before.get(p).offset()));
    }

    @Test
    void shouldAnnounceHostedModelsAndReportReadiness() {
        List<ModelAnnouncement> announcements = await().atMost(WAIT)
                .until(
                        () -> payloads(TOPICS.models(), "test-worker/banner-gan", ModelAnnouncement.class),
                        l -> !l.isEmpty());
        ModelAnnouncement banner = announcements.get(announcements.size() - 1);
        assertTrue(banner.ready());
        assertEquals("text", banner.pool());
        assertEquals("IMAGE", banner.modality());
        RestAssured.given().get(ready).then().statusCode(200);
        RestAssured.given()
                .get(metrics)
                .then()
                .statusCode(200)
                .body(org.hamcrest.Matchers.containsString("genfleet_batch_size"));
    }

    private JobRequest job(String model, JobInput input, Priority priority, Instant deadline) {
        return new JobRequest(
                "job-" + UUID.randomUUID(),
                "acme",
                null,
                null,
                model,
                priority,
                input,
                Instant.now(),
                deadline,
                1,
                null,
                null);
    }

    private void submit(JobRequest job, Priority priority) {
        try {
            producer.send(codec.encode(TOPICS.jobs("text", priority), job, TraceContext.of(TRACEPARENT)))
                    .get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private JobResult awaitResult(String jobId) {
        List<JobResult> results =
                await().atMost(WAIT).until(() -> payloads(TOPICS.results(), jobId, JobResult.class), l -> !l.isEmpty());
        assertEquals(1, results.size(), "exactly one result per job");
        return results.get(0);
    }

    private List<AuditEvent> awaitAudit(String jobId, AuditType last) {
        return await().atMost(WAIT)
                .until(
                        () -> payloads(TOPICS.audit(), jobId, AuditEvent.class),
                        l -> l.stream().anyMatch(e -> e.type() == last));
    }

    private <T extends GenfleetPayload> List<T> payloads(String topic, String key, Class<T> type) {
        List<T> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : collector.records(topic, key)) {
            if (codec.decode(r, type) instanceof Decoded.Ok<T> ok) {
                out.add(ok.payload());
            }
        }
        return out;
    }
}
