package dev.genfleet.gateway.secure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genfleet.gateway.kafka.KafkaHealth;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/** Readiness without flapping: refusals count at once, an unreachable broker only after the grace period. */
class KafkaHealthTest {

    private final AtomicLong now = new AtomicLong();
    private final KafkaHealth health = new KafkaHealth(now::get, Duration.ofSeconds(60));

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Test
    void shouldBeUnreadyAtOnceNamingTheClientWhenKafkaRefusesItsCredentials() {
        health.ok("webhook-consumer");
        health.failed(
                "job-producer",
                new ExecutionException(new SaslAuthenticationException(
                        "Authentication failed during authentication due to invalid credentials with SASL mechanism"
                                + " SCRAM-SHA-512")));
        Map<String, String> down = health.unready();
        assertEquals(1, down.size(), down.toString());
        assertTrue(
                down.get("job-producer").startsWith("authentication failed: SaslAuthenticationException: "),
                down.toString());
        assertEquals("ok", health.describeAll().get("webhook-consumer"));
    }

    @Test
    void shouldBeUnreadyAtOnceWhenAnAclRefusesTheClient() {
        health.failed("webhook-consumer", new GroupAuthorizationException("genfleet-gateway-webhooks"));
        assertTrue(health.unready().get("webhook-consumer").startsWith("not authorized: GroupAuthorization"));
    }

    @Test
    void shouldStayReadyWhileTheBrokerIsBrieflyUnreachable() {
        health.failed("connection-probe", new TimeoutException("Timed out waiting for a node assignment"));
        assertTrue(health.unreachable());
        assertEquals(Map.of(), health.unready());
        advance(Duration.ofSeconds(30));
        health.failed("connection-probe", new TimeoutException("again")); // keeps the time the outage began
        advance(Duration.ofSeconds(29));
        assertEquals(Map.of(), health.unready());
        advance(Duration.ofSeconds(1));
        assertTrue(
                health.unready().get("connection-probe").startsWith("Kafka unreachable"),
                health.unready().toString());
    }

    @Test
    void shouldBeReadyAgainOnceTheClientSucceeds() {
        health.failed("connection-probe", new TimeoutException("down"));
        advance(Duration.ofMinutes(5));
        health.failed("job-producer", new SaslAuthenticationException("bad password"));
        assertEquals(2, health.unready().size());
        health.ok("connection-probe");
        health.ok("job-producer");
        assertEquals(Map.of(), health.unready());
        assertTrue(!health.unreachable());
    }

    @Test
    void shouldIgnoreErrorsThatSayNothingAboutKafka() {
        health.failed("job-producer", new IllegalStateException("a record too odd to encode"));
        assertEquals(Map.of(), health.describeAll());
    }
}
