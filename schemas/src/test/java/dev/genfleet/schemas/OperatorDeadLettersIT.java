package dev.genfleet.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genfleet.testkit.BrokerSecurity;
import dev.genfleet.testkit.KafkaBrokers;
import dev.genfleet.testkit.SecuredKafka;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DeadLetters} as the cluster runs it: on the secured test broker (SASL_SSL, SCRAM-SHA-512, {@code acls.yaml}),
 * logged in as {@code genfleet-operator}, the user the chart makes for it, with nothing but that user's grants. The job
 * record is written as {@code genfleet-gateway}, the dead letter and its result as {@code genfleet-worker-text} (in a
 * transaction of its own transactional id), as in the fleet. The operator lists and redrives; what it may not do
 * (read a topic it is not granted, write results) is refused with an authorization error that names the topic.
 */
class OperatorDeadLettersIT {

    private static final String OPERATOR = KafkaBrokers.user("operator", null);
    private static final String GATEWAY = KafkaBrokers.user("gateway", null);
    private static final String WORKER = KafkaBrokers.user("worker", "text");
    private static final String JOBS = "genfleet.jobs.text.interactive";
    private static final Topics TOPICS = Topics.defaults();

    private static SecuredKafka broker;

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @BeforeAll
    static void topics() throws Exception {
        broker = KafkaBrokers.secured();
        // as Strimzi's KafkaTopics are there before any pod: the fleet's users may not create topics
        try (Admin admin = Admin.create(Map.<String, Object>copyOf(broker.adminProperties()))) {
            TopicProvisioner.ensure(admin, TopicCatalog.load().topics(KafkaBrokers.SECURED_POOLS));
        }
    }

    @Test
    void shouldListAndRedriveAsTheOperatorUserAndNothingMore(@TempDir Path dir) throws Exception {
        Path operatorFile = clientFile(dir, OPERATOR);
        JobRequest job = new JobRequest(
                "job-op-" + run,
                "acme",
                null,
                null,
                "copy-gpt",
                Priority.INTERACTIVE,
                new TextInput("Write to Maria about trail shoes.", 32, 0.8, 40, 0.95, List.of(), 42L),
                Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS),
                null,
                1,
                null,
                null);
        deadLetterAsTheFleet(job);

        Out list = tool(operatorFile, "list", "--tenant", "acme");
        assertEquals(0, list.status(), list.err());
        assertTrue(list.out().contains(job.jobId() + "\tacme\tWORKER_ERROR\t1\t"), list.out());
        Out show = tool(operatorFile, "show", job.jobId());
        assertEquals(0, show.status(), show.err());
        assertTrue(show.out().contains("\"DEAD_LETTERED\""), show.out());

        Out redrive = tool(operatorFile, "redrive", job.jobId(), "--actor", "maria");
        assertEquals(0, redrive.status(), redrive.out() + redrive.err());
        assertTrue(redrive.err().contains("1 job(s) redriven in one transaction"), redrive.err());

        // what the operator wrote, read back by the admin: the request again at attempt 2, and its REDRIVEN event
        EventCodec codec = EventCodec.forComponent("test");
        List<JobRequest> records = committed(JOBS, job.jobId()).stream()
                .map(r -> codec.decode(r, JobRequest.class))
                .filter(d -> d instanceof Decoded.Ok<JobRequest>)
                .map(d -> ((Decoded.Ok<JobRequest>) d).payload())
                .toList();
        assertEquals(List.of(job, job.withAttempt(2)), records);
        List<AuditEvent> audits = committed(TOPICS.audit(), job.jobId()).stream()
                .map(r -> codec.decode(r, AuditEvent.class))
                .filter(d -> d instanceof Decoded.Ok<AuditEvent>)
                .map(d -> ((Decoded.Ok<AuditEvent>) d).payload())
                .toList();
        assertEquals(1, audits.size(), audits.toString());
        assertEquals(AuditType.REDRIVEN, audits.get(0).type());
        assertEquals("operator:maria", audits.get(0).actor());
        assertEquals(2, audits.get(0).attempt());

