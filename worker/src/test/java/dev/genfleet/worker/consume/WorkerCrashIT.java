package dev.genfleet.worker.consume;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genfleet.schemas.AuditEvent;
import dev.genfleet.schemas.AuditType;
import dev.genfleet.schemas.ControlAction;
import dev.genfleet.schemas.ControlCommand;
import dev.genfleet.schemas.Decoded;
import dev.genfleet.schemas.EventCodec;
import dev.genfleet.schemas.JobRequest;
import dev.genfleet.schemas.JobResult;
import dev.genfleet.schemas.Priority;
import dev.genfleet.schemas.TextInput;
import dev.genfleet.schemas.Topics;
import dev.genfleet.schemas.TraceContext;
import dev.genfleet.testkit.KafkaBrokers;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The packaged worker as its own process on the real broker: killed between generation and commit
 * it loses nothing and makes no second result visible; on SIGTERM it finishes and commits the batch
 * in flight before it exits.
 */
class WorkerCrashIT {

    private static final Topics TOPICS = Topics.defaults();
    private static final Duration WAIT = Duration.ofSeconds(120);
    /** Until every job of a backlog has a result: generous, as a shared 2-core machine may run them slowly. */
    private static final Duration ALL_DONE = Duration.ofMinutes(5);

    private final EventCodec codec = EventCodec.forComponent("crash-test");
    private final String bootstrap = KafkaBrokers.bootstrapServers();

    @Test
    void shouldLeaveExactlyOneVisibleResultWhenKilledInsideTheTransaction() throws Exception {
        String pool = "crash-" + UUID.randomUUID().toString().substring(0, 8);
        List<JobRequest> jobs = submit(pool, 20);

        try (WorkerProcess doomed = WorkerProcess.start(
                bootstrap, pool + "-w", pool, Map.of("genfleet.worker.halt-at", "in-transaction"))) {
            assertEquals(
                    137,
                    doomed.waitForExit(120),
                    "the worker should halt inside its first transaction:\n" + doomed.output());
        }
        try (WorkerProcess survivor = WorkerProcess.start(bootstrap, pool + "-w", pool, Map.of())) {
            Set<String> ids = jobs.stream().map(JobRequest::jobId).collect(Collectors.toSet());
            await().atMost(ALL_DONE)
                    .until(() -> results(ids, "read_committed").keySet().containsAll(ids));
            Map<String, Long> committed = results(ids, "read_committed");
            committed.forEach((id, n) -> assertEquals(1L, n, "job " + id + " has " + n + " visible results"));
            assertEquals(ids, committed.keySet(), "no job lost");
            Map<String, Long> everything = results(ids, "read_uncommitted");
            assertTrue(
                    everything.values().stream().anyMatch(n -> n > 1),
                    "the crash left an aborted transaction with results in the log (else the test proved nothing)");
        }
    }

