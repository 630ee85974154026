package dev.genfleet.gateway;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.genfleet.gateway.submit.JobIds;
import dev.genfleet.schemas.Decoded;
import dev.genfleet.schemas.EventCodec;
import dev.genfleet.schemas.JobRequest;
import dev.genfleet.testkit.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.InputStream;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Two gateway replicas as two processes (this {@code @QuarkusTest} instance, A, and the packaged jar as a second
 * JVM, B) receive the same requests at the same moment: the same job under one Idempotency-Key, the same campaign
 * under one Idempotency-Key. The jobs topics hold one job per request or recipient, with one seed each. Then B is
 * killed (SIGKILL) in the middle of an NDJSON upload: A marks the upload INCOMPLETE once B's lease ran out on A's
 * clock, and the client's retry on A completes it with one job per recipient.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = false)
class ReplicaRacesIT {

    static final String KEY_A = "Bearer test-key-a";
    static final ObjectMapper JSON = new ObjectMapper();
    static final EventCodec CODEC = EventCodec.forComponent("test");
    static final List<String> SETTINGS = List.of(
            "genfleet.gateway.auth.keys.d9943771ce3d24dd99ff1540b5fbd84b8ecd8d58caa009cf2a13a1d54913d5f4=tenant-a",
            "genfleet.gateway.create-topics=false",
            "genfleet.gateway.webhooks.enabled=false",
            "genfleet.gateway.limits.campaign-lease-ms=5000");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @TestHTTPResource("/")
    URL base;

    static FakeWorker worker;
    final HttpClient http = HttpClient.newHttpClient();

    @AfterAll
    static void close() {
        if (worker != null) {
            worker.close();
            worker = null;
        }
    }

    record Answer(int status, String body) {}

