package dev.genfleet.gateway;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.genfleet.gateway.api.Problem;
import dev.genfleet.schemas.JobStatus;
import dev.genfleet.schemas.TextOutput;
import dev.genfleet.testkit.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Per-tenant quotas through HTTP against the real broker: tenant-r may burst 2 requests then 0.2/s;
 * tenant-q may have 3 unfinished jobs (application.properties, test profile).
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = false)
class QuotasIT extends WithFakeWorker {

    static final String KEY_Q = "Bearer test-key-q";
    static final String KEY_R = "Bearer test-key-r";
    static final String JOB = "{\"model\":\"copy-gpt\",\"input\":{\"prompt\":\"Write a tagline\"}}";

    static io.restassured.response.Response submit(String key) {
        return given().header("Authorization", key)
                .contentType("application/json")
                .body(JOB)
                .post("/v1/jobs");
    }

    static String campaign(int recipients) {
        StringBuilder sb = new StringBuilder(
                "{\"name\":\"q\",\"model\":\"copy-gpt\",\"template\":{\"prompt\":\"Hi {{n}}\"}" + ",\"recipients\":[");
        for (int i = 0; i < recipients; i++) {
            sb.append(i == 0 ? "" : ",")
                    .append("{\"custom_id\":\"c")
                    .append(i)
                    .append("\",\"vars\":{\"n\":\"N")
                    .append(i)
                    .append("\"}}");
        }
        return sb.append("]}").toString();
    }

    static String ndjson(int recipients) {
        StringBuilder sb =
                new StringBuilder("{\"name\":\"q\",\"model\":\"copy-gpt\",\"template\":{\"prompt\":\"Hi {{n}}\"}}\n");
        for (int i = 0; i < recipients; i++) {
            sb.append("{\"custom_id\":\"c")
                    .append(i)
                    .append("\",\"vars\":{\"n\":\"N")
                    .append(i)
                    .append("\"}}\n");
        }
        return sb.toString();
    }

    void finish(String jobId) {
        worker().result(jobId, "tenant-q", JobStatus.SUCCEEDED, new TextOutput("ok", "stop", 1, 1), null);
    }

    @Test
    void shouldAnswer429WithRetryAfterOnceTheRequestRateIsSpent() {
        given().header("Authorization", KEY_R).get("/v1/models").then().statusCode(200);
        given().header("Authorization", KEY_R).get("/v1/models").then().statusCode(200);
        given().header("Authorization", KEY_R)
                .get("/v1/models")
                .then()
                .statusCode(429)
                .contentType(Problem.MEDIA_TYPE)
                .header("Retry-After", notNullValue())
                .body("status", equalTo(429))
                .body("detail", containsString("request rate"));
        given().header("Authorization", "Bearer test-key-a")
                .get("/v1/models")
                .then()
                .statusCode(200);
    }

    @Test
    void shouldAnswer429WhenTooManyJobsAreUnfinishedCountingCampaignRecipients() {
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            jobs.add(submit(KEY_Q).then().statusCode(202).extract().path("id"));
        }
        submit(KEY_Q)
                .then()
                .statusCode(429)
                .contentType(Problem.MEDIA_TYPE)
                .header("Retry-After", equalTo("5"))
                .body("detail", containsString("queued-jobs quota"));
        given().header("Authorization", "Bearer test-key-a")
                .contentType("application/json")
                .body(JOB)
                .post("/v1/jobs")
                .then()
                .statusCode(202);

        finish(jobs.remove(0));
        // one slot is free once the view has read the result: a 2-recipient campaign still does not fit
        String single = await().atMost(Duration.ofSeconds(20))
                .until(() -> submit(KEY_Q).then().extract(), r -> r.statusCode() == 202)
                .path("id");
        jobs.add(single);
        given().header("Authorization", KEY_Q)
                .contentType("application/json")
                .body(campaign(2))
                .post("/v1/campaigns")
                .then()
                .statusCode(429)
                .contentType(Problem.MEDIA_TYPE)
                .header("Retry-After", notNullValue())
                .body("detail", containsString("2 recipients"));
        given().header("Authorization", KEY_Q)
                .contentType("application/x-ndjson")
                .body(ndjson(2).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/v1/campaigns")
                .then()
                .statusCode(429)
                .contentType(Problem.MEDIA_TYPE);

        List<String> finished = List.of(jobs.remove(0), jobs.remove(0));
        finished.forEach(this::finish);
        for (String done : finished) {
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> given().header("Authorization", KEY_Q)
                            .get("/v1/jobs/" + done)
                            .then()
                            .statusCode(200)
                            .body("status", equalTo("SUCCEEDED")));
        }
        // two slots free: a streamed campaign of 3 queues 2 and rejects the third with the quota's reason
        var accepted = given().header("Authorization", KEY_Q)
                .contentType("application/x-ndjson")
                .body(ndjson(3).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/v1/campaigns")
                .then()
                .statusCode(202)
                .body("queued", equalTo(2))
                .extract();
        assertEquals(1, accepted.<Integer>path("rejected"));
        submit(KEY_Q).then().statusCode(429);
        String id = accepted.path("id");
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> given().header("Authorization", KEY_Q)
                        .get("/v1/campaigns/" + id + "/results")
                        .then()
                        .statusCode(200)
                        .body(containsString("QUEUED_QUOTA_EXCEEDED")));
        given().header("Authorization", KEY_Q)
                .contentType("application/x-ndjson")
                .body(ndjson(1).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/v1/campaigns")
                .then()
                .statusCode(429);
        accepted.response().then().body("rejections.code", hasItem("QUEUED_QUOTA_EXCEEDED"));
    }
}
