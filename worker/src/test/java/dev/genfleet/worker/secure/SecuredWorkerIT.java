package dev.genfleet.worker.secure;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genfleet.schemas.AuditEvent;
import dev.genfleet.schemas.AuditType;
import dev.genfleet.schemas.ControlAction;
import dev.genfleet.schemas.ControlCommand;
import dev.genfleet.schemas.Decoded;
import dev.genfleet.schemas.EventCodec;
import dev.genfleet.schemas.GenfleetPayload;
import dev.genfleet.schemas.JobRequest;
import dev.genfleet.schemas.JobResult;
import dev.genfleet.schemas.JobStatus;
import dev.genfleet.schemas.ModelAnnouncement;
import dev.genfleet.schemas.Priority;
import dev.genfleet.schemas.TextInput;
import dev.genfleet.schemas.TextOutput;
import dev.genfleet.schemas.Topics;
import dev.genfleet.schemas.TraceContext;
import dev.genfleet.testkit.KafkaBrokers;
import dev.genfleet.worker.consume.HostedModels;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The worker as production runs it: SASL_SSL, SCRAM-SHA-512, as its pool's own Kafka user with exactly the
 * ACLs of the chart's {@code acls.yaml}, on a broker that refuses whatever no ACL allows. Every worker client
 * (the three jobs consumers, the control consumer, the three transactional producers, the events producer)
 * gets its settings only from Quarkus' {@code kafka.*} configuration; one that did not could not connect.
 */
@QuarkusTest
@TestProfile(SecuredWorkerIT.AsTheTextPoolsUser.class)
class SecuredWorkerIT {

    /** Health and metrics answer on the management port, not the API's (application.properties); paths are under its root, /q. */
    @io.quarkus.test.common.http.TestHTTPResource(value = "/health/ready", management = true)
    java.net.URL ready;

    static final String WORKER_USER = KafkaBrokers.user("worker", "text");
    static final String WORKER_ID = WORKER_USER + "-7d9f-x2k4q"; // a pod name: <deployment>-<hash>-<id>
    static final String GATEWAY_USER = KafkaBrokers.user("gateway", null);

