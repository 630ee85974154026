package dev.genfleet.gateway;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.genfleet.gateway.webhook.StandardWebhooks;
import dev.genfleet.gateway.webhook.WebhookDispatcher;
import dev.genfleet.schemas.AuditEvent;
import dev.genfleet.schemas.AuditType;
import dev.genfleet.schemas.Decoded;
import dev.genfleet.schemas.EventCodec;
import dev.genfleet.schemas.JobStatus;
import dev.genfleet.schemas.TextOutput;
import dev.genfleet.testkit.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Webhook delivery under adverse receivers and a lagging view: a receiver that answers 200 and then drips
 * its body forever holds neither a thread nor another receiver's turn (each attempt has one deadline,
 * body included; each receiver has its own queue), and a status view that lags far behind the delivery
 * consumer delays webhooks but never drops one.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = false)
class WebhookDeliveryIT extends WithFakeWorker {

    static final String KEY_W = "Bearer test-key-w";
    static final String KEY_V = "Bearer test-key-v";
    static final ObjectMapper JSON = new ObjectMapper();
    static final EventCodec CODEC = EventCodec.forComponent("test");

    static HttpServer slow;
    static HttpServer fast;
    static final CountDownLatch stopDripping = new CountDownLatch(1);
    static final AtomicInteger dripping = new AtomicInteger();
    static final List<String> fastReceived = new CopyOnWriteArrayList<>();

    @Inject
    KafkaStreams streams;

    @Inject
    WebhookDispatcher dispatcher;

