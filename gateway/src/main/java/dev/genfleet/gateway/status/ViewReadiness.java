package dev.genfleet.gateway.status;

import dev.genfleet.gateway.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Set;
import org.apache.kafka.streams.KafkaStreams;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the status view has caught up with the event log: Kafka Streams is RUNNING and its
 * consumer reports no lag on any partition of the topics the view reads. A replica that replays (a new one, or one
 * whose state was not closed cleanly) would answer 404 for jobs it has not read yet, so it stays out of the load
 * balancer meanwhile and says how far it is ({@code offsets_behind}, {@code records_read}); one that restarts from
 * its own state only reads what was written while it was down. After the first catch-up it stays ready (later lag is
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

    @Inject
    ViewCatchUp catchUp;

    @Inject
    ViewProgress progress;

    @Inject
    ViewState viewState;

    private volatile boolean caughtUp;
    private volatile double readyAfterSeconds = -1;
    private volatile long atEndSince;

    @Override
    public HealthCheckResponse call() {
        KafkaStreams.State state = streams.state();
        Set<String> topics = Set.of(
                config.topics().audit(),
                config.topics().results(),
                config.topics().models());
        ViewCatchUp.Lag all = catchUp.lag(null);
        if (!caughtUp) {
            boolean atEnd =
                    state == KafkaStreams.State.RUNNING && catchUp.lag(topics).caughtUp(topics, catchUp.assigned());
            if (!atEnd) {
                atEndSince = 0;
            } else if (atEndSince == 0) {
                atEndSince = System.nanoTime();
            }
            // at the end of the log and every fetched record read (or at the end for 10 s: a record fetched twice
            // after a rebalance must not keep the replica out forever)
            caughtUp = atEnd
                    && (catchUp.bufferDrained(Set.of(
                                    config.topics().audit(), config.topics().results()))
                            || System.nanoTime() - atEndSince > 10_000_000_000L);
            if (caughtUp) {
                readyAfterSeconds = (System.nanoTime() - viewState.startedAtNanos()) / 1e9;
            }
        }
        // a view that stopped (an error, a shutdown) no longer follows the log: never ready then
        boolean stopped = state == KafkaStreams.State.ERROR
                || state == KafkaStreams.State.PENDING_ERROR
                || state == KafkaStreams.State.NOT_RUNNING
                || state == KafkaStreams.State.PENDING_SHUTDOWN;
        HealthCheckResponseBuilder b = HealthCheckResponse.named("status-view")
                .status(caughtUp && !stopped)
                .withData("state", state.name())
                .withData("application_id", viewState.applicationId())
                .withData("start", String.valueOf(viewState.start()))
                .withData("offsets_behind", all.offsetsBehind())
                .withData("partitions_behind", all.partitionsBehind())
                .withData("records_read", progress.recordsRead());
        if (readyAfterSeconds >= 0) {
            b.withData("ready_after_s", String.format(java.util.Locale.ROOT, "%.1f", readyAfterSeconds));
        }
        return b.build();
    }
}
