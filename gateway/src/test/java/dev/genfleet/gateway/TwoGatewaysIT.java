package dev.genfleet.gateway;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.genfleet.schemas.JobStatus;
import dev.genfleet.schemas.TextOutput;
import dev.genfleet.testkit.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Two gateway replicas as two processes: this {@code @QuarkusTest} instance (A) and the packaged jar
 * started as a second JVM (B) on the same broker with the same API keys. A job submitted on one is
 * answered by the other; after B is stopped and started again it answers from a view rebuilt from
 * Kafka alone.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = false)
class TwoGatewaysIT {

    static final String KEY_A = "Bearer test-key-a";
    static final String KEY_B = "Bearer test-key-b";
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> SETTINGS = List.of(
            "genfleet.gateway.auth.keys.d9943771ce3d24dd99ff1540b5fbd84b8ecd8d58caa009cf2a13a1d54913d5f4=tenant-a",
            "genfleet.gateway.auth.keys.b28592d358781a58d1e486318d9bd54382141142d48b0f1f74e9838a42f2bf53=tenant-b",
            "genfleet.gateway.create-topics=false",
            // the @QuarkusTest replica delivers webhooks; keep B out of the delivery group here
            "genfleet.gateway.webhooks.enabled=false");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    static FakeWorker worker;

    @AfterAll
    static void close() {
        if (worker != null) {
            worker.close();
            worker = null;
        }
    }

    GatewayProcess startB(String log) throws Exception {
        return GatewayProcess.start(bootstrap, GatewayProcess.TARGET.resolve(log), List.of("-Xmx256m"), SETTINGS);
    }

    static String status(GatewayProcess.Answer a) throws Exception {
        return JSON.readTree(a.body()).get("status").asText();
    }

    @Test
    void shouldAnswerFromASecondGatewayProcessAndAgainAfterItRestarts() throws Exception {
        worker = new FakeWorker(bootstrap);
        String onA = JobsIT.submitText(KEY_A, "Submitted on A");
        GatewayProcess b = startB("gateway-b.log");
        try {
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        assertTrue(b.alive(), "gateway B exited; see target/gateway-b.log");
                        return b.get("/v1/jobs/" + onA, KEY_A).status() == 200;
                    });
            assertEquals("SUBMITTED", status(b.get("/v1/jobs/" + onA, KEY_A)));
            assertEquals(404, b.get("/v1/jobs/" + onA, KEY_B).status(), "tenant isolation holds on B too");

            GatewayProcess.Answer posted = b.post(
                    "/v1/jobs",
                    KEY_A,
                    "application/json",
                    HttpRequest.BodyPublishers.ofString(
                            "{\"model\":\"copy-gpt\",\"input\":{\"prompt\":\"Submitted on B\"}}"));
            assertEquals(202, posted.status(), posted.body());
            String onB = JSON.readTree(posted.body()).get("id").asText();
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> given().header("Authorization", KEY_A)
                            .get("/v1/jobs/" + onB)
                            .then()
                            .statusCode(200)
                            .body("status", equalTo("SUBMITTED")));

            worker.result(
                    onA, "tenant-a", JobStatus.SUCCEEDED, new TextOutput("Answered everywhere.", "stop", 2, 3), null);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> "SUCCEEDED".equals(status(b.get("/v1/jobs/" + onA, KEY_A))));
        } finally {
            b.close();
        }

        GatewayProcess restarted = startB("gateway-b-restarted.log");
        try {
            await().atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        assertTrue(restarted.alive(), "gateway B exited; see target/gateway-b-restarted.log");
                        GatewayProcess.Answer a = restarted.get("/v1/jobs/" + onA, KEY_A);
                        return a.status() == 200 && "SUCCEEDED".equals(status(a));
                    });
            assertTrue(restarted.get("/v1/jobs/" + onA, KEY_A).body().contains("Answered everywhere."));
        } finally {
            restarted.close();
        }
    }
}
