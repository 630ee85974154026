package dev.genfleet.gateway;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genfleet.gateway.campaign.ViewHorizon;
import dev.genfleet.gateway.kafka.KafkaClients;
import dev.genfleet.gateway.refusal.Refusal;
import dev.genfleet.gateway.refusal.Refused;
import dev.genfleet.gateway.status.ViewProgress;
import dev.genfleet.gateway.status.ViewReach;
import dev.genfleet.gateway.status.ViewTopology;
import dev.genfleet.gateway.submit.JobIds;
import dev.genfleet.schemas.AuditType;
import dev.genfleet.schemas.Decoded;
import dev.genfleet.schemas.EventCodec;
import dev.genfleet.schemas.Hashes;
import dev.genfleet.schemas.JobRequest;
import dev.genfleet.schemas.TextInput;
import dev.genfleet.schemas.TraceContext;
import dev.genfleet.testkit.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A retried upload is exact however far this replica's status view has read (the chaos suite's finding: a
 * gateway SIGKILLed mid-upload, restarted, its fresh view still replaying when the client's retry came, published
 * the recipients the dead gateway had already published a second time). Here the view is paused
 * ({@link KafkaStreams#pause}) while job records of the campaign are on the jobs topic, written the way the
 * killed gateway wrote them: the retry answers 503 with {@code Retry-After} and publishes nothing; once the view
 * has read them, the retry publishes only the missing recipients, so the jobs topic holds one record per
 * recipient. And an upload re-sent right after its 202 is a replay, even while the view has not read the seal.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = false)
class UploadResumeBehindTheViewIT extends WithFakeWorker {

    static final String KEY_A = "Bearer test-key-a";
    static final String BULK = "genfleet.jobs.text.bulk";
    static final EventCodec READ = EventCodec.forComponent("test");

    @TestHTTPResource("/")
    URL base;

    @Inject
    KafkaStreams streams;

    @Inject
    KafkaClients kafka;

    @ConfigProperty(name = "quarkus.kafka-streams.application-id")
    String viewApplicationId;

    static byte[] ndjson(String name, int recipients) {
        return CampaignUploadsIT.ndjson(name, recipients);
    }

    static String line(int i) {
        return "{\"custom_id\":\"c" + i + "\",\"vars\":{\"n\":\"N" + i + "\"}}";
    }

    /** The campaign's job records on the bulk topic. */
    List<JobRequest> records(String campaignId) {
        return worker().read(BULK, k -> true, 0).stream()
                .map(r -> READ.decode(r, JobRequest.class))
                .filter(d -> d instanceof Decoded.Ok<JobRequest>)
                .map(d -> ((Decoded.Ok<JobRequest>) d).payload())
                .filter(j -> campaignId.equals(j.campaignId()))
                .toList();
    }

    Response post(String key, byte[] body) {
        return given().header("Authorization", KEY_A)
                .header("Idempotency-Key", key)
                .contentType("application/x-ndjson")
                .body(body)
                .post("/v1/campaigns");
    }

    @Test
    void shouldPublishOnlyTheMissingRecipientsWhenTheViewHasNotReadTheJobsOfTheDeadAttempt() throws Exception {
        int n = 400;
        String key = "behind-" + UUID.randomUUID();
        String campaignId = JobIds.campaign("tenant-a", key);
        byte[] body = ndjson("behind the view", n);

        // 1. a first attempt is cut off about halfway: the campaign is INCOMPLETE and the view has read it all
        try (Socket socket = new Socket("127.0.0.1", base.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/campaigns HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + KEY_A
                            + "\r\nContent-Type: application/x-ndjson\r\nIdempotency-Key: " + key
                            + "\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, body.length / 2);
            out.flush();
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> given().header("Authorization", KEY_A)
                            .get("/v1/campaigns/" + campaignId)
                            .then()
                            .statusCode(200)
                            .body("counts.total", greaterThan(0)));
        }
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().header("Authorization", KEY_A)
                        .get("/v1/campaigns/" + campaignId)
                        .then()
                        .body("status", equalTo("INCOMPLETE"))
                        .body("accepted", notNullValue()));
        List<JobRequest> first = records(campaignId);
        assertTrue(first.size() > 0 && first.size() < n - 50, first.size() + " recipients in the first attempt");
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> given().header("Authorization", KEY_A)
                        .get("/v1/campaigns/" + campaignId)
                        .then()
                        .body("counts.total", equalTo(first.size()))
                        .body("accepted", equalTo(first.size()))); // the INCOMPLETE mark counts what landed

        // 2. the view stops reading; the next 50 recipients land on the jobs topic as a gateway killed in a
        // second attempt left them (same job ids, seeds, inputs and request hashes as the gateway publishes)
        streams.pause();
        try {
            int firstMissing = first.size();
            JobRequest template = first.get(0);
            TextInput t = (TextInput) template.input();
            EventCodec asGateway = EventCodec.forComponent("gateway");
            try (KafkaProducer<String, byte[]> dead = new KafkaProducer<>(
                    Map.of("bootstrap.servers", bootstrap, "acks", "all", "enable.idempotence", true),
                    new StringSerializer(),
                    new ByteArraySerializer())) {
                for (int i = firstMissing; i < firstMissing + 50; i++) {
                    String jobId = JobIds.recipient(campaignId, "c" + i);
                    JobRequest job = new JobRequest(
                            jobId,
                            template.tenant(),
                            campaignId,
                            "c" + i,
                            template.model(),
                            template.priority(),
                            new TextInput(
                                    "Hi N" + i + "!",
                                    t.maxTokens(),
                                    t.temperature(),
                                    t.topK(),
                                    t.topP(),
                                    t.stop(),
                                    JobIds.seed(jobId),
                                    t.brief(),
                                    t.require(),
                                    t.forbidUnstatedOffers(),
                                    t.bestOf(),
                                    t.quality()),
                            template.submittedAt(),
                            template.deadline(),
                            1,
                            template.webhookUrl(),
                            template.metadata());
                    ProducerRecord<String, byte[]> r = asGateway.encode(BULK, job, TraceContext.NONE);
                    r.headers()
                            .add(
                                    ViewTopology.REQUEST_SHA256_HEADER,
                                    Hashes.sha256Hex(line(i).getBytes(StandardCharsets.UTF_8))
                                            .getBytes(StandardCharsets.UTF_8));
                    dead.send(r).get();
                }
            }
            assertEquals(first.size() + 50, records(campaignId).size());

            // 3. the retry while the view has not read them: 503 + Retry-After naming the campaign, nothing published
            post(key, body)
                    .then()
                    .statusCode(503)
                    .header("Retry-After", notNullValue())
                    .body("campaign_id", equalTo(campaignId));
            assertEquals(
                    first.size() + 50,
                    records(campaignId).size(),
                    "a retry that cannot see what is on the log publishes nothing");
        } finally {
            streams.resume();
        }

        // 4. once the view has read them, the retry publishes only the missing recipients and seals
        post(key, body)
                .then()
                .statusCode(202)
                .body("id", equalTo(campaignId))
                .body("sealed", equalTo(true))
                .body("recipients", equalTo(n))
                .body("queued", equalTo(n));
        List<JobRequest> all = records(campaignId);
        Map<String, Integer> perJob = new HashMap<>();
        all.forEach(j -> perJob.merge(j.jobId(), 1, Integer::sum));
        assertEquals(n, perJob.size(), "one job per recipient");
        assertEquals(n, all.size(), "no job record published twice: " + (all.size() - n) + " republished");
        perJob.keySet().forEach(id -> assertTrue(id.equals(JobIds.recipient(campaignId, customIdOf(all, id)))));
    }

    @Test
    void shouldCountWhatTheViewCommittedBeforeARestartAsRead() {
        // a view restarted from its own state has folded nothing since it started (its progress is empty) but holds
        // what it committed before: the live view's committed offsets stand for that here
        worker().audit(AuditType.STARTED, UUID.randomUUID().toString(), "tenant-a", 1, null);
        ViewReach restartedReach = new ViewReach(kafka, new ViewProgress(), streams, viewApplicationId);
        ViewReach strangerReach = new ViewReach(kafka, new ViewProgress(), streams, viewApplicationId + "-never-ran");
        ViewHorizon restarted = new ViewHorizon(kafka, restartedReach);
        ViewHorizon stranger = new ViewHorizon(kafka, strangerReach);
        try {
            List<TopicPartition> audit = restarted.partitions("genfleet.audit");
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> restarted.awaitView("probe", audit));
            // neither folded nor committed: behind, unavailable (503 at the edge) for the campaign
            Refused behind = assertThrows(Refused.class, () -> stranger.awaitView("probe", audit));
            Refusal.OfCampaign refusal = assertInstanceOf(Refusal.OfCampaign.class, behind.refusal());
            assertEquals("probe", refusal.campaignId());
            assertInstanceOf(Refusal.Unavailable.class, refusal.cause());
        } finally {
            restarted.close();
            stranger.close();
            restartedReach.close();
            strangerReach.close();
        }
    }

    static void chunk(OutputStream out, byte[] body, int from, int length) throws java.io.IOException {
        out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body, from, length);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    static String customIdOf(List<JobRequest> jobs, String jobId) {
        return jobs.stream()
                .filter(j -> j.jobId().equals(jobId))
                .findFirst()
                .orElseThrow()
                .customId();
    }

    @Test
    void shouldReplayAnUploadSealedHereBeforeTheViewHasReadTheSeal() throws Exception {
        int n = 30;
        String key = "resend-" + UUID.randomUUID();
        String campaignId = JobIds.campaign("tenant-a", key);
        byte[] body = ndjson("re-sent", n);
        int half = body.length / 2;

        // the body streams in (chunked); once the view shows the upload (UPLOADING), the view stops reading and
        // the rest of the body arrives: the 202 comes from a seal the view has not read
        try (Socket socket = new Socket("127.0.0.1", base.getPort())) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/campaigns HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: " + KEY_A
                            + "\r\nContent-Type: application/x-ndjson\r\nIdempotency-Key: " + key
                            + "\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            chunk(out, body, 0, half);
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> given().header("Authorization", KEY_A)
                            .get("/v1/campaigns/" + campaignId)
                            .then()
                            .statusCode(200)
                            .body("status", equalTo("UPLOADING")));
            streams.pause();
            try {
                chunk(out, body, half, body.length - half);
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String status = new BufferedReader(
                                new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                        .readLine();
                assertEquals("HTTP/1.1 202 Accepted", status);
                // re-sent at once: a replay (this replica sealed it), not a 409 for a lease the view shows live
                post(key, body)
                        .then()
                        .statusCode(202)
                        .header("Idempotent-Replayed", "true")
                        .body("recipients", equalTo(n));
            } finally {
                streams.resume();
            }
        }
        assertEquals(n, records(campaignId).size());
    }
}
