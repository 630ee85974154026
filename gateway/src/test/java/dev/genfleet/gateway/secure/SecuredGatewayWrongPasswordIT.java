package dev.genfleet.gateway.secure;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A gateway whose Kafka password is wrong is unready, and its readiness says which clients Kafka refused and
 * why, rather than staying green because nothing tried to send yet.
 */
@QuarkusTest
@TestProfile(SecuredGatewayWrongPasswordIT.WithAWrongPassword.class)
class SecuredGatewayWrongPasswordIT {

    /** Health answers on the management port, not the API's (application.properties); paths are under its root, /q. */
    @io.quarkus.test.common.http.TestHTTPResource(value = "/health/ready", management = true)
    java.net.URL ready;

    public static class WithAWrongPassword implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(
                    SecuredGatewayResource.class,
                    Map.of("user", SecuredGatewayIT.GATEWAY_USER, "password", "not-the-password")));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    @Test
    void shouldBeUnreadyNamingTheRefusedClientsAndTheCause() {
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> given().get(ready)
                        .then()
                        .statusCode(503)
                        .body("checks.find { it.name == 'kafka-clients' }.status", equalTo("DOWN"))
                        .body(
                                "checks.find { it.name == 'kafka-clients' }.data.'job-producer'",
                                containsString("authentication failed: SaslAuthenticationException"))
                        .body(
                                "checks.find { it.name == 'kafka-clients' }.data.unready",
                                containsString("connection-probe: authentication failed")));
        // and a job is refused with a 503 the client may retry, never accepted
        given().header("Authorization", "Bearer test-key-a")
                .contentType("application/json")
                .body("{\"model\":\"copy-gpt\",\"input\":{\"prompt\":\"Write a tagline\"}}")
                .post("/v1/jobs")
                .then()
                .statusCode(503)
                .contentType(containsString("application/problem+json"))
                .header("Retry-After", org.hamcrest.Matchers.notNullValue());
    }
}
