package dev.genfleet.gateway.tenant;

import dev.genfleet.gateway.api.ProblemException;
import dev.genfleet.gateway.api.ProblemMappers;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.Map;
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
                    new ProblemException(
                            429,
                            "Too Many Requests",
                            "request rate quota of tenant exceeded; retry after " + wait + " s",
                            null,
                            null,
                            Map.of("Retry-After", Long.toString(wait))),
                    path);
        }
        return null;
    }

    private static Response unauthorized(String path, String detail) {
        return ProblemMappers.response(
                new ProblemException(
                        401,
                        "Unauthorized",
                        detail,
                        null,
                        null,
                        Map.of(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"genfleet\"")),
                path);
    }
}
