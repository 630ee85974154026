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
import dev.genfleet.schemas.ReasonCode;
import dev.genfleet.schemas.TextInput;
import dev.genfleet.schemas.Topics;
import dev.genfleet.schemas.TraceContext;
import dev.genfleet.testkit.KafkaBrokers;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * A worker that starts with a long control topic to replay and cancelled jobs already waiting: its job
 * channels join their groups only once the control topic is read to its end offsets at start, so no
 * cancelled job runs, and the others do.
 */
class ControlReplayIT {

    private static final Topics TOPICS = Topics.defaults();
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final int OTHER_KEYS = 20_000;
    private static final int CANCELLED = 24;
    private final EventCodec codec = EventCodec.forComponent("replay-test");
    private final String bootstrap = KafkaBrokers.bootstrapServers();

    @Test
    void shouldNotRunAJobCancelledBeforeTheWorkerStarted() throws Exception {
        String pool = "replay" + UUID.randomUUID().toString().substring(0, 6);
        List<JobRequest> cancelled = new ArrayList<>();
        for (int i = 0; i < CANCELLED; i++) {
            cancelled.add(job(pool, "cancelled" + i, i));
        }
        JobRequest kept = job(pool, "kept", 99);
        try (var producer = producer()) {
            // thousands of other cancels first (other tenants' jobs, long finished), then the queued jobs' cancels
            for (int i = 0; i < OTHER_KEYS; i++) {
                producer.send(codec.encode(
                        TOPICS.control(), cancel("other", "job-old-" + UUID.randomUUID()), TraceContext.NONE));
            }
            for (JobRequest job : cancelled) {
                producer.send(codec.encode(TOPICS.control(), cancel(job.tenant(), job.jobId()), TraceContext.NONE));
            }
            producer.flush();
            for (JobRequest job : cancelled) {
                producer.send(codec.encode(TOPICS.jobs(pool, Priority.BULK), job, TraceContext.NONE));
            }
            producer.send(codec.encode(TOPICS.jobs(pool, Priority.BULK), kept, TraceContext.NONE));
            producer.flush();
        }

        // small control fetches make the replay take a while (hundreds of fetches), longer than the model load
        try (WorkerProcess worker = WorkerProcess.start(
                bootstrap,
                pool + "-w",
                pool,
                Map.of(
                        "mp.messaging.incoming.control.max.partition.fetch.bytes", "4096",
                        "mp.messaging.incoming.control.fetch.max.bytes", "4096",
                        "mp.messaging.incoming.control.max.poll.records", "8"))) {
            Set<String> ids = new HashSet<>();
            cancelled.forEach(j -> ids.add(j.jobId()));
            ids.add(kept.jobId());
            await().atMost(WAIT).until(() -> results(ids).keySet().containsAll(ids));
            Map<String, JobResult> results = results(ids);
            String log = worker.output();
            for (JobRequest job : cancelled) {
                JobResult result = results.get(job.jobId());
                assertEquals("CANCELLED", result.status().name(), "job " + job.jobId() + " ran; log:\n" + log);
                assertEquals(
                        ReasonCode.CANCELLED_BY_CLIENT.name(), result.error().code(), String.valueOf(result));
            }
            assertEquals("SUCCEEDED", results.get(kept.jobId()).status().name(), log);
            Set<String> started = started(ids);
            assertEquals(Set.of(kept.jobId()), started, "only the job not cancelled starts");
            assertTrue(log.contains("read up to its end offsets at start"), log);
            // how long the replay took against the model load, for whoever reads the test output
            log.lines()
                    .filter(l -> l.contains("read up to its end offsets") || l.contains("loaded and warmed"))
                    .forEach(System.out::println);
        }
    }

    @Test
    void shouldStayUnreadyAndRunNothingWhileTheControlTopicCannotBeRead() throws Exception {
        String pool = "blind" + UUID.randomUUID().toString().substring(0, 6);
        JobRequest job = job(pool, "waiting", 1);
        try (var producer = producer()) {
            producer.send(codec.encode(TOPICS.jobs(pool, Priority.BULK), job, TraceContext.NONE))
                    .get();
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String missing = "genfleet.control.missing-" + UUID.randomUUID();
        try (WorkerProcess worker = WorkerProcess.start(
                bootstrap,
                pool + "-w",
                pool,
                Map.of(
                        "genfleet.worker.topics.control",
                        missing,
                        "mp.messaging.incoming.control.allow.auto.create.topics",
                        "false",
                        "genfleet.control.replay-timeout",
                        "3s",
                        "quarkus.management.port",
                        String.valueOf(port)))) {
            try {
                await().atMost(WAIT)
                        .until(() -> worker.output().contains("not read to its end within")
                                && worker.output().contains("loaded and warmed"));
            } catch (ConditionTimeoutException e) {
                throw new AssertionError(
                        "the worker did not say that it cannot read the control topic; log:\n" + worker.output(), e);
            }
            HttpResponse<String> ready = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(503, ready.statusCode(), ready.body());
            assertTrue(ready.body().contains("control-replay") && ready.body().contains(missing), ready.body());
            assertTrue(worker.isAlive(), "unready, not dead");
            assertEquals(Map.of(), results(Set.of(job.jobId())), "no job runs blind; log:\n" + worker.output());
        }
    }

    private static JobRequest job(String pool, String name, long seed) {
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

    private static ControlCommand cancel(String tenant, String jobId) {
        return new ControlCommand(
                "cmd-" + UUID.randomUUID(),
                ControlAction.CANCEL_JOB,
                tenant,
                jobId,
                null,
                "tenant:" + tenant,
                Instant.now(),
                "test cancel before the worker starts");
    }

    private KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(
                Map.<String, Object>of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        // few large requests: thousands of small ones overrun the broker on a 2-core machine
                        ProducerConfig.LINGER_MS_CONFIG,
                        "20",
                        ProducerConfig.BATCH_SIZE_CONFIG,
                        "65536"),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    /** The committed results of these jobs by job id. */
    private Map<String, JobResult> results(Set<String> ids) {
        Map<String, JobResult> results = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : TopicReads.readAll(bootstrap, TOPICS.results(), "read_committed")) {
            if (ids.contains(r.key()) && codec.decode(r, JobResult.class) instanceof Decoded.Ok<JobResult> ok) {
                results.putIfAbsent(r.key(), ok.payload());
            }
        }
        return results;
    }

    private Set<String> started(Set<String> ids) {
        Set<String> started = new HashSet<>();
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
