package dev.genfleet.gateway;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.genfleet.gateway.status.ViewState;
import dev.genfleet.gateway.submit.JobIds;
import dev.genfleet.gateway.webhook.StandardWebhooks;
import dev.genfleet.schemas.AuditType;
import dev.genfleet.schemas.JobStatus;
import dev.genfleet.schemas.TextOutput;
import dev.genfleet.schemas.Topics;
import dev.genfleet.testkit.EmbeddedKafkaBroker;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, webhooks after a restart from own state, with the packaged gateway as its own JVM on a real broker of its
 * own. A replica whose delivery consumer has not settled a partition's facts when it stops (here: delivery is off in
 * its first run) reads them again after the restart, while its status view, restored from its own state, has folded
 * nothing of that partition since it started (nothing new was written there), so the view's progress alone never
 * says it holds them. The restarted replica must still settle every fact: a finished job's {@code job.finished} and
 * a campaign's {@code campaign.finished} are delivered once, a campaign's seal and a fact that finished nothing (a
 * result naming another tenant) are released, and the delivery group's committed offsets reach the end of every
 * audit and results partition, with nothing left waiting for the view. Partition 1 of audit and results is kept
 * quiet on purpose (the seal, the other tenant's claim); the delivered job and the campaign's job are on partition 0.
 */
class WebhooksAfterRestartIT {

    static final String REPLICA = "webhook-restart-it";
    static final String VIEW_GROUP = ViewState.APPLICATION_ID_PREFIX + REPLICA;
    static final String WEBHOOK_GROUP = "genfleet-gateway-webhooks";
    static final String KEY = "Bearer test-key-a";
    static final String TENANT = "tenant-a";
    static final int PARTITIONS = 2;
    static final Topics TOPICS = Topics.defaults();
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> SETTINGS = List.of(
            "genfleet.gateway.auth.keys.d9943771ce3d24dd99ff1540b5fbd84b8ecd8d58caa009cf2a13a1d54913d5f4=" + TENANT,
            "genfleet.gateway.tenants." + TENANT + ".webhooks-allow-private=true",
            "genfleet.gateway.webhooks.master-secret=test-master-secret-not-for-production",
            "genfleet.gateway.create-topics-partitions=" + PARTITIONS,
            "genfleet.gateway.view.replica-id=" + REPLICA);

    record Received(String path, String id, String body) {}

    static EmbeddedKafkaBroker broker;
    static HttpServer receiver;
    static final List<Received> received = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        broker = EmbeddedKafkaBroker.create().start();
        try (Admin admin = admin()) {
            List<NewTopic> topics = new ArrayList<>();
            for (String t : List.of(TOPICS.audit(), TOPICS.results(), TOPICS.models())) {
                topics.add(new NewTopic(t, PARTITIONS, (short) 1));
            }
            admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
        }
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/", exchange -> {
            received.add(new Received(
                    exchange.getRequestURI().getPath(),
                    exchange.getRequestHeaders().getFirst(StandardWebhooks.ID),
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterAll
    static void stop() {
        if (receiver != null) {
            receiver.stop(0);
        }
        if (broker != null) {
            broker.close();
        }
    }

    static Admin admin() {
        return Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()));
    }

    static String url(String path) {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
    }

    static List<Received> at(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    /** The partition the producer's default partitioner gives {@code key}. */
    static int partition(String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
    }

    /** The first {@code prefix-n} whose derived id lands on {@code wanted}. */
    static String keyFor(String prefix, java.util.function.Function<String, String> id, Predicate<String> wanted) {
        for (int n = 0; ; n++) {
            String key = prefix + "-" + n;
            if (wanted.test(id.apply(key))) {
                return key;
            }
        }
    }

    static GatewayProcess startGateway(Path state, String log, boolean webhooks) throws Exception {
        List<String> settings = new ArrayList<>(SETTINGS);
        settings.add("genfleet.gateway.webhooks.enabled=" + webhooks);
        GatewayProcess g = GatewayProcess.start(
                broker.bootstrapServers(), GatewayProcess.TARGET.resolve(log), List.of("-Xmx384m"), settings, state);
        await().atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    assertTrue(g.alive(), "the gateway exited; see " + log);
                    return g.get("/q/health/ready", "Bearer none").status() == 200;
                });
        return g;
    }

    static String post(GatewayProcess g, String path, String key, String body) throws Exception {
        GatewayProcess.Answer a = g.post(
                path,
                KEY,
                "application/json",
                HttpRequest.BodyPublishers.ofString(body),
                Map.of("Idempotency-Key", key));
        assertEquals(202, a.status(), path + ": " + a.body());
        return JSON.readTree(a.body()).path("id").asText();
    }

    static JsonNode get(GatewayProcess g, String path) throws Exception {
        GatewayProcess.Answer a = g.get(path, KEY);
        assertEquals(200, a.status(), path + ": " + a.body());
        return JSON.readTree(a.body());
    }

    /** The partitions of audit and results. */
    static List<TopicPartition> facts() {
        List<TopicPartition> out = new ArrayList<>();
        for (String t : List.of(TOPICS.audit(), TOPICS.results())) {
            for (int p = 0; p < PARTITIONS; p++) {
                out.add(new TopicPartition(t, p));
            }
        }
        return out;
    }

    static Map<TopicPartition, Long> ends() throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        facts().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        try (Admin admin = admin()) {
            Map<TopicPartition, Long> out = new HashMap<>();
            admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).forEach((tp, i) -> out.put(tp, i.offset()));
            return out;
        }
    }

    /** A group's committed offsets on audit and results (0 where it has none). */
    static Map<TopicPartition, Long> committed(String group) throws Exception {
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetAndMetadata> c = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS);
            Map<TopicPartition, Long> out = new HashMap<>();
            facts().forEach(tp -> out.put(tp, c.get(tp) == null ? 0L : c.get(tp).offset()));
            return out;
        }
    }

    static long waitingForView(GatewayProcess g) {
        return g.get("/q/metrics", "Bearer none")
                .body()
                .lines()
                .filter(l -> l.startsWith("genfleet_webhooks_view_waiting"))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .findFirst()
                .orElse(-1);
    }

    @Test
    void shouldSettleEveryFactOnQuietPartitionsAfterARestartFromOwnState() throws Exception {
        Predicate<String> onZero = id -> partition(id) == 0;
        Predicate<String> onOne = id -> partition(id) == 1;
        String jobKey = keyFor("finished", k -> JobIds.job(TENANT, k), onZero);
        String claimedKey = keyFor("claimed", k -> JobIds.job(TENANT, k), onOne);
        String campaignKey = keyFor(
                "campaign",
                k -> JobIds.campaign(TENANT, k),
                id -> onOne.test(id) && onZero.test(JobIds.recipient(id, "r1")));
        Path state = Files.createTempDirectory(GatewayProcess.TARGET, "webhooks-after-restart-state");

        String jobId;
        String claimedId;
        String campaignId;
        Map<TopicPartition, Long> endsBeforeRestart;
        // 1. a replica that does not deliver: the view reads every fact, the delivery group settles none
        try (GatewayProcess first = startGateway(state, "webhooks-after-restart-1.log", false);
                FakeWorker worker = new FakeWorker(broker.bootstrapServers())) {
            jobId = post(
                    first,
                    "/v1/jobs",
                    jobKey,
                    "{\"model\":\"copy-gpt\",\"input\":{\"prompt\":\"Write a tagline\"},\"webhook\":{\"url\":\""
                            + url("/job") + "\"}}");
            claimedId = post(
                    first,
                    "/v1/jobs",
                    claimedKey,
                    "{\"model\":\"copy-gpt\",\"input\":{\"prompt\":\"Write a slogan\"},\"webhook\":{\"url\":\""
                            + url("/claimed") + "\"}}");
            campaignId = post(
                    first,
                    "/v1/campaigns",
                    campaignKey,
                    "{\"name\":\"after restart\",\"model\":\"copy-gpt\",\"template\":{\"prompt\":\"Hi {{name}}\"},"
                            + "\"webhook\":{\"url\":\"" + url("/campaign") + "\"},"
                            + "\"recipients\":[{\"custom_id\":\"r1\",\"vars\":{\"name\":\"Ann\"}}]}");
            String recipientId = JobIds.recipient(campaignId, "r1");
            worker.result(claimedId, "tenant-b", JobStatus.SUCCEEDED, new TextOutput("not yours", "stop", 2, 2), null);
            worker.result(
                    jobId, TENANT, JobStatus.SUCCEEDED, new TextOutput("Fresh ideas, daily.", "stop", 3, 4), null);
            worker.audit(AuditType.SUCCEEDED, jobId, TENANT, 1, null);
            worker.result(recipientId, TENANT, JobStatus.SUCCEEDED, new TextOutput("Hi Ann!", "stop", 2, 2), null);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertEquals(
                        "SUCCEEDED",
                        get(first, "/v1/jobs/" + jobId).path("status").asText());
                assertEquals(
                        "FINISHED",
                        get(first, "/v1/campaigns/" + campaignId).path("status").asText());
            });
            // the view has read (and committed) everything, the other tenant's claim included
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> committed(VIEW_GROUP).equals(ends()));
            assertEquals(
                    "SUBMITTED",
                    get(first, "/v1/jobs/" + claimedId).path("status").asText());
            endsBeforeRestart = ends();
        }
        TopicPartition auditOne = new TopicPartition(TOPICS.audit(), 1);
        TopicPartition resultsOne = new TopicPartition(TOPICS.results(), 1);
        assertTrue(endsBeforeRestart.get(auditOne) > 0, "the campaign's seal is on audit-1");
        assertTrue(endsBeforeRestart.get(resultsOne) > 0, "the other tenant's claim is on results-1");
        assertEquals(Set.of(), nonZero(committed(WEBHOOK_GROUP)), "no delivery consumer has run yet");
        assertTrue(Files.exists(state.resolve(VIEW_GROUP).resolve(ViewState.CLEAN_STOP_MARKER)), "a clean stop");

        // 2. the same replica, delivering: its view restarts from its own state and folds nothing of partition 1
        try (GatewayProcess second = startGateway(state, "webhooks-after-restart-2.log", true)) {
            GatewayProcess.Answer ready = second.get("/q/health/ready", "Bearer none");
            assertTrue(ready.body().contains("OWN_STATE"), ready.body());
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> at("/job").size() == 1 && at("/campaign").size() == 1);
            JsonNode job = JSON.readTree(at("/job").get(0).body());
            assertEquals("job.finished", job.path("type").asText());
            assertEquals(jobId, job.path("data").path("id").asText());
            assertEquals(
                    StandardWebhooks.messageId("job.finished", jobId),
                    at("/job").get(0).id());
            JsonNode campaign = JSON.readTree(at("/campaign").get(0).body());
            assertEquals("campaign.finished", campaign.path("type").asText());
            assertEquals(campaignId, campaign.path("data").path("id").asText());

            // every fact settled: the delivery group commits to the end of every partition, nothing waits
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .untilAsserted(() -> {
                        assertEquals(ends(), committed(WEBHOOK_GROUP), "delivery group offsets vs end offsets");
                        assertEquals(0, waitingForView(second), "facts waiting for the view");
                    });
            assertEquals(1, at("/job").size(), "delivered once");
            assertEquals(1, at("/campaign").size(), "delivered once");
            assertEquals(List.of(), at("/claimed"), "a fact that finished nothing sends nothing");
            Map<TopicPartition, Long> ends = ends();
            assertEquals(endsBeforeRestart.get(auditOne), ends.get(auditOne), "audit-1 stayed quiet");
            assertEquals(endsBeforeRestart.get(resultsOne), ends.get(resultsOne), "results-1 stayed quiet");
        }
    }

    static Set<TopicPartition> nonZero(Map<TopicPartition, Long> offsets) {
        Set<TopicPartition> out = new java.util.HashSet<>();
        offsets.forEach((tp, o) -> {
            if (o > 0) {
                out.add(tp);
            }
        });
        return out;
    }
}
