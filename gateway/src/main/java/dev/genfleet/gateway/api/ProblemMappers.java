package dev.genfleet.gateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.genfleet.gateway.refusal.Refusal;
import dev.genfleet.gateway.refusal.Refused;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Every error leaves as {@code application/problem+json}. Client mistakes are 4xx; only a fault of the gateway or
 * Kafka is 5xx, and it never echoes internals. The one place that knows how a {@link Refusal} of the domain is
 * answered: its status, problem type, title, headers ({@code Retry-After}, {@code WWW-Authenticate}) and members.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    /** The answer to a refusal of the request at {@code instance} (its path). */
    public static Response response(Refusal refusal, String instance) {
        Answer a = answer(refusal);
        Response.ResponseBuilder builder = Response.status(a.type().status())
                .type(Problem.MEDIA_TYPE)
                .entity(new Problem(
                        a.type().uri(),
                        a.type().title(),
                        a.type().status(),
                        refusal.detail(),
                        instance,
                        a.errors().stream()
                                .map(e -> new Problem.FieldError(e.field(), e.message()))
                                .toList(),
                        a.rule(),
                        a.members()));
        a.headers().forEach(builder::header);
        return builder.build();
    }

    /** What a refusal becomes at the edge. */
    record Answer(
            ProblemType type,
            List<Refusal.FieldError> errors,
            String rule,
            Map<String, String> headers,
            Map<String, Object> members) {

        Answer(ProblemType type) {
            this(type, List.of(), null, Map.of(), Map.of());
        }

        Answer(ProblemType type, List<Refusal.FieldError> errors) {
            this(type, errors, null, Map.of(), Map.of());
        }

        Answer(ProblemType type, Map<String, String> headers) {
            this(type, List.of(), null, headers, Map.of());
        }
    }

    // Java 17 has no pattern switch: one instanceof per kind, and ProblemMappersTest checks that every kind the
    // sealed interface permits has its answer
    static Answer answer(Refusal refusal) {
        if (refusal instanceof Refusal.Malformed m) {
            return new Answer(ProblemType.BAD_REQUEST, m.errors());
        }
        if (refusal instanceof Refusal.Unauthenticated) {
            return new Answer(
                    ProblemType.UNAUTHORIZED, Map.of(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"genfleet\""));
        }
        if (refusal instanceof Refusal.Invalid i) {
            return new Answer(
                    ProblemType.INVALID_REQUEST,
                    i.errors(),
                    null,
                    Map.of(),
                    i.duplicates().isEmpty() ? Map.of() : Map.of("duplicates", duplicates(i.duplicates())));
        }
        if (refusal instanceof Refusal.NotFound) {
            return new Answer(ProblemType.NOT_FOUND);
        }
        if (refusal instanceof Refusal.Conflict c) {
            return new Answer(ProblemType.CONFLICT, retryAfter(c.retryAfter()));
        }
        if (refusal instanceof Refusal.TooLarge) {
            return new Answer(ProblemType.CONTENT_TOO_LARGE);
        }
        if (refusal instanceof Refusal.IdempotencyKeyReused r) {
            return new Answer(ProblemType.IDEMPOTENCY_KEY_REUSED, r.errors());
        }
        if (refusal instanceof Refusal.PolicyRefused p) {
            return new Answer(ProblemType.POLICY_REFUSED, List.of(p.field()), p.rule(), Map.of(), Map.of());
        }
        if (refusal instanceof Refusal.QuotaExceeded q) {
            return new Answer(ProblemType.QUOTA_EXCEEDED, retryAfter(q.retryAfter()));
        }
        if (refusal instanceof Refusal.Unavailable u) {
            return new Answer(ProblemType.UNAVAILABLE, retryAfter(u.retryAfter()));
        }
        if (refusal instanceof Refusal.OutputUnavailable) {
            return new Answer(ProblemType.OUTPUT_UNAVAILABLE);
        }
        if (refusal instanceof Refusal.OfCampaign c) {
            Answer cause = answer(c.cause());
            Map<String, Object> members = new LinkedHashMap<>(cause.members());
            members.put("campaign_id", c.campaignId());
            if (c.accepted() != null) {
                members.put("accepted", c.accepted());
            }
            return new Answer(cause.type(), cause.errors(), cause.rule(), cause.headers(), members);
        }
        throw new IllegalStateException(
                "no answer for the refusal " + refusal.getClass().getName());
    }

    private static Map<String, String> retryAfter(Duration after) {
        return after == null ? Map.of() : Map.of(HttpHeaders.RETRY_AFTER, Long.toString(after.toSeconds()));
    }

    private static List<Map<String, Object>> duplicates(List<Refusal.DuplicateLine> lines) {
        return lines.stream()
                .map(d -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("line", d.line());
                    m.put("custom_id", d.customId());
                    m.put("first_line", d.firstLine());
                    return m;
                })
                .toList();
    }

    /** A problem of the edge itself (no refusal of the domain): a status, its title and a detail. */
    public static Response response(int status, String title, String detail, String instance) {
        return Response.status(status)
                .type(Problem.MEDIA_TYPE)
                .entity(new Problem(
                        ProblemType.uri(status, title, null), title, status, detail, instance, List.of(), null))
                .build();
    }

    @ServerExceptionMapper
    public Response refused(Refused e, UriInfo uri) {
        return response(e.refusal(), uri.getPath());
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
