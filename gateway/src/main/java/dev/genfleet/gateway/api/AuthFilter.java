package dev.genfleet.gateway.api;

import dev.genfleet.gateway.refusal.Refusal;
import dev.genfleet.gateway.tenant.ApiKeys;
import dev.genfleet.gateway.tenant.CurrentTenant;
import dev.genfleet.gateway.tenant.TenantSettings;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every {@code /v1} call needs {@code Authorization: Bearer <key>} (401 otherwise, before routing, so
 * unknown paths leak nothing), then passes the tenant's request-rate quota (429 with Retry-After).
 */
public class AuthFilter {

    private final ApiKeys keys;
    private final CurrentTenant current;
    private final TenantSettings settings;

    @Inject
    public AuthFilter(ApiKeys keys, CurrentTenant current, TenantSettings settings) {
        this.keys = keys;
        this.current = current;
        this.settings = settings;
    }

    @ServerRequestFilter(preMatching = true)
    public Response authenticate(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!(path.equals("/v1") || path.startsWith("/v1/"))) {
            return null;
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return unauthorized(path, "missing credential: send 'Authorization: Bearer <api key>'");
        }
        var tenant = keys.tenantOf(header.substring(7).strip());
        if (tenant.isEmpty()) {
            return unauthorized(path, "the API key is not valid");
        }
        current.set(tenant.get());
        long wait = settings.limiter(tenant.get()).acquire(tenant.get());
        if (wait > 0) {
            return ProblemMappers.response(
                    new Refusal.QuotaExceeded(
                            "request rate quota of tenant exceeded; retry after " + wait + " s",
                            Duration.ofSeconds(wait)),
                    path);
        }
        return null;
    }

    private static Response unauthorized(String path, String detail) {
        return ProblemMappers.response(new Refusal.Unauthenticated(detail), path);
    }
}
