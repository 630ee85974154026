package dev.genfleet.worker.consume;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genfleet.testkit.KafkaBrokers;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.junit.jupiter.api.Test;

/**
 * The packaged worker, told to host a model that cannot load: unready with the reason in its health
 * output and its log, and in no job consumer group, so the pool's other workers keep every partition.
 * Its control consumer (which does not wait for models) joining its own group shows that the worker's
 * consumers did start. A process of its own: a second Quarkus app in the test JVM would share DJL's
 * engine registry with the first.
 */
class WorkerModelLoadFailureIT {

    private final String bootstrap = KafkaBrokers.bootstrapServers();

    @Test
    void shouldStayUnreadyAndJoinNoJobGroupWhenItsModelCannotLoad() throws Exception {
        String pool = "broken" + UUID.randomUUID().toString().substring(0, 6);
        String workerId = pool + "-w";
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (WorkerProcess worker = WorkerProcess.start(
                        bootstrap,
                        workerId,
                        pool,
                        Map.of(
                                "genfleet.worker.models",
                                "no-such-model",
                                "quarkus.management.port",
                                String.valueOf(port)));
                Admin admin =
                        Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            // the control channel does not wait for models: once it has joined, the job channels had their chance
            await().atMost(Duration.ofSeconds(120))
                    .until(() -> !members(admin, "genfleet-worker-control-" + workerId)
                            .isEmpty());
            for (String group :
                    List.of("genfleet-worker-" + pool + "-interactive", "genfleet-worker-" + pool + "-bulk")) {
                assertEquals(
                        List.of(),
                        members(admin, group),
                        group + " must have no member from a worker without its model; log: " + worker.log);
            }
            // the control channel may join before the HTTP server listens (a loaded machine): ask until it answers
            HttpResponse<String> ready = await().atMost(Duration.ofSeconds(60))
                    .ignoreExceptions()
                    .until(
                            () -> HttpClient.newHttpClient()
                                    .send(
                                            HttpRequest.newBuilder(
                                                            URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                                                    .build(),
                                            HttpResponse.BodyHandlers.ofString()),
                            r -> r != null);
            assertEquals(503, ready.statusCode(), ready.body());
            assertTrue(ready.body().contains("no-such-model"), ready.body());
            assertTrue(worker.output().contains("joins no consumer group"), "the log says why: " + worker.log);
            assertTrue(worker.isAlive(), "unready, not dead");
        }
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
