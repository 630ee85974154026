package dev.genfleet.gateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every error leaves as {@code application/problem+json}. Client mistakes are 4xx; only a fault of
 * the gateway or Kafka is 5xx, and it never echoes internals.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    public static Response response(ProblemException e, String instance) {
        Response.ResponseBuilder builder = Response.status(e.status())
                .type(Problem.MEDIA_TYPE)
                .entity(new Problem(
                        ProblemType.uri(e.status(), e.title(), e.rule()),
                        e.title(),
                        e.status(),
                        e.getMessage(),
                        instance,
                        e.errors(),
                        e.rule(),
                        e.extensions()));
        e.headers().forEach(builder::header);
        return builder.build();
    }

    public static Response response(int status, String title, String detail, String instance) {
        return response(new ProblemException(status, title, detail, List.of(), null, null), instance);
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return response(e, uri.getPath());
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        String title = e.getResponse().getStatusInfo().getReasonPhrase();
        String detail = switch (status) {
            case 404 -> "no such resource: " + uri.getPath();
            case 405 -> "method not allowed on " + uri.getPath();
            case 406 -> "cannot produce a representation the Accept header allows";
            case 415 -> "unsupported Content-Type for " + uri.getPath();
            default -> e.getMessage() == null ? title : e.getMessage();
        };
        Response problem = response(status, title == null ? "Error" : title, detail, uri.getPath());
        // what the client needs to retry right: the methods a 405 allows, a Retry-After of a 503. Quarkus REST's
        // 405 names no methods, so the resources' own declarations do (AllowedMethods)
        String allow = e.getResponse().getHeaderString(HttpHeaders.ALLOW);
        if (allow == null && status == 405) {
            allow = AllowedMethods.api().allow(uri.getPath());
        }
        String retryAfter = e.getResponse().getHeaderString(HttpHeaders.RETRY_AFTER);
        if (allow == null && retryAfter == null) {
            return problem;
        }
        Response.ResponseBuilder builder = Response.fromResponse(problem);
        if (allow != null) {
            builder.header(HttpHeaders.ALLOW, allow);
        }
        if (retryAfter != null) {
            builder.header(HttpHeaders.RETRY_AFTER, retryAfter);
        }
        return builder.build();
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e, UriInfo uri) {
        return response(400, "Bad Request", "malformed JSON: " + e.getOriginalMessage(), uri.getPath());
    }

    @ServerExceptionMapper
    public Response any(Exception e, UriInfo uri) {
        LOG.errorf(e, "unexpected failure on %s", uri.getPath());
        return response(
                500, "Internal Server Error", "the gateway failed to handle the request; it was logged", uri.getPath());
    }
}