        // outside its grants: a topic it may not read (the tool says so and writes nothing), results it may not write
        Out control = tool(operatorFile, "list", "--dlq-topic", TOPICS.control());
        assertEquals(1, control.status(), control.out());
        assertTrue(
                control.err().contains("Not authorized to access topics: [" + TOPICS.control() + "]"), control.err());
        Out audit = tool(operatorFile, "list", "--dlq-topic", TOPICS.audit());
        assertEquals(1, audit.status(), audit.out());
        assertTrue(audit.err().contains("Not authorized to access topics: [" + TOPICS.audit() + "]"), audit.err());
        try (KafkaConsumer<String, byte[]> consumer = consumer(OPERATOR)) {
            TopicPartition tp = new TopicPartition(TOPICS.audit(), 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            assertThrows(TopicAuthorizationException.class, () -> consumer.poll(Duration.ofSeconds(10)));
        }
        Map<String, Object> producer = props(OPERATOR);
        producer.put("max.block.ms", 15_000);
        try (KafkaProducer<String, byte[]> p =
                new KafkaProducer<>(producer, new StringSerializer(), new ByteArraySerializer())) {
            ExecutionException refused = assertThrows(
                    ExecutionException.class,
                    () -> p.send(new ProducerRecord<>(TOPICS.results(), job.jobId(), new byte[] {'{', '}'}))
                            .get());
            TopicAuthorizationException cause = assertInstanceOf(TopicAuthorizationException.class, refused.getCause());
            assertTrue(cause.unauthorizedTopics().contains(TOPICS.results()), cause.getMessage());
        }
    }

    /** The job record as the gateway writes it; its dead letter and result as a worker does, in one transaction. */
    private void deadLetterAsTheFleet(JobRequest job) throws Exception {
        EventCodec gateway = EventCodec.forComponent("gateway");
        EventCodec worker = EventCodec.forComponent("worker");
        ProducerRecord<String, byte[]> record = gateway.encode(JOBS, job, TraceContext.NONE);
        record.headers().add("genfleet-request-sha256", ("sha-" + job.jobId()).getBytes(StandardCharsets.UTF_8));
        RecordMetadata at;
        try (KafkaProducer<String, byte[]> p =
                new KafkaProducer<>(props(GATEWAY), new StringSerializer(), new ByteArraySerializer())) {
            at = p.send(record).get();
        }
        List<DeadLetter.OriginalHeader> headers = new ArrayList<>();
        for (Header h : record.headers()) {
            headers.add(new DeadLetter.OriginalHeader(h.key(), h.value()));
        }
        Reason reason = Reason.of("WORKER_ERROR", "IllegalStateException: the pipeline lost the batch");
        Instant now = Instant.now();
        DeadLetter letter = new DeadLetter(
                job.jobId(),
                job.tenant(),
                JOBS,
                at.partition(),
                at.offset(),
                job.jobId(),
                record.value(),
                headers,
                reason,
                1,
                now,
                WORKER + "-0");
        JobResult dead = new JobResult(
                job.jobId(),
                job.tenant(),
                null,
                null,
                JobStatus.DEAD_LETTERED,
                job.model(),
                "1",
                null,
                reason,
                1,
                null,
                now,
                WORKER + "-0");
        Map<String, Object> tx = props(WORKER);
        tx.put("transactional.id", WORKER + "-0-interactive-" + run); // the worker's grant: its user's prefix
        try (KafkaProducer<String, byte[]> p =
                new KafkaProducer<>(tx, new StringSerializer(), new ByteArraySerializer())) {
            p.initTransactions();
            p.beginTransaction();
            p.send(worker.encode(TOPICS.deadLetters(), letter, TraceContext.NONE));
            p.send(worker.encode(TOPICS.results(), dead, TraceContext.NONE));
            p.commitTransaction();
        }
    }

    private static Map<String, Object> props(String user) {
        return new HashMap<>(broker.clientProperties(user));
    }

    /** The user's client properties file, as an operator mounts it (deploy/README.md's runbook). */
    private static Path clientFile(Path dir, String user) throws Exception {
        Properties p = new Properties();
        p.putAll(broker.clientProperties(user));
        Path file = dir.resolve(user + ".properties");
        try (OutputStream out = Files.newOutputStream(file)) {
            p.store(out, null);
        }
        return file;
    }

    private static KafkaConsumer<String, byte[]> consumer(String user) {
        Map<String, Object> p = props(user);
        p.put("isolation.level", "read_committed");
        p.put("enable.auto.commit", false);
        return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** Every committed record of {@code topic} with {@code key}, read by the super user to the end offsets. */
    private static List<ConsumerRecord<String, byte[]>> committed(String topic, String key) {
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = consumer(BrokerSecurity.ADMIN)) {
            List<TopicPartition> tps = c.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition()))
                    .toList();
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> ends = c.endOffsets(tps);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (tps.stream().anyMatch(tp -> c.position(tp) < ends.get(tp))) {
                assertTrue(System.nanoTime() < deadline, "could not read " + topic + " to its end in 30 s");
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (key.equals(r.key())) {
                        out.add(r);
                    }
                }
            }
        }
        out.sort(java.util.Comparator.comparingLong(ConsumerRecord::offset));
        return out;
    }

    private record Out(int status, String out, String err) {}

    private static Out tool(Path client, String... args) {
        List<String> all = new ArrayList<>(List.of(client.toString()));
        all.addAll(List.of(args));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = DeadLetters.run(
                all.toArray(String[]::new),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Out(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
