package dev.genfleet.gateway;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.genfleet.testkit.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The Quarkus test resource hands the app a real broker (embedded here, Testcontainers with Docker). */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = false)
class BrokerWiringIT {

    @io.quarkus.test.common.http.TestHTTPResource(value = "/health/live", management = true)
    java.net.URL live;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void shouldRunAgainstARealBrokerOnLoopback() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            assertEquals(1, admin.describeCluster().nodes().get().size());
        }
        // Kafka Streams reports live once its first rebalance is done (seconds on a busy machine)
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(60))
                .untilAsserted(() -> given().when().get(live).then().statusCode(200));
    }
}
