package dev.genfleet.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.genfleet.testkit.KafkaBrokers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DeadLetters} through its command line against the real broker: the test plays the gateway (a job record)
 * and the worker (dead letter + DEAD_LETTERED result in one transaction), then lists, shows and redrives, and reads
 * the jobs and audit topics back.
 */
class DeadLettersIT {

    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    private static final String REQUEST_SHA = "genfleet-request-sha256";
    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

    private final EventCodec gateway = EventCodec.forComponent("gateway");
    private final EventCodec worker = EventCodec.forComponent("worker");
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String jobsTopic = "genfleet.jobs.dlq" + run + ".interactive";
    private final String dlq = "dlq-" + run;
    private final String results = "results-" + run;
    private final String audit = "audit-" + run;
    private Path clientFile;

    @BeforeEach
    void topics(@TempDir Path dir) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KafkaBrokers.bootstrapServers()))) {
            admin.createTopics(List.of(
                            new NewTopic(jobsTopic, 3, (short) 1),
                            new NewTopic(dlq, 2, (short) 1),
                            new NewTopic(results, 3, (short) 1),
                            new NewTopic(audit, 3, (short) 1)))
                    .all()
                    .get();
        }
        clientFile = dir.resolve("kafka.properties");
        Files.writeString(clientFile, "bootstrap.servers=" + KafkaBrokers.bootstrapServers() + "\n");
    }

    @Test
    void shouldListShowAndRedriveADeadLetteredJobWithANewAttemptAndRefuseOneThatFinished() throws Exception {
        JobRequest poison = job("job-poison-" + run, "acme", 42L);
        JobRequest finished = job("job-finished-" + run, "globex", 7L);
        deadLetter(poison, "MODEL_ERROR", 3, null);
        // dead-lettered once, then redriven and finished: its committed result is SUCCEEDED now
        deadLetter(finished, "WORKER_ERROR", 1, JobStatus.SUCCEEDED);
        writeMalformedDeadLetter();

        Out list = run("list");
        assertEquals(0, list.status, list.err);
        List<String> lines = list.out.lines().toList();
        assertEquals("job_id\ttenant\treason\tattempts\tfailed_at\tworker\tsource\tmessage", lines.get(0));
        assertEquals(4, lines.size(), list.out);
        assertTrue(lines.get(1).startsWith(poison.jobId() + "\tacme\tMODEL_ERROR\t3\t"), lines.get(1));
        assertTrue(lines.get(1).contains("\tworker-text-1\t" + jobsTopic + "-"), lines.get(1));
        assertTrue(lines.get(3).startsWith("-\t-\tMALFORMED_DATA\t"), "newest last: " + list.out);
        Out acme = run("list", "--tenant", "acme");
        assertEquals(2, acme.out.lines().count(), acme.out);
        Out byReason = run("list", "--reason", "worker_error");
        assertTrue(byReason.out.contains(finished.jobId()) && !byReason.out.contains(poison.jobId()), byReason.out);
        Out recent = run("list", "--since", "2026-11-30T10:00:02Z");
        assertEquals(3, recent.out.lines().count(), recent.out);

        Out show = run("show", poison.jobId());
        assertEquals(0, show.status, show.err);
        JsonNode shown = Json.mapper().readTree(show.out);
        assertEquals(
                "MODEL_ERROR",
                shown.path("dead_letter").path("reason").path("code").asText());
        assertEquals(
                poison.jobId(),
                shown.path("original").path("value").path("job_id").asText());
        assertEquals(
                42,
                shown.path("original").path("value").path("input").path("seed").asLong());
        assertEquals(
                "sha-" + poison.jobId(),
                shown.path("original").path("headers").path(REQUEST_SHA).asText());
        assertEquals(
                TRACEPARENT,
                shown.path("original").path("headers").path("ce_traceparent").asText());
        assertEquals(
                "DEAD_LETTERED", shown.path("committed_result").path("status").asText());
        assertEquals(1, run("show", "no-such-job").status);

        long jobsBefore = read(jobsTopic).size();
        Out dry = run("redrive", "--reason", "MODEL_ERROR", "--dry-run", "--actor", "maria");
        assertEquals(0, dry.status, dry.err);
        assertTrue(dry.out.contains("would redrive " + poison.jobId()) && dry.out.contains("attempt 3 -> 4"), dry.out);
        assertEquals(jobsBefore, read(jobsTopic).size(), "a dry run writes nothing");

        Out refused = run("redrive", finished.jobId(), poison.jobId(), "--actor", "maria");
        assertEquals(1, refused.status, refused.out);
        assertTrue(refused.err.contains(finished.jobId() + ": its committed result is SUCCEEDED"), refused.err);
        assertEquals(1, run("redrive", "unknown-" + run, "--actor", "maria").status);
        assertEquals(jobsBefore, read(jobsTopic).size(), "a refused redrive writes nothing, not even its valid part");

        Out redriven = run("redrive", poison.jobId(), "--actor", "maria");
        assertEquals(0, redriven.status, redriven.err);

        List<ConsumerRecord<String, byte[]>> jobs = read(jobsTopic).stream()
                .filter(r -> poison.jobId().equals(r.key()))
                .toList();
        assertEquals(2, jobs.size(), "the original record and the redrive");
        assertEquals(jobs.get(0).partition(), jobs.get(1).partition(), "same key, same partition");
        Decoded.Ok<JobRequest> again =
                assertInstanceOf(Decoded.Ok.class, gateway.decode(jobs.get(1), JobRequest.class));
        assertEquals(poison.withAttempt(4), again.payload(), "the same request, attempt 4");
        assertEquals(TRACEPARENT, again.trace().traceparent());
        assertEquals("sha-" + poison.jobId(), header(jobs.get(1), REQUEST_SHA));
        assertNotNull(header(jobs.get(1), DeadLetters.REDRIVE_OF_HEADER));

        List<AuditEvent> audits = read(audit).stream()
                .map(r -> gateway.decode(r, AuditEvent.class))
                .filter(d -> d instanceof Decoded.Ok<AuditEvent>)
                .map(d -> ((Decoded.Ok<AuditEvent>) d).payload())
                .toList();
        assertEquals(1, audits.size(), audits.toString());
        AuditEvent event = audits.get(0);
        assertEquals(AuditType.REDRIVEN, event.type());
        assertEquals("operator:maria", event.actor());
        assertEquals(4, event.attempt());
        assertEquals(poison.jobId(), event.jobId());
        assertEquals("3", event.details().get("dead_lettered_attempt"));
        assertEquals(
                header(jobs.get(1), DeadLetters.REDRIVE_OF_HEADER),
                event.details().get("dead_letter"));
        assertTrue(
                SchemaValidation.validate(EventType.AUDIT_EVENT, Json.mapper().valueToTree(event))
                        .isEmpty());
    }

    private JobRequest job(String id, String tenant, long seed) {
        return new JobRequest(
                id,
                tenant,
                null,
                null,
                "copy-gpt",
                Priority.INTERACTIVE,
                new TextInput("Write to Maria about trail shoes.", 32, 0.8, 40, 0.95, List.of(), seed),
                T0,
                null,
                1,
                null,
                null);
    }

    /** As the gateway, the job record; as the worker, its dead letter and result in one transaction. */
    private void deadLetter(JobRequest job, String code, int attempts, JobStatus laterOutcome) throws Exception {
        ProducerRecord<String, byte[]> record = gateway.encode(jobsTopic, job, TraceContext.of(TRACEPARENT));
        record.headers().add(REQUEST_SHA, ("sha-" + job.jobId()).getBytes(StandardCharsets.UTF_8));
        RecordMetadata at;
        try (KafkaProducer<String, byte[]> p = producer(null)) {
            at = p.send(record).get();
        }
        List<DeadLetter.OriginalHeader> headers = new ArrayList<>();
        for (Header h : record.headers()) {
            headers.add(new DeadLetter.OriginalHeader(h.key(), h.value()));
        }
        Instant failedAt = T0.plusSeconds(laterOutcome == null ? 1 : 2);
        DeadLetter letter = new DeadLetter(
                job.jobId(),
                job.tenant(),
                jobsTopic,
                at.partition(),
                at.offset(),
                job.jobId(),
                record.value(),
                headers,
                Reason.of(code, "failed " + attempts + " attempt(s): boom\nat line 2"),
                attempts,
                failedAt,
                "worker-text-1");
        JobResult dead = new JobResult(
                job.jobId(),
                job.tenant(),
                null,
                null,
                JobStatus.DEAD_LETTERED,
                job.model(),
                "1",
                null,
                letter.reason(),
                attempts,
                null,
                failedAt,
                "worker-text-1");
        try (KafkaProducer<String, byte[]> p = producer("worker-" + UUID.randomUUID())) {
            p.initTransactions();
            p.beginTransaction();
            p.send(worker.encode(dlq, letter, TraceContext.of(TRACEPARENT)));
            p.send(worker.encode(results, dead, TraceContext.of(TRACEPARENT)));
            p.commitTransaction();
            if (laterOutcome != null) {
                p.beginTransaction();
                p.send(worker.encode(
                        results,
                        new JobResult(
                                job.jobId(),
                                job.tenant(),
                                null,
                                null,
                                laterOutcome,
                                job.model(),
                                "1",
                                new TextOutput("Hi Maria", "stop", 3, 8),
                                null,
                                attempts + 1,
                                failedAt,
                                failedAt.plusSeconds(1),
                                "worker-text-1"),
                        TraceContext.of(TRACEPARENT)));
                p.commitTransaction();
            }
        }
    }

    private void writeMalformedDeadLetter() throws Exception {
        DeadLetter letter = new DeadLetter(
                null,
                null,
                jobsTopic,
                0,
                99L,
                "k-" + run,
                "{not json".getBytes(StandardCharsets.UTF_8),
                List.of(),
                Reason.of(Decoded.Codes.MALFORMED_DATA, "Unexpected character"),
                0,
                T0.plusSeconds(3),
                "worker-text-1");
        try (KafkaProducer<String, byte[]> p = producer(null)) {
            p.send(worker.encode(dlq, letter, TraceContext.NONE)).get();
        }
    }

    private KafkaProducer<String, byte[]> producer(String transactionalId) {
        Map<String, Object> config = new java.util.HashMap<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                KafkaBrokers.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true));
        if (transactionalId != null) {
            config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        }
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    /** Every committed record of a topic, read to the end offsets taken first. */
    private static List<ConsumerRecord<String, byte[]>> read(String topic) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        KafkaBrokers.bootstrapServers(),
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed"),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> tps = c.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition()))
                    .toList();
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> ends = c.endOffsets(tps);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (tps.stream().anyMatch(tp -> c.position(tp) < ends.get(tp))) {
                assertTrue(System.nanoTime() < deadline, "could not read " + topic + " to its end in 30 s");
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        out.sort(java.util.Comparator.comparingInt((ConsumerRecord<String, byte[]> r) -> r.partition())
                .thenComparingLong(ConsumerRecord::offset));
        return out;
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private record Out(int status, String out, String err) {}

    private Out run(String... args) {
        List<String> all = new ArrayList<>(List.of(clientFile.toString()));
        all.addAll(List.of(args));
        all.addAll(List.of("--dlq-topic", dlq, "--results-topic", results, "--audit-topic", audit));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = DeadLetters.run(
                all.toArray(String[]::new),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Out(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
