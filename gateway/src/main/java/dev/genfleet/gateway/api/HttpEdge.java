package dev.genfleet.gateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The limits of the HTTP edge, checked before Quarkus REST (and before authentication), so that each
 * is answered as {@code application/problem+json} like every other error of the API.
 *
 * <p>Vert.x rejects an over-long request line or header block in its HTTP codec, before any route
 * runs, with a bare 414 or 431 and no hook Quarkus exposes. So the codec's own limits
 * ({@code quarkus.http.limits.max-initial-line-length}, {@code max-header-size}) are set well above
 * the API's, and this route enforces the API's: a request between the two gets a problem; only one
 * beyond the codec's ceiling still gets the codec's bare answer. Likewise a {@code Content-Length}
 * above {@code quarkus.http.limits.max-body-size} is refused here, before the upload-limit handler
 * of Quarkus would answer a bare 413. Per-endpoint body limits (a job's JSON) stay with the
 * resources ({@link JsonBodies#read}).
 */
@ApplicationScoped
public class HttpEdge {

    /** Runs before Quarkus' upload-limit handler and every application route. */
    static final int ORDER = RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1;

    private final int maxUriLength;
    private final int maxHeaderBytes;
    private final long maxBodyBytes;

    public HttpEdge(
            @ConfigProperty(name = "genfleet.gateway.http.max-uri-length", defaultValue = "4096") int maxUriLength,
            @ConfigProperty(name = "genfleet.gateway.http.max-header-bytes", defaultValue = "20480") int maxHeaderBytes,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "10240K")
                    MemorySize maxBodySize) {
        this.maxUriLength = maxUriLength;
        this.maxHeaderBytes = maxHeaderBytes;
        this.maxBodyBytes = maxBodySize.asLongValue();
    }

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(this::check);
    }

    void check(RoutingContext ctx) {
        var request = ctx.request();
        String uri = request.uri();
        if (uri.length() > maxUriLength) {
            // the path itself may be the 100 kB: the problem names neither it nor its prefix
            refuse(ctx, 414, "URI Too Long", "the request URI exceeds " + maxUriLength + " characters", null);
            return;
        }
        long headerBytes = 0;
        for (Map.Entry<String, String> h : request.headers()) {
            headerBytes += h.getKey().length() + h.getValue().length() + 4; // "name: value\r\n"
        }
        if (headerBytes > maxHeaderBytes) {
            refuse(
                    ctx,
                    431,
                    "Request Header Fields Too Large",
                    "the request's header fields exceed " + maxHeaderBytes + " bytes",
                    ctx.normalizedPath());
            return;
        }
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && exceeds(length, maxBodyBytes)) {
            refuse(
                    ctx,
                    413,
                    "Content Too Large",
                    "request body exceeds " + maxBodyBytes + " bytes",
                    ctx.normalizedPath());
            return;
        }
        ctx.next();
    }

    private static boolean exceeds(String contentLength, long max) {
        try {
            return Long.parseLong(contentLength.strip()) > max;
        } catch (NumberFormatException e) {
            return false; // the codec refuses a malformed length itself
        }
    }

    /** Answers and closes: the rest of an over-limit request is not worth reading. */
    private static void refuse(RoutingContext ctx, int status, String title, String detail, String instance) {
        Problem problem =
                new Problem(ProblemType.uri(status, title, null), title, status, detail, instance, null, null);
        String body;
        try {
            body = JsonBodies.mapper().writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        ctx.response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(body)
                .onComplete(done -> ctx.request().connection().close());
    }
}
