package dev.genfleet.worker.consume;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A worker whose model cannot load: unready with the reason in its health output, and in no job
 * consumer group, so the pool's other workers keep every partition. Its control consumer (which does
 * not wait for models) joining its own group shows that the worker's consumers did start.
 */
@QuarkusTest
@TestProfile(WorkerModelLoadFailureIT.MissingModel.class)
@QuarkusTestResource(value = CatalogTopicsResource.class, restrictToAnnotatedClass = false)
class WorkerModelLoadFailureIT {

    public static final class MissingModel implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "genfleet.worker.pool", "broken",
                    "genfleet.worker.id", "broken-worker",
                    "genfleet.worker.models", "no-such-model");
        }
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    ModelHost host;

    @Test
    void shouldStayUnreadyAndJoinNoJobGroupWhenItsModelCannotLoad() throws Exception {
        assertTrue(host.ready().isCompletedExceptionally(), "the model load must have failed");
        given().when().get("/q/health/ready").then().statusCode(503).body(containsString("no-such-model"));
        try (Admin admin =
                Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            // the control channel does not wait for models: once it has joined, the job channels had their chance
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> !members(admin, "genfleet-worker-control-broken-worker")
                            .isEmpty());
            for (String group : List.of("genfleet-worker-broken-interactive", "genfleet-worker-broken-bulk")) {
                List<String> members = members(admin, group);
                assertEquals(List.of(), members, group + " must have no member from a worker without its model");
            }
        }
        assertFalse(host.isReady());
    }

    /** Client ids of a group's members; none when no consumer ever joined it (the broker does not know it). */
    private static List<String> members(Admin admin, String group) throws Exception {
        try {
            ConsumerGroupDescription d =
                    admin.describeConsumerGroups(List.of(group)).all().get().get(group);
            return d.members().stream().map(m -> m.clientId()).toList();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return List.of();
            }
            throw e;
        }
    }
}
