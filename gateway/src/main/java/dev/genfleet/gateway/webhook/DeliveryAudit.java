package dev.genfleet.gateway.webhook;

import dev.genfleet.gateway.status.JobView;
import dev.genfleet.gateway.submit.EventPublisher;
import dev.genfleet.schemas.AuditEvent;
import dev.genfleet.schemas.Reason;
import dev.genfleet.schemas.ReasonCode;
import dev.genfleet.schemas.Topics;
import dev.genfleet.schemas.TraceContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Records every delivery attempt (DESIGN.md, "Retries and audit"): a {@code WEBHOOK_DELIVERED} or
 * {@code WEBHOOK_FAILED} audit event on the job, which never changes its status, and the counter
 * {@code genfleet.webhooks.attempts}. Blocks until the event is written; runs on the delivery I/O pool.
 */
final class DeliveryAudit {

    private static final Logger LOG = Logger.getLogger(DeliveryAudit.class);

    private final EventPublisher publisher;
    private final Topics topics;
    private final MeterRegistry registry;

    DeliveryAudit(EventPublisher publisher, Topics topics, MeterRegistry registry) {
        this.publisher = publisher;
        this.topics = topics;
        this.registry = registry;
    }

    /** Attempt {@code n} of {@code d}: delivered when {@code ok}; {@code last} when no attempt follows. */
    void attempt(Delivery d, int n, boolean ok, boolean last, int status, String error, long durationMs) {
        Counter.builder("genfleet.webhooks.attempts")
                .description("webhook delivery attempts; outcome=failed with final=true is a delivery that gave up")
                .tag("event", d.event())
                .tag("outcome", ok ? "delivered" : "failed")
                .tag("final", Boolean.toString(ok || last))
                .register(registry)
                .increment();
        JobView v = d.job();
        Map<String, String> details = new HashMap<>();
        details.put("webhook_id", d.messageId());
        details.put("event", d.event());
        details.put("url", d.url());
        details.put("delivery_attempt", Integer.toString(n));
        details.put("final", Boolean.toString(last));
        if (status > 0) {
            details.put("http_status", Integer.toString(status));
        }
        Reason reason = ok
                ? null
                : ReasonCode.WEBHOOK_DELIVERY_FAILED.reason(error.length() > 500 ? error.substring(0, 500) : error);
        AuditEvent event = AuditEvent.webhook(
                UUID.randomUUID().toString(),
                new AuditEvent.Subject(v.jobId(), v.campaignId(), v.customId(), v.tenant(), v.model(), v.seed()),
                "gateway",
                Instant.now(),
                v.modelVersion(),
                Math.min(v.attempts(), 1000),
                reason,
                durationMs,
                details);
        try {
            publisher.await(publisher.send(topics.audit(), event, TraceContext.NONE));
        } catch (RuntimeException e) {
            LOG.warnf("webhook attempt %s #%d not audited: %s", d.messageId(), n, e.getMessage());
        }
    }
}