    /**
     * Staleness is bounded: a worker killed inside its transaction, with no successor under its id to abort it at
     * once, holds back every read_committed reader (the status view, the webhook dispatcher) of the partitions
     * its transaction touched until the broker aborts it, i.e. at most {@code transaction-timeout-ms} plus the
     * broker's check interval for timed-out transactions ({@code
     * transaction.abort.timed.out.transaction.cleanup.interval.ms}, 10 s by default). Measured here with a
     * committed probe record per results partition, written right after the kill.
     */
    @Test
    void shouldHoldBackReadersOfAKilledWorkersOpenTransactionNoLongerThanItsTimeout() throws Exception {
        String pool = "stale-" + UUID.randomUUID().toString().substring(0, 8);
        String results = "genfleet.results." + pool;
        int timeoutMs = 6000;
        int brokerCheckMs = 10_000;
        try (var admin =
                org.apache.kafka.clients.admin.Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(results, 3, (short) 1)))
                    .all()
                    .get();
        }
        submit(pool, 20);
        try (WorkerProcess doomed = WorkerProcess.start(
                bootstrap,
                pool + "-w",
                pool,
                Map.of(
                        "genfleet.worker.halt-at",
                        "in-transaction",
                        "genfleet.worker.transaction-timeout-ms",
                        String.valueOf(timeoutMs),
                        "genfleet.worker.topics.results",
                        results))) {
            assertEquals(137, doomed.waitForExit(120), "the worker should halt inside its transaction");
        }
        long died = System.nanoTime();
        var partitions = List.of(0, 1, 2).stream()
                .map(p -> new org.apache.kafka.common.TopicPartition(results, p))
                .toList();
        try (var probe = new KafkaProducer<>(
                Map.<String, Object>of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                        "probe-" + pool),
                new StringSerializer(),
                new ByteArraySerializer())) {
            probe.initTransactions();
            probe.beginTransaction();
            for (var tp : partitions) {
                probe.send(new org.apache.kafka.clients.producer.ProducerRecord<>(
                        results, tp.partition(), "probe-" + tp.partition(), new byte[] {1}));
            }
            probe.commitTransaction();
        }
        Map<Integer, Long> visibleAfterMs = new java.util.TreeMap<>();
        try (var reader = new KafkaConsumer<>(
                Map.<String, Object>of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed"),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            reader.assign(partitions);
            reader.seekToBeginning(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (visibleAfterMs.size() < partitions.size() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(50))) {
                    if (r.key() != null && r.key().startsWith("probe-")) {
                        visibleAfterMs.putIfAbsent(
                                r.partition(),
                                Duration.ofNanos(System.nanoTime() - died).toMillis());
                    }
                }
            }
        }
        System.out.printf(
                "staleness after a worker SIGKILL mid-transaction (transaction-timeout-ms %d): probe visible after %s ms"
                        + " per results partition%n",
                timeoutMs, visibleAfterMs);
        assertEquals(3, visibleAfterMs.size(), "every probe becomes visible: " + visibleAfterMs);
        long longest = visibleAfterMs.values().stream()
                .mapToLong(Long::longValue)
                .max()
                .orElseThrow();
        assertTrue(
                longest > 1000,
                "the open transaction held readers back (else the test proved nothing): " + visibleAfterMs);
        assertTrue(
                longest <= timeoutMs + brokerCheckMs + 5000,
                "readers held back longer than the bound: " + visibleAfterMs);
    }

    /**
     * A zombie: a worker frozen (SIGSTOP, as a long GC pause or a stalled node would) while it holds partitions
     * and a poll in flight. Its session expires, another worker takes its partitions and runs their jobs; when
     * the frozen worker wakes, it still holds its poll and tries to commit it. Kafka must refuse that commit
     * (the group generation of its offsets is gone, and its transaction was aborted by the timeout), so every
     * job still has exactly one committed result.
     */
    @Test
    void shouldRefuseTheCommitsOfAWorkerThatLostItsPartitions() throws Exception {
        String pool = "zombie-" + UUID.randomUUID().toString().substring(0, 8);
        List<JobRequest> jobs = submit(pool, 300);
        Set<String> ids = jobs.stream().map(JobRequest::jobId).collect(Collectors.toSet());
        Map<String, String> quickSessions = Map.of(
                "kafka.session.timeout.ms", "6000",
                "kafka.heartbeat.interval.ms", "1000",
                "genfleet.worker.transaction-timeout-ms", "5000");
        try (WorkerProcess zombie = WorkerProcess.start(bootstrap, pool + "-a", pool, quickSessions)) {
            try {
                await().atMost(WAIT).until(() -> results(ids, "read_committed").size() >= 20);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("the first worker committed nothing:\n" + tail(zombie), e);
            }
            zombie.signal("STOP");
            long refusedBefore = refusals(zombie).count();
            int atFreeze = results(ids, "read_committed").size();
            try (WorkerProcess heir = WorkerProcess.start(bootstrap, pool + "-b", pool, quickSessions)) {
                // the heir has the partitions and committed jobs of its own: the zombie's poll is someone else's now
                await().atMost(WAIT).until(() -> results(ids, "read_committed").size() >= atFreeze + 30);
                zombie.signal("CONT");
                try {
                    await().atMost(ALL_DONE)
                            .until(() -> results(ids, "read_committed").keySet().containsAll(ids));
                } catch (org.awaitility.core.ConditionTimeoutException e) {
                    throw new AssertionError(
                            results(ids, "read_committed").size() + " of " + ids.size() + " jobs done; zombie:\n"
                                    + tail(zombie) + "\nheir:\n" + tail(heir),
                            e);
                }
                // the woken zombie tried to commit what it held, and the group refused it (SmallRye logs the refusal
                // as SRMSG18284 and aborts; a failure before the commit is our "rolled back")
                await().atMost(WAIT).until(() -> refusals(zombie).count() > refusedBefore);
                Thread.sleep(3000);
                Map<String, Long> committed = results(ids, "read_committed");
                committed.forEach((id, n) -> assertEquals(
                        1L, n, "job " + id + " has " + n + " committed results; zombie:\n" + tail(zombie)));
                assertEquals(ids, committed.keySet(), "no job lost");
                System.out.println("read-backs: " + worker(zombie, "read back") + worker(heir, "read back"));
                System.out.println("the woken zombie's failed commit:");
                refusals(zombie).skip(refusedBefore).limit(2).forEach(System.out::println);
            } finally {
                zombie.signal("CONT");
            }
        }
    }

    private static java.util.stream.Stream<String> refusals(WorkerProcess worker) {
        return worker.output().lines().filter(l -> l.contains("SRMSG18284") || l.contains("rolled back"));
    }

    private static List<String> worker(WorkerProcess worker, String containing) {
        return worker.output().lines().filter(l -> l.contains(containing)).toList();
    }

    private static String tail(WorkerProcess worker) {
        List<String> lines = worker.output()
                .lines()
                .filter(l -> !l.contains("state.change.logger") && !l.startsWith("\t"))
                .toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    @Test
    void shouldFinishAndCommitTheBatchInFlightOnSigterm() throws Exception {
        String pool = "drain-" + UUID.randomUUID().toString().substring(0, 8);
        // many more than a worker holds at once (two bulk lanes of 64 records) and than it finishes between
        // its first STARTED and the SIGTERM, so a drain that stops fetching leaves jobs for the next worker
        List<JobRequest> jobs = submit(pool, 1024);
        Set<String> ids = jobs.stream().map(JobRequest::jobId).collect(Collectors.toSet());
        int exit;
        Set<String> startedBeforeExit;
        String output;
        try (WorkerProcess worker = WorkerProcess.start(bootstrap, pool + "-w", pool, Map.of())) {
            await().atMost(WAIT).until(() -> !started(ids).isEmpty());
            worker.terminate();
            exit = worker.waitForExit(60);
            startedBeforeExit = started(ids);
            output = worker.output();
            assertTrue(output.contains("drained: 0 batch(es) still in flight"), output);
        }
        assertTrue(exit == 0 || exit == 143, "exit code " + exit);
        Map<String, Long> committed = results(ids, "read_committed");
        for (String id : startedBeforeExit) {
            assertEquals(
                    1L,
                    committed.getOrDefault(id, 0L),
                    "job " + id + " started before SIGTERM but has no committed result; worker log:\n"
                            + output.lines()
                                    .filter(l -> !l.contains("state.change.logger"))
                                    .reduce("", (a, b) -> a + b + "\n"));
        }
        assertTrue(committed.size() < ids.size(), "drain should stop fetching: all 1024 jobs were done before SIGTERM");

        try (WorkerProcess next = WorkerProcess.start(bootstrap, pool + "-w2", pool, Map.of())) {
            await().atMost(ALL_DONE)
                    .until(() -> results(ids, "read_committed").keySet().containsAll(ids));
            results(ids, "read_committed").forEach((id, n) -> assertEquals(1L, n, "job " + id));
        }
    }

    /**
     * Cancels live in the compacted control topic, which every worker reads from the beginning at start: a
     * worker restarted under the same id still cancels a job whose cancel its predecessor had read.
     * (Before, the control consumer committed its offsets and the restarted worker skipped the cancel.)
     */
    @Test
    void shouldRememberACancelReadBeforeARestart() throws Exception {
        String pool = "cxl" + UUID.randomUUID().toString().substring(0, 6);
        JobRequest cancelledEarly = job(pool, "early");
        JobRequest sentinel = job(pool, "sentinel");
        try (var producer = producer()) {
            producer.send(codec.encode(TOPICS.control(), cancel(cancelledEarly), TraceContext.NONE))
                    .get();
            producer.send(codec.encode(TOPICS.control(), cancel(sentinel), TraceContext.NONE))
                    .get();
        }
        try (WorkerProcess first = WorkerProcess.start(bootstrap, pool + "-w", pool, Map.of())) {
            // the sentinel's cancel was read when the sentinel comes back CANCELLED
            send(sentinel, pool);
            await().atMost(WAIT).until(() -> status(sentinel.jobId()) != null);
            assertEquals("CANCELLED", status(sentinel.jobId()), first.output());
            first.terminate();
            int exit = first.waitForExit(60);
            assertTrue(exit == 0 || exit == 143, "exit code " + exit);
        }
        try (WorkerProcess second = WorkerProcess.start(bootstrap, pool + "-w", pool, Map.of())) {
            send(cancelledEarly, pool);
            await().atMost(WAIT).until(() -> status(cancelledEarly.jobId()) != null);
            assertEquals(
                    "CANCELLED",
                    status(cancelledEarly.jobId()),
                    "the restarted worker forgot a cancel; log: " + second.log);
        }
    }

    private static JobRequest job(String pool, String name) {
        return new JobRequest(
                "job-" + name + "-" + UUID.randomUUID(),
                "acme",
                null,
                null,
                "copy-gpt",
                Priority.BULK,
                new TextInput("Hi Sam, ", 8, 0.8, 0, 1.0, List.of(), 7L),
                Instant.now(),
                null,
                1,
                null,
                null);
    }

    private static ControlCommand cancel(JobRequest job) {
        return new ControlCommand(
                "cmd-" + UUID.randomUUID(),
                ControlAction.CANCEL_JOB,
                job.tenant(),
                job.jobId(),
                null,
                "tenant:" + job.tenant(),
                Instant.now(),
                "test cancel before the job arrives");
    }

    private KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(
                Map.<String, Object>of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    private void send(JobRequest job, String pool) throws Exception {
        try (var producer = producer()) {
            producer.send(codec.encode(TOPICS.jobs(pool, Priority.BULK), job, TraceContext.NONE))
                    .get();
        }
    }

    /** The committed result's status of a job, or null while it has none. */
    private String status(String jobId) {
        for (ConsumerRecord<String, byte[]> r : TopicReads.readAll(bootstrap, TOPICS.results(), "read_committed")) {
            if (jobId.equals(r.key()) && codec.decode(r, JobResult.class) instanceof Decoded.Ok<JobResult> ok) {
                return ok.payload().status().name();
            }
        }
        return null;
    }

    private List<JobRequest> submit(String pool, int count) throws Exception {
        // several partitions, so that both bulk lanes of the worker own some and run transactions at once
        try (var admin =
                org.apache.kafka.clients.admin.Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(
                            TOPICS.jobs(pool, Priority.BULK), 4, (short) 1)))
                    .all()
                    .get();
        }
        List<JobRequest> jobs = new ArrayList<>();
        List<java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata>> sent = new ArrayList<>();
        try (var producer = new KafkaProducer<>(
                Map.<String, Object>of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        // few large requests, one at a time: a thousand small ones overran the shared test broker on
                        // a loaded 2-core machine (request timeouts, then OUT_OF_ORDER_SEQUENCE retries until the
                        // delivery timeout dropped jobs this test then waited for)
                        ProducerConfig.LINGER_MS_CONFIG,
                        "20",
                        ProducerConfig.BATCH_SIZE_CONFIG,
                        "65536",
                        ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION,
                        "1"),
                new StringSerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < count; i++) {
                JobRequest job = new JobRequest(
                        "job-" + UUID.randomUUID(),
                        "acme",
                        "camp-" + pool,
                        "r" + i,
                        "copy-gpt",
                        Priority.BULK,
                        new TextInput("Hi Sam, ", 24, 0.8, 0, 1.0, List.of(), i),
                        Instant.now(),
                        null,
                        1,
                        null,
                        null);
                jobs.add(job);
                sent.add(producer.send(codec.encode(TOPICS.jobs(pool, Priority.BULK), job, TraceContext.NONE)));
            }
            producer.flush();
            for (var send : sent) {
                send.get(); // a job that never reached the topic fails here, not as a wait for its result
            }
        }
        return jobs;
    }

    private Map<String, Long> results(Set<String> ids, String isolation) {
        return TopicReads.readAll(bootstrap, TOPICS.results(), isolation).stream()
                .filter(r -> ids.contains(r.key()))
                .collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
    }

    private Set<String> started(Set<String> ids) {
        Set<String> started = new java.util.HashSet<>();
        for (ConsumerRecord<String, byte[]> r : TopicReads.readAll(bootstrap, TOPICS.audit(), "read_committed")) {
            if (ids.contains(r.key())
                    && codec.decode(r, AuditEvent.class) instanceof Decoded.Ok<AuditEvent> ok
                    && ok.payload().type() == AuditType.STARTED) {
                started.add(r.key());
            }
        }
        return started;
    }
}