    /** POSTs to both replicas at the same moment. */
    List<Answer> race(GatewayProcess b, String path, String contentType, byte[] body, String key) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        CompletableFuture<Answer> onA = CompletableFuture.supplyAsync(() -> {
            hold(go);
            return postA(path, contentType, body, key);
        });
        CompletableFuture<Answer> onB = CompletableFuture.supplyAsync(() -> {
            hold(go);
            GatewayProcess.Answer a = b.post(
                    path,
                    KEY_A,
                    contentType,
                    HttpRequest.BodyPublishers.ofByteArray(body),
                    Map.of("Idempotency-Key", key));
            return new Answer(a.status(), a.body());
        });
        go.countDown();
        return List.of(onA.get(), onB.get());
    }

    Answer postA(String path, String contentType, byte[] body, String key) {
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(base.toURI().resolve(path))
                            .header("Authorization", KEY_A)
                            .header("Content-Type", contentType)
                            .header("Idempotency-Key", key)
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                            .timeout(Duration.ofMinutes(2))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    Answer getA(String path) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(base.toURI().resolve(path))
                        .header("Authorization", KEY_A)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body());
    }

    static void hold(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Job id → seeds of every record of {@code topic} that {@code filter} selects. */
    Map<String, Set<Long>> seeds(
            String topic, java.util.function.Predicate<JobRequest> filter, Map<String, String> custom) {
        Map<String, Set<Long>> seeds = new HashMap<>();
        for (var r : worker.read(topic, k -> true, 0)) {
            if (CODEC.decode(r, JobRequest.class) instanceof Decoded.Ok<JobRequest> ok && filter.test(ok.payload())) {
                seeds.computeIfAbsent(ok.payload().jobId(), k -> new HashSet<>())
                        .add(ok.payload().input().seed());
                if (ok.payload().customId() != null) {
                    custom.put(ok.payload().jobId(), ok.payload().customId());
                }
            }
        }
        return seeds;
    }

    static byte[] campaign(String name, int recipients) {
        StringBuilder sb = new StringBuilder("{\"name\":\"" + name + "\",\"model\":\"copy-gpt\","
                + "\"template\":{\"prompt\":\"Hi {{n}}\"},\"recipients\":[");
        for (int i = 0; i < recipients; i++) {
            sb.append(i == 0 ? "" : ",")
                    .append("{\"custom_id\":\"r")
                    .append(i)
                    .append("\",\"vars\":{\"n\":\"N")
                    .append(i)
                    .append("\"}}");
        }
        return sb.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    static void assertOneJobPerRecipient(
            String campaignId, Map<String, Set<Long>> seeds, Map<String, String> custom, int recipients) {
        assertEquals(recipients, seeds.size(), "one job id per recipient");
        assertEquals(recipients, new HashSet<>(custom.values()).size());
        custom.forEach((jobId, c) -> assertEquals(JobIds.recipient(campaignId, c), jobId));
        seeds.forEach((jobId, s) -> assertEquals(Set.of(JobIds.seed(jobId)), s, "one seed per job"));
    }

    @Test
    void shouldPublishOneJobPerRequestWhenTwoReplicasRaceAndCompleteAnUploadWhoseGatewayWasKilled() throws Exception {
        worker = new FakeWorker(bootstrap);
        GatewayProcess b = GatewayProcess.start(
                bootstrap, GatewayProcess.TARGET.resolve("gateway-races-b.log"), List.of("-Xmx256m"), SETTINGS);
        try {
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        assertTrue(b.alive(), "gateway B exited; see target/gateway-races-b.log");
                        return b.get("/v1/models", KEY_A).status() == 200;
                    });

            // 1. one job, one key, both replicas at once, no seed in the request
            String jobKey = "race-job-" + UUID.randomUUID();
            String jobId = JobIds.job("tenant-a", jobKey);
            byte[] job = "{\"model\":\"copy-gpt\",\"input\":{\"prompt\":\"raced\"}}".getBytes(StandardCharsets.UTF_8);
            for (Answer a : race(b, "/v1/jobs", "application/json", job, jobKey)) {
                assertEquals(202, a.status(), a.body());
                JsonNode body = JSON.readTree(a.body());
                assertEquals(jobId, body.get("id").asText());
                assertEquals(JobIds.seed(jobId), body.get("seed").asLong(), "the seed derives from the job id");
            }
            Map<String, Set<Long>> jobSeeds =
                    seeds("genfleet.jobs.text.interactive", j -> j.jobId().equals(jobId), new HashMap<>());
            assertEquals(Set.of(jobId), jobSeeds.keySet());
            assertEquals(Set.of(JobIds.seed(jobId)), jobSeeds.get(jobId), "every record of the job has one seed");

            // 2. one campaign, one key, both replicas at once
            int n = 40;
            String campaignKey = "race-campaign-" + UUID.randomUUID();
            String campaignId = JobIds.campaign("tenant-a", campaignKey);
            byte[] body = campaign("raced", n);
            List<Answer> answers = race(b, "/v1/campaigns", "application/json", body, campaignKey);
            for (Answer a : answers) {
                assertTrue(a.status() == 202 || a.status() == 409, a.body()); // 409: the other replica holds the upload
                assertTrue(a.body().contains(campaignId), a.body());
            }
            assertTrue(answers.stream().anyMatch(a -> a.status() == 202), answers.toString());
            // the client retries a 409 until the upload is sealed: then it is a replay
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> postA("/v1/campaigns", "application/json", body, campaignKey)
                                    .status()
                            == 202);
            Map<String, String> custom = new HashMap<>();
            Map<String, Set<Long>> campaignSeeds =
                    seeds("genfleet.jobs.text.bulk", j -> campaignId.equals(j.campaignId()), custom);
            assertOneJobPerRecipient(campaignId, campaignSeeds, custom, n);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                JsonNode c = JSON.readTree(
                        b.get("/v1/campaigns/" + campaignId, KEY_A).body());
                return c.path("recipients").asInt() == n
                        && c.path("counts").path("total").asInt() == n;
            });

            // 3. B is killed in the middle of an NDJSON upload; A marks it INCOMPLETE, the retry on A completes it
            int m = 3000;
            String uploadKey = "killed-" + UUID.randomUUID();
            String uploadId = JobIds.campaign("tenant-a", uploadKey);
            StringBuilder sb = new StringBuilder(
                    "{\"name\":\"killed\",\"model\":\"copy-gpt\",\"template\":{\"prompt\":\"Hi {{n}}\"}}\n");
            for (int i = 0; i < m; i++) {
                sb.append("{\"custom_id\":\"k")
                        .append(i)
                        .append("\",\"vars\":{\"n\":\"N")
                        .append(i)
                        .append("\"}}\n");
            }
            byte[] ndjson = sb.toString().getBytes(StandardCharsets.UTF_8);
            CountDownLatch killed = new CountDownLatch(1);
            InputStream slow = new InputStream() {
                int pos;

                @Override
                public int read() {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] buf, int off, int len) {
                    if (pos >= ndjson.length / 2) {
                        hold(killed); // the second half never comes: the gateway dies first
                        return -1;
                    }
                    int k = Math.min(len, Math.min(4096, ndjson.length / 2 - pos));
                    System.arraycopy(ndjson, pos, buf, off, k);
                    pos += k;
                    return k;
                }
            };
            CompletableFuture<GatewayProcess.Answer> upload = CompletableFuture.supplyAsync(() -> b.post(
                    "/v1/campaigns",
                    KEY_A,
                    "application/x-ndjson",
                    HttpRequest.BodyPublishers.fromPublisher(
                            HttpRequest.BodyPublishers.ofInputStream(() -> slow), ndjson.length),
                    Map.of("Idempotency-Key", uploadKey)));
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        Answer a = getA("/v1/campaigns/" + uploadId);
                        return a.status() == 200
                                && JSON.readTree(a.body())
                                                .path("counts")
                                                .path("total")
                                                .asInt()
                                        > 0;
                    });
            b.kill();
            killed.countDown();
            assertEquals(0, upload.get().status(), "the client lost its connection to the killed gateway");
            // A never read a seal: it shows UPLOADING until B's lease ran out on A's clock, then INCOMPLETE
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        JsonNode c =
                                JSON.readTree(getA("/v1/campaigns/" + uploadId).body());
                        assertTrue(
                                !"FINISHED".equals(c.path("status").asText())
                                        && !c.path("sealed").asBoolean(),
                                c.toString());
                        return "INCOMPLETE".equals(c.path("status").asText());
                    });
            JsonNode incomplete =
                    JSON.readTree(getA("/v1/campaigns/" + uploadId).body());
            int accepted = incomplete.path("accepted").asInt();
            assertTrue(accepted > 0 && accepted < m, incomplete.toString());

            Answer retry = postA("/v1/campaigns", "application/x-ndjson", ndjson, uploadKey);
            assertEquals(202, retry.status(), retry.body());
            assertEquals(m, JSON.readTree(retry.body()).path("recipients").asInt());
            Map<String, String> uploadCustom = new HashMap<>();
            Map<String, Set<Long>> uploadSeeds =
                    seeds("genfleet.jobs.text.bulk", j -> uploadId.equals(j.campaignId()), uploadCustom);
            assertOneJobPerRecipient(uploadId, uploadSeeds, uploadCustom, m);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                JsonNode c = JSON.readTree(getA("/v1/campaigns/" + uploadId).body());
                return "RUNNING".equals(c.path("status").asText())
                        && c.path("counts").path("total").asInt() == m;
            });
        } finally {
            b.close();
        }
    }
}
