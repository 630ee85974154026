package dev.genfleet.gateway.api;

import java.util.List;
import java.util.Map;

/** A refusal that the edge turns into a problem+json response. Carries no stack trace. */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String title;
    private final List<Problem.FieldError> errors;
    private final String rule;
    private final Map<String, String> headers;
    private final Map<String, Object> extensions;

    public ProblemException(
            int status,
            String title,
            String detail,
            List<Problem.FieldError> errors,
            String rule,
            Map<String, String> headers) {
        this(status, title, detail, errors, rule, headers, Map.of());
    }

    public ProblemException(
            int status,
            String title,
            String detail,
            List<Problem.FieldError> errors,
            String rule,
            Map<String, String> headers,
            Map<String, Object> extensions) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
        this.rule = rule;
        this.headers = headers == null ? Map.of() : Map.copyOf(headers);
        this.extensions = extensions == null ? Map.of() : new java.util.LinkedHashMap<>(extensions);
    }

    /** The same problem with more members (RFC 9457 extensions), e.g. the campaign an upload error concerns. */
    public ProblemException with(Map<String, Object> more, String detailSuffix) {
        Map<String, Object> all = new java.util.LinkedHashMap<>(extensions);
        all.putAll(more);
        return new ProblemException(
                status, title, getMessage() + (detailSuffix == null ? "" : detailSuffix), errors, rule, headers, all);
    }

    public Map<String, Object> extensions() {
        return extensions;
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(400, "Bad Request", detail, null, null, null);
    }

    public static ProblemException invalid(List<Problem.FieldError> errors) {
        String detail = errors.size() == 1
                ? errors.get(0).field() + ": " + errors.get(0).message()
                : errors.size() + " fields are invalid: "
                        + String.join(
                                ", ",
                                errors.stream().map(Problem.FieldError::field).toList());
        return new ProblemException(422, "Invalid request", detail, errors, null, null);
    }

    public static ProblemException invalid(String field, String message) {
        return invalid(List.of(new Problem.FieldError(field, message)));
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(404, "Not Found", detail, null, null, null);
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(409, "Conflict", detail, null, null, null);
    }

    public static ProblemException tooLarge(String detail) {
        return new ProblemException(413, "Content Too Large", detail, null, null, null);
    }

    public static ProblemException unavailable(String detail) {
        return new ProblemException(503, "Service Unavailable", detail, null, null, Map.of("Retry-After", "1"));
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }

    public String rule() {
        return rule;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