    @BeforeAll
    static void startReceivers() throws IOException {
        slow = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        slow.setExecutor(Executors.newCachedThreadPool());
        slow.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            if (stopDripping.getCount() == 0) {
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
                return;
            }
            // 200 at once, then a body that never ends: one byte every 100 ms until the test lets go
            exchange.sendResponseHeaders(200, 0);
            dripping.incrementAndGet();
            try (OutputStream out = exchange.getResponseBody()) {
                while (!stopDripping.await(100, TimeUnit.MILLISECONDS)) {
                    out.write('.');
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // the gateway hung up: its deadline cut the attempt
            } finally {
                dripping.decrementAndGet();
                exchange.close();
            }
        });
        slow.start();
        fast = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        fast.setExecutor(Executors.newCachedThreadPool());
        fast.createContext("/", exchange -> {
            fastReceived.add(exchange.getRequestURI().getPath() + " "
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        fast.start();
    }

    @AfterAll
    static void stopReceivers() {
        stopDripping.countDown();
        slow.stop(0);
        fast.stop(0);
    }

    static String url(HttpServer server, String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    static String submit(String key, String webhookUrl) {
        return given().header("Authorization", key)
                .contentType("application/json")
                .body("{\"model\":\"copy-gpt\",\"input\":{\"prompt\":\"Write a tagline\"},\"webhook\":{\"url\":\""
                        + webhookUrl + "\"}}")
                .post("/v1/jobs")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
    }

    static List<String> fastAt(String path) {
        return fastReceived.stream()
                .filter(b -> b.startsWith(path + " "))
                .map(b -> b.substring(path.length() + 1))
                .toList();
    }

    List<AuditEvent> webhookAudits(String jobId) {
        return webhookAudits(jobId::equals);
    }

    List<AuditEvent> webhookAudits(java.util.function.Predicate<String> jobIds) {
        List<ConsumerRecord<String, byte[]>> records = worker().read("genfleet.audit", jobIds, 1);
        return records.stream()
                .map(r -> CODEC.decode(r, AuditEvent.class))
                .filter(d -> d instanceof Decoded.Ok<AuditEvent>)
                .map(d -> ((Decoded.Ok<AuditEvent>) d).payload())
                .filter(a -> a.type() == AuditType.WEBHOOK_DELIVERED || a.type() == AuditType.WEBHOOK_FAILED)
                .toList();
    }

    @Test
    void shouldDeliverToAFastReceiverWhileSlowOnesDripTheirBodies() throws Exception {
        List<String> slowJobs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            slowJobs.add(submit(KEY_W, url(slow, "/drip-" + i)));
        }
        String otherTenant = submit(KEY_V, url(fast, "/fast-v"));
        String sameTenant = submit(KEY_W, url(fast, "/fast-w"));
        for (String id : slowJobs) {
            worker().result(id, "tenant-w", JobStatus.SUCCEEDED, new TextOutput("slow " + id, "stop", 1, 1), null);
        }
        // more dripping receivers than the old shared pool had threads (4)
        await().atMost(Duration.ofSeconds(30)).until(() -> dripping.get() >= 4);

        worker().result(otherTenant, "tenant-v", JobStatus.SUCCEEDED, new TextOutput("fast v", "stop", 1, 1), null);
        worker().result(sameTenant, "tenant-w", JobStatus.SUCCEEDED, new TextOutput("fast w", "stop", 1, 1), null);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> fastAt("/fast-v").size() == 1 && fastAt("/fast-w").size() == 1);
        assertTrue(
                dripping.get() > 0 && stopDripping.getCount() == 1,
                "the fast receivers were served while slow receivers were still dripping");
        assertEquals(
                "fast v",
                JSON.readTree(fastAt("/fast-v").get(0))
                        .get("data")
                        .get("output")
                        .get("text")
                        .asText());

        // the drip is cut by the attempt's deadline (body included) and the attempt audited as failed
        AuditEvent cut = await().atMost(Duration.ofSeconds(60))
                .until(
                        () -> webhookAudits(slowJobs::contains).stream()
                                .findFirst()
                                .orElse(null),
                        java.util.Objects::nonNull);
        assertEquals(AuditType.WEBHOOK_FAILED, cut.type());
        assertTrue(cut.reason().message().contains("timed out"), cut.reason().message());
        assertEquals("false", cut.details().get("final"), "a cut attempt is retried");
        assertEquals(1, stopDripping.getCount(), "the receivers were still dripping when the deadline cut them");

        // receivers that recover get the message on a retry, with the same webhook-id
        stopDripping.countDown();
        for (String id : slowJobs) {
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                List<AuditEvent> audits = webhookAudits(id);
                assertTrue(audits.stream().anyMatch(a -> a.type() == AuditType.WEBHOOK_DELIVERED), audits.toString());
                assertTrue(audits.stream()
                        .allMatch(a -> StandardWebhooks.messageId("job.finished", id)
                                .equals(a.details().get("webhook_id"))));
            });
        }
    }

    @Test
    void shouldDeliverEveryWebhookWhenTheViewLagsFarBehind() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(submit(KEY_W, url(fast, "/lag-" + i)));
        }
        for (String id : ids) {
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> given().header("Authorization", KEY_W)
                            .get("/v1/jobs/" + id)
                            .then()
                            .body("submitted_at", notNullValue()));
        }
        streams.pause(); // the view stops reading; the delivery consumer does not
        try {
            for (String id : ids) {
                worker().result(
                                id,
                                "tenant-w",
                                JobStatus.SUCCEEDED,
                                new TextOutput("lagged " + id, "stop", 1, 1),
                                null);
            }
            // every finished job waits for the view longer than view-wait-ms (the old code gave up here)
            await().atMost(Duration.ofSeconds(30)).until(() -> dispatcher.overdueForView() >= ids.size());
            for (String id : ids) {
                assertEquals(
                        List.of(), fastAt("/lag-" + ids.indexOf(id)), "nothing delivered before the view shows it");
            }
        } finally {
            streams.resume();
        }
        for (int i = 0; i < ids.size(); i++) {
            String path = "/lag-" + i;
            await().atMost(Duration.ofSeconds(30)).until(() -> fastAt(path).size() == 1);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> dispatcher.waitingForView() == 0);
        for (int i = 0; i < ids.size(); i++) {
            assertEquals(1, fastAt("/lag-" + i).size(), "delivered once");
            assertTrue(fastAt("/lag-" + i).get(0).contains("lagged " + ids.get(i)));
        }
    }
}
