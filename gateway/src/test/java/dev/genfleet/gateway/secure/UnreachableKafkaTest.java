package dev.genfleet.gateway.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genfleet.gateway.GatewayConfig;
import dev.genfleet.gateway.kafka.KafkaClients;
import dev.genfleet.gateway.kafka.KafkaHealth;
import dev.genfleet.gateway.refusal.Refusal;
import dev.genfleet.gateway.refusal.Refused;
import dev.genfleet.gateway.submit.EventPublisher;
import dev.genfleet.schemas.AuditEvent;
import dev.genfleet.schemas.AuditType;
import dev.genfleet.schemas.TraceContext;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * With no broker answering, a submission is not lost in a long wait: it is refused with 503, {@code Retry-After}
 * and a problem the edge renders as {@code application/problem+json}, within the ack timeout; and the gateway
 * stays ready for the grace period (a broker restart must not empty the Service).
 */
class UnreachableKafkaTest {

    @Test
    void shouldAnswer503WithRetryAfterWhileKafkaIsUnreachableAndStayReadyWithinTheGrace() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort(); // closed again: nothing listens there
        }
        GatewayConfig config = new SmallRyeConfigBuilder()
                .withMapping(GatewayConfig.class)
                .withDefaultValues(Map.of("genfleet.gateway.ack-timeout-ms", "1500"))
                .build()
                .getConfigMapping(GatewayConfig.class);
        KafkaHealth health = new KafkaHealth(System::nanoTime, Duration.ofSeconds(60));
        KafkaClients clients = new KafkaClients(Map.of("bootstrap.servers", "127.0.0.1:" + closedPort));
        EventPublisher publisher = new EventPublisher(clients, health, config);
        try {
            AuditEvent event = new AuditEvent(
                    UUID.randomUUID().toString(),
                    AuditType.SUBMITTED,
                    "job-1",
                    null,
                    null,
                    "tenant-a",
                    "gateway",
                    Instant.now(),
                    "copy-gpt",
                    "1.0.0",
                    null,
                    null,
                    null,
                    1,
                    null,
                    null,
                    null,
                    Map.of());
            long start = System.nanoTime();
            Refused refused = assertThrows(
                    Refused.class,
                    () -> publisher.sendAllAndWait(
                            List.of(new EventPublisher.Outgoing("genfleet.audit", event, TraceContext.NONE))));
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            // unavailable, with a time to retry after: 503 with Retry-After at the edge
            Refusal.Unavailable unavailable = assertInstanceOf(Refusal.Unavailable.class, refused.refusal());
            assertTrue(unavailable.retryAfter().toSeconds() >= 1, unavailable.toString());
            assertTrue(tookMs < 10_000, "answered after " + tookMs + " ms");
            publisher.probe(List.of("genfleet.audit"));
            assertTrue(health.unreachable(), health.describeAll().toString());
            assertEquals(Map.of(), health.unready(), "unready at once though only the grace period passed");
        } finally {
            publisher.close();
        }
    }
}