    /** The worker logs in as {@code genfleet-worker-text}; no global (plaintext) test resource. */
    public static class AsTheTextPoolsUser implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "genfleet.worker.id", WORKER_ID,
                    "genfleet.worker.pool", "text",
                    "genfleet.worker.models", "copy-gpt");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(SecuredTopicsResource.class, Map.of("user", WORKER_USER)));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    private static final Topics TOPICS = Topics.defaults();
    private static final Duration WAIT = Duration.ofSeconds(90);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "kafka.ssl.truststore.location")
    String truststore;

    @ConfigProperty(name = "kafka.security.protocol")
    String protocol;

    @Inject
    HostedModels hosted;

    private final EventCodec codec = EventCodec.forComponent("test-gateway");

    private SecuredClients clients() {
        return new SecuredClients(bootstrap, truststore);
    }

    @Test
    void shouldProcessJobsEndToEndAsThePoolsOwnUser() {
        assertEquals("SASL_SSL", protocol);
        SecuredClients clients = clients();
        JobRequest interactive = job("Hi Maria, ", Priority.INTERACTIVE);
        JobRequest bulk = job("Dear Lena, ", Priority.BULK);
        try (var gateway = clients.producer(GATEWAY_USER)) {
            send(gateway, codec.encode(TOPICS.jobs("text", Priority.INTERACTIVE), interactive, TraceContext.NONE));
            send(gateway, codec.encode(TOPICS.jobs("text", Priority.BULK), bulk, TraceContext.NONE));
        }
        for (JobRequest job : List.of(interactive, bulk)) {
            JobResult result = awaitOne(clients, TOPICS.results(), job.jobId(), JobResult.class);
            assertEquals(JobStatus.SUCCEEDED, result.status(), job.priority().toString());
            assertEquals(WORKER_ID, result.workerId());
            assertTrue(((TextOutput) result.output()).text().length() > 0);
            List<AuditType> audit = await().atMost(WAIT)
                    .until(
                            () -> payloads(clients, TOPICS.audit(), job.jobId(), AuditEvent.class).stream()
                                    .map(AuditEvent::type)
                                    .toList(),
                            types -> types.contains(AuditType.SUCCEEDED));
            assertEquals(List.of(AuditType.STARTED, AuditType.SUCCEEDED), audit, "STARTED through the events producer");
        }
        ModelAnnouncement announced =
                awaitOne(clients, TOPICS.models(), WORKER_ID + "/copy-gpt", ModelAnnouncement.class);
        assertTrue(announced.ready());
        RestAssured.given().get(ready).then().statusCode(200);
    }

    @Test
    void shouldTakeACancellationFromTheGatewayOnTheControlTopic() {
        SecuredClients clients = clients();
        JobRequest job = job("cancel me", Priority.BULK);
        ControlCommand cancel = new ControlCommand(
                UUID.randomUUID().toString(),
                ControlAction.CANCEL_JOB,
                job.tenant(),
                job.jobId(),
                null,
                "tenant:acme",
                Instant.now(),
                "changed my mind");
        try (var gateway = clients.producer(GATEWAY_USER)) {
            send(gateway, codec.encode(TOPICS.control(), cancel, TraceContext.NONE));
            // the worker's control consumer must have read the cancel before the job arrives, or the job runs
            await().atMost(WAIT)
                    .until(() -> hosted.cancellations() != null
                            && hosted.cancellations().isCancelled(job));
            send(gateway, codec.encode(TOPICS.jobs("text", Priority.BULK), job, TraceContext.NONE));
        }
        assertEquals(
                JobStatus.CANCELLED,
                awaitOne(clients, TOPICS.results(), job.jobId(), JobResult.class)
                        .status());
    }

    @Test
    void shouldRefuseTheWorkersUserATopicOutsideItsAcls() {
        SecuredClients clients = clients();
        try (var worker = clients.producer(WORKER_USER)) {
            ExecutionException refused = assertThrows(
                    ExecutionException.class,
                    () -> worker.send(new ProducerRecord<>(TOPICS.jobs("text", Priority.INTERACTIVE), "k", new byte[1]))
                            .get());
            assertInstanceOf(TopicAuthorizationException.class, refused.getCause(), "a worker enqueues no jobs");
            refused = assertThrows(
                    ExecutionException.class,
                    () -> worker.send(new ProducerRecord<>(TOPICS.control(), "k", new byte[1]))
                            .get());
            assertInstanceOf(TopicAuthorizationException.class, refused.getCause(), "a worker sends no commands");
        }
        // its own group, another pool's jobs
        try (var worker = clients.consumer(WORKER_USER, "genfleet-worker-text-interactive")) {
            worker.subscribe(List.of(TOPICS.jobs("image", Priority.INTERACTIVE)));
            assertThrows(TopicAuthorizationException.class, () -> pollForAWhile(worker));
        }
        // the gateway reads jobs back (their SUBMITTED facts), never the dead letters: those are for operators
        try (var gateway = clients.consumer(GATEWAY_USER, "genfleet-gateway-webhooks")) {
            gateway.subscribe(List.of(TOPICS.deadLetters()));
            assertThrows(TopicAuthorizationException.class, () -> pollForAWhile(gateway));
        }
    }

    @Test
    void shouldRefuseTheWorkersUserAGroupOutsideItsAcls() {
        try (var worker = clients().consumer(WORKER_USER, "genfleet-worker-image-interactive")) {
            worker.subscribe(List.of(TOPICS.jobs("text", Priority.INTERACTIVE)));
            assertThrows(GroupAuthorizationException.class, () -> pollForAWhile(worker));
        }
    }

    @Test
    void shouldRefuseAPlaintextClient() {
        Map<String, Object> plaintext = new HashMap<>();
        plaintext.put("bootstrap.servers", bootstrap);
        try (Admin admin = Admin.create(plaintext)) {
            assertThrows(
                    ExecutionException.class,
                    () -> admin.listTopics(new ListTopicsOptions().timeoutMs(5_000))
                            .names()
                            .get(),
                    "a plaintext client never lists a topic of the SASL_SSL listener");
        }
    }

    private static void pollForAWhile(org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]> consumer) {
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < until) {
            consumer.poll(Duration.ofMillis(200));
        }
    }

    private static void send(
            org.apache.kafka.clients.producer.KafkaProducer<String, byte[]> producer,
            ProducerRecord<String, byte[]> record) {
        try {
            producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException("sending to " + record.topic() + " failed", e);
        }
    }

    private <T extends GenfleetPayload> T awaitOne(SecuredClients clients, String topic, String key, Class<T> type) {
        List<T> found = await().atMost(WAIT).until(() -> payloads(clients, topic, key, type), l -> !l.isEmpty());
        if (type == JobResult.class) {
            assertEquals(1, found.size(), "exactly one result per job");
        }
        return found.get(found.size() - 1);
    }

    private <T extends GenfleetPayload> List<T> payloads(
            SecuredClients clients, String topic, String key, Class<T> type) {
        List<T> out = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : clients.committed(topic, key)) {
            if (codec.decode(r, type) instanceof Decoded.Ok<T> ok) {
                out.add(ok.payload());
            }
        }
        return out;
    }

    private static JobRequest job(String prompt, Priority priority) {
        return new JobRequest(
                "job-" + UUID.randomUUID(),
                "acme",
                null,
                null,
                "copy-gpt",
                priority,
                new TextInput(prompt, 16, 0.8, 20, 0.95, List.of(), 42L),
                Instant.now(),
                null,
                1,
                null,
                null);
    }
}
