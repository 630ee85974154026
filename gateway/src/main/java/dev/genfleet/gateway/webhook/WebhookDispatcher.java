package dev.genfleet.gateway.webhook;

import dev.genfleet.gateway.GatewayConfig;
import dev.genfleet.gateway.kafka.KafkaClients;
import dev.genfleet.gateway.kafka.KafkaHealth;
import dev.genfleet.gateway.status.StatusView;
import dev.genfleet.gateway.status.ViewReach;
import dev.genfleet.gateway.status.ViewTopology;
import dev.genfleet.gateway.submit.EventPublisher;
import dev.genfleet.gateway.tenant.TenantSettings;
import dev.genfleet.schemas.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.jboss.logging.Logger;

/**
 * Delivers {@code job.finished} and {@code campaign.finished} webhooks, signed per Standard Webhooks,
 * retried with exponential backoff, every attempt audited (see DESIGN.md in this package). It wires four
 * parts, one per idea of the design note, and runs them on this replica's webhook threads:
 *
 * <ul>
 *   <li>{@link FactConsumer}: partition ownership and offsets. The replica that owns the job's partition in
 *       {@code webhooks.group-id} reads its facts (committed ones only) and commits offsets only past records
 *       whose delivery has settled, so a replica that dies mid-retry leaves the message to the next owner.
 *   <li>{@link FactResolver}: job and campaign resolution. A terminal fact becomes a delivery once the local
 *       status view shows the job (or its campaign) finished; it waits for the view however long it lags.
 *   <li>{@link SignedDelivery}: signed attempts under one deadline, a queue per receiver, retries.
 *   <li>{@link DeliveryAudit}: an audit event and a counter per attempt.
 * </ul>
 *
 * Delivery is at least once; the message id is derived from the job (or campaign) id, so a repeat carries the
 * same {@code webhook-id}.
 */
@ApplicationScoped
public class WebhookDispatcher {

    public static final String JOB_FINISHED = "job.finished";
    public static final String CAMPAIGN_FINISHED = ViewTopology.CAMPAIGN_FINISHED;

    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);

    private final GatewayConfig.Webhooks config;
    private final FactConsumer consumer;
    private final FactResolver resolver;
    private final SignedDelivery delivery;
    private ScheduledExecutorService timers;
    private ExecutorService blocking;
    private volatile boolean running;

    public WebhookDispatcher(
            GatewayConfig config,
            KafkaClients kafka,
            KafkaHealth health,
            StatusView view,
            EventPublisher publisher,
            WebhookSecrets secrets,
            TenantSettings settings,
            ViewReach reach,
            JobBodies jobBodies,
            MeterRegistry registry) {
        this.config = config.webhooks();
        Topics topics = config.toTopics();
        this.resolver = new FactResolver(this.config, topics, view, reach, jobBodies, this::running, registry);
        this.delivery = new SignedDelivery(
                this.config,
                secrets,
                settings,
                new DeliveryAudit(publisher, topics, registry),
                this::running,
                resolver::settled);
        this.consumer = new FactConsumer(this.config, kafka, health, topics, resolver::read, this::running);
    }

    void onStart(@Observes @jakarta.annotation.Priority(10) StartupEvent event) {
        if (!config.enabled()) {
            LOG.info("webhook delivery is off on this replica (genfleet.gateway.webhooks.enabled=false)");
            return;
        }
        timers = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "genfleet-webhook-timer");
            t.setDaemon(true);
            return t;
        });
        blocking = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "genfleet-webhook-io");
            t.setDaemon(true);
            return t;
        });
        delivery.start(timers, blocking);
        running = true;
        resolver.start(timers, delivery::deliver);
        consumer.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        if (!running) {
            return;
        }
        running = false;
        consumer.stop();
        timers.shutdownNow();
        blocking.shutdownNow();
    }

    private boolean running() {
        return running;
    }

    /** Facts waiting for the view (read by this replica, not yet in its view); for tests and the gauge. */
    public int waitingForView() {
        return resolver.waitingForView();
    }

    /** Of {@link #waitingForView()}, those waiting longer than {@code view-wait-ms}. */
    public int overdueForView() {
        return resolver.overdueForView();
    }
}
