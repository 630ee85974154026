package dev.genfleet.gateway.kafka;

import dev.genfleet.gateway.GatewayConfig;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.UnsupportedSaslMechanismException;
import org.jboss.logging.Logger;

/**
 * What each of the gateway's Kafka clients last saw, and whether that makes the gateway unready.
 *
 * <p>Two kinds of trouble, told apart because they call for opposite answers:
 *
 * <ul>
 *   <li><b>Refused</b>: authentication failed (a wrong password, an unknown user, a TLS handshake the
 *       broker or the client rejects), an ACL denied something, or a setting is wrong. Retrying will not
 *       help, so the gateway is unready at once and says which client and why.
 *   <li><b>Unreachable</b>: timeouts and lost connections ({@link RetriableException}). A broker that
 *       restarts or a network blip must not pull every replica out of the Service at once, so the gateway
 *       stays ready for {@code genfleet.gateway.kafka.unreachable-grace-ms}; requests meanwhile answer 503
 *       with {@code Retry-After}. Only an outage longer than that makes it unready.
 * </ul>
 *
 * A client that succeeds again ({@link #ok}) clears its trouble. Time comes in through the constructor, so
 * the grace period is tested with a fake clock.
 */
@Singleton
public class KafkaHealth {

    private static final Logger LOG = Logger.getLogger(KafkaHealth.class);

    /** The state of one client. {@code since} is a {@link #nanos} reading. */
    public record ClientState(Trouble trouble, String cause, long since) {
        public boolean healthy() {
            return trouble == Trouble.NONE;
        }
    }

    public enum Trouble {
        NONE,
        /** refused for good: credentials, ACLs, configuration */
        REFUSED,
        /** timeouts, lost connections: the broker may be back soon */
        UNREACHABLE
    }

    private final Map<String, ClientState> clients = new ConcurrentHashMap<>();
    private final LongSupplier nanos;
    private final long graceNanos;

    @Inject
    public KafkaHealth(GatewayConfig config) {
        this(System::nanoTime, Duration.ofMillis(config.kafka().unreachableGraceMs()));
    }

    public KafkaHealth(LongSupplier nanos, Duration grace) {
        this.nanos = nanos;
        this.graceNanos = grace.toNanos();
    }

    /** The client worked (connected, authenticated, was allowed). */
    public void ok(String client) {
        ClientState current = clients.get(client);
        if (current != null && current.healthy()) {
            return; // the common case, on every acknowledgement: no allocation
        }
        ClientState before = clients.put(client, new ClientState(Trouble.NONE, null, nanos.getAsLong()));
        if (before != null && !before.healthy()) {
            LOG.infof("Kafka client %s works again", client);
        }
    }

    /** A client failed; anything that does not say something about Kafka itself is ignored. */
    public void failed(String client, Throwable error) {
        Optional<Trouble> kind = classify(error);
        if (kind.isEmpty()) {
            return;
        }
        Throwable root = rootKafkaCause(error);
        String cause = describe(kind.get(), root);
        long now = nanos.getAsLong();
        ClientState before = clients.get(client);
        // an outage keeps the time it began, so the grace period counts from the first failure
        long since = before != null && before.trouble() == kind.get() ? before.since() : now;
        clients.put(client, new ClientState(kind.get(), cause, since));
        if (before == null || before.trouble() != kind.get() || !cause.equals(before.cause())) {
            if (kind.get() == Trouble.REFUSED) {
                LOG.errorf("Kafka client %s: %s", client, cause);
            } else {
                LOG.warnf("Kafka client %s: %s", client, cause);
            }
        }
    }

    /** Clients whose trouble makes the gateway unready now, with the reason, by name. */
    public Map<String, String> unready() {
        long now = nanos.getAsLong();
        Map<String, String> down = new TreeMap<>();
        clients.forEach((client, s) -> {
            if (s.trouble() == Trouble.REFUSED) {
                down.put(client, s.cause());
            } else if (s.trouble() == Trouble.UNREACHABLE && now - s.since() >= graceNanos) {
                down.put(
                        client,
                        s.cause() + " for " + Duration.ofNanos(now - s.since()).toSeconds() + " s");
            }
        });
        return down;
    }

    /** Every client's state, by name: {@code ok}, or its trouble and cause. */
    public Map<String, String> describeAll() {
        Map<String, String> all = new TreeMap<>();
        clients.forEach((client, s) -> all.put(client, s.healthy() ? "ok" : s.cause()));
        return all;
    }

    /** Whether any client cannot reach Kafka right now (within the grace period or past it). */
    public boolean unreachable() {
        return clients.values().stream().anyMatch(s -> s.trouble() == Trouble.UNREACHABLE);
    }

    /** REFUSED, UNREACHABLE, or empty for errors that are not about the client's connection or rights. */
    static Optional<Trouble> classify(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof AuthenticationException
                    || t instanceof AuthorizationException
                    || t instanceof UnsupportedSaslMechanismException
                    || t instanceof ConfigException) {
                return Optional.of(Trouble.REFUSED);
            }
        }
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RetriableException || t instanceof java.util.concurrent.TimeoutException) {
                return Optional.of(Trouble.UNREACHABLE);
            }
        }
        return Optional.empty();
    }

    private static Throwable rootKafkaCause(Throwable error) {
        Throwable found = error;
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof AuthenticationException || t instanceof AuthorizationException) {
                return t;
            }
            if (t instanceof KafkaException) {
                found = t;
            }
        }
        return found;
    }

    private static String describe(Trouble kind, Throwable t) {
        String what = switch (kind) {
            case REFUSED ->
                t instanceof AuthenticationException
                        ? "authentication failed"
                        : t instanceof AuthorizationException ? "not authorized" : "refused";
            case UNREACHABLE -> "Kafka unreachable";
            case NONE -> "ok";
        };
        return what + ": " + t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
