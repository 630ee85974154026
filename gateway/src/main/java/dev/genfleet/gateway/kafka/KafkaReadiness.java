package dev.genfleet.gateway.kafka;

import dev.genfleet.gateway.GatewayConfig;
import dev.genfleet.gateway.submit.EventPublisher;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of every Kafka client the gateway depends on (the job producer, the webhook consumer, the topic
 * admin, the status view's Kafka Streams, and a probe admin client that notices an unreachable broker while no
 * traffic flows), as {@link KafkaHealth} judges them: down at once, naming the client and the cause, when Kafka
 * refuses credentials or ACLs; down only after the grace period when Kafka is unreachable. The probe also
 * checks the producer's metadata for the topics it always writes (authentication and Describe ACLs), so a wrong
 * password shows before the first request.
 */
@Readiness
@Singleton
public class KafkaReadiness implements HealthCheck {

    /** The probe admin client's name in readiness. */
    static final String PROBE = "connection-probe";

    private final KafkaHealth health;
    private final KafkaClients kafka;
    private final EventPublisher publisher;
    private final GatewayConfig config;
    private ScheduledExecutorService scheduler;
    private Admin probe;

    public KafkaReadiness(KafkaHealth health, KafkaClients kafka, EventPublisher publisher, GatewayConfig config) {
        this.health = health;
        this.kafka = kafka;
        this.publisher = publisher;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        long timeoutMs = Math.max(1000, Math.min(config.kafka().probeIntervalMs(), 10_000));
        probe = kafka.admin(
                PROBE,
                Map.of(
                        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeoutMs,
                        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeoutMs));
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "genfleet-kafka-probe");
            t.setDaemon(true);
            return t;
        });
        List<String> written = List.of(config.topics().audit(), config.topics().control());
        scheduler.scheduleWithFixedDelay(
                () -> {
                    probeCluster(timeoutMs);
                    publisher.probe(written);
                },
                0,
                config.kafka().probeIntervalMs(),
                TimeUnit.MILLISECONDS);
    }

    private void probeCluster(long timeoutMs) {
        try {
            probe.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeoutMs))
                    .clusterId()
                    .get(timeoutMs + 1000, TimeUnit.MILLISECONDS);
            health.ok(PROBE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            health.failed(PROBE, e);
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (probe != null) {
            probe.close(java.time.Duration.ofSeconds(2));
        }
    }

    @Override
    public HealthCheckResponse call() {
        Map<String, String> down = health.unready();
        HealthCheckResponseBuilder b =
                HealthCheckResponse.named("kafka-clients").status(down.isEmpty());
        health.describeAll().forEach(b::withData);
        if (!down.isEmpty()) {
            b.withData(
                    "unready",
                    String.join(
                            "; ",
                            down.entrySet().stream()
                                    .map(e -> e.getKey() + ": " + e.getValue())
                                    .toList()));
        }
        return b.build();
    }
}
