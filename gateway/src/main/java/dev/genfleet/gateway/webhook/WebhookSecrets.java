package dev.genfleet.gateway.webhook;

import dev.genfleet.gateway.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Per-tenant webhook signing secrets. An explicit {@code webhooks.secrets."<tenant>"} wins; otherwise
 * the key is HMAC-SHA256(master secret, "genfleet-webhook-secret\n" + tenant), so every replica and
 * every restart derives the same secret without storing one, and no tenant can compute another's.
 * Rotating the master secret rotates every derived secret.
 */
@ApplicationScoped
public class WebhookSecrets {

    private static final Logger LOG = Logger.getLogger(WebhookSecrets.class);

    private final byte[] master;
    private final Map<String, String> explicit;
    private final Map<String, byte[]> keys = new ConcurrentHashMap<>();

    @Inject
    public WebhookSecrets(GatewayConfig config) {
        this(config.webhooks().masterSecret().orElse(null), config.webhooks().secrets());
    }

    WebhookSecrets(String masterSecret, Map<String, String> explicit) {
        if (masterSecret == null || masterSecret.isBlank()) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            this.master = random;
            LOG.warn("genfleet.gateway.webhooks.master-secret is not set: webhook secrets are random and change at"
                    + " every restart; set it (the same on every replica)");
        } else {
            this.master = masterSecret.getBytes(StandardCharsets.UTF_8);
        }
        explicit.forEach((tenant, secret) -> StandardWebhooks.decodeSecret(secret)); // fail fast on bad base64
        this.explicit = Map.copyOf(explicit);
    }

    /** The tenant's signing key. */
    public byte[] key(String tenant) {
        return keys.computeIfAbsent(tenant, t -> {
                    String configured = explicit.get(t);
                    if (configured != null) {
                        return StandardWebhooks.decodeSecret(configured);
                    }
                    return StandardWebhooks.hmacSha256(
                            master, ("genfleet-webhook-secret\n" + t).getBytes(StandardCharsets.UTF_8));
                })
                .clone();
    }

    /** The tenant's secret as receivers configure it: {@code whsec_<base64>}. */
    public String secret(String tenant) {
        return StandardWebhooks.encodeSecret(key(tenant));
    }
}
