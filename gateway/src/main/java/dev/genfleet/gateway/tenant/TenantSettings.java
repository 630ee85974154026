package dev.genfleet.gateway.tenant;

import dev.genfleet.gateway.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;

/**
 * The limits that apply to one tenant: the global {@code limits.*} and {@code webhooks-allow-private},
 * overridden per tenant by {@code tenants."<id>".*}.
 */
@ApplicationScoped
public class TenantSettings {

    private final GatewayConfig config;
    private final RateLimiter defaultLimiter;
    private final Map<String, RateLimiter> limiters = new HashMap<>();

    public TenantSettings(GatewayConfig config) {
        this.config = config;
        this.defaultLimiter = new RateLimiter(
                config.limits().requestsPerSecond(), config.limits().burst(), System::nanoTime);
        config.tenants().forEach((tenant, o) -> {
            if (o.requestsPerSecond().isPresent() || o.burst().isPresent()) {
                limiters.put(
                        tenant,
                        new RateLimiter(
                                o.requestsPerSecond().orElse(config.limits().requestsPerSecond()),
                                o.burst().orElse(config.limits().burst()),
                                System::nanoTime));
            }
        });
    }

    /** The request-rate token bucket the tenant draws from. */
    public RateLimiter limiter(String tenant) {
        return limiters.getOrDefault(tenant, defaultLimiter);
    }

    /** Most unfinished jobs the tenant may have; 0 = unlimited. */
    public long maxQueued(String tenant) {
        GatewayConfig.TenantOverrides o = config.tenants().get(tenant);
        return o != null && o.maxQueued().isPresent()
                ? o.maxQueued().get()
                : config.limits().maxQueued();
    }

    /** Whether the tenant's webhooks may point at loopback or private addresses. */
    public boolean allowPrivateWebhooks(String tenant) {
        GatewayConfig.TenantOverrides o = config.tenants().get(tenant);
        return o != null && o.webhooksAllowPrivate().isPresent()
                ? o.webhooksAllowPrivate().get()
                : config.webhooksAllowPrivate();
    }
}
