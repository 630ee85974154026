package dev.genfleet.gateway.status;

import dev.genfleet.gateway.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the status view has caught up with the event log: Kafka Streams is RUNNING and its
 * consumer reports no lag on any partition of the topics the view reads. A restarted replica
 * replays the log first, and until then it would answer 404 for jobs it has not read yet; so it
 * stays out of the load balancer meanwhile. After the first catch-up it stays ready (later lag is
 * normal traffic, not a rebuild), unless Kafka Streams stopped; why it stopped, and every other Kafka client's
 * health, is {@code kafka/KafkaReadiness}'s to say.
 */
@Readiness
@ApplicationScoped
public class ViewReadiness implements HealthCheck {

    @Inject
    KafkaStreams streams;

    @Inject
    GatewayConfig config;

    private volatile boolean caughtUp;

    @Override
    public HealthCheckResponse call() {
        KafkaStreams.State state = streams.state();
        if (!caughtUp) {
            caughtUp = state == KafkaStreams.State.RUNNING && lagIsZero();
        }
        // a view that stopped (an error, a shutdown) no longer follows the log: never ready then
        boolean stopped = state == KafkaStreams.State.ERROR
                || state == KafkaStreams.State.PENDING_ERROR
                || state == KafkaStreams.State.NOT_RUNNING
                || state == KafkaStreams.State.PENDING_SHUTDOWN;
        return HealthCheckResponse.named("status-view")
                .status(caughtUp && !stopped)
                .withData("state", state.name())
                .build();
    }

    private boolean lagIsZero() {
        Set<String> topics = Set.of(
                config.topics().audit(),
                config.topics().results(),
                config.topics().models());
        Map<String, Boolean> seen = new HashMap<>();
        Set<String> lagging = new HashSet<>();
        for (Map.Entry<MetricName, ? extends Metric> e : streams.metrics().entrySet()) {
            MetricName name = e.getKey();
            String topic = name.tags().get("topic");
            String client = name.tags().getOrDefault("client-id", "");
            if (!"records-lag".equals(name.name())
                    || topic == null
                    || !topics.contains(topic)
                    || !name.group().equals("consumer-fetch-manager-metrics")
                    || client.contains("restore")
                    || !name.tags().containsKey("partition")) {
                continue;
            }
            Object value = e.getValue().metricValue();
            double lag = value instanceof Number n ? n.doubleValue() : Double.NaN;
            seen.put(topic, true);
            if (Double.isNaN(lag) || lag > 0) {
                lagging.add(topic + "-" + name.tags().get("partition"));
            }
        }
        return seen.keySet().containsAll(topics) && lagging.isEmpty();
    }
}
