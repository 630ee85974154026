package dev.genfleet.gateway.api;

/**
 * The kinds of problem the API answers, each with a stable {@code type} URI (RFC 9457 §3.1.1) that a client may
 * switch on: the URI names the kind, the {@code status} and {@code title} come with it, and the {@code detail}
 * varies. The list is in gateway/README.md ("Errors"); a kind keeps its URI for as long as the API exists.
 *
 * <p>A problem's kind follows from its status, except where one status holds several kinds: 422 is a refusal by
 * the content policy (it names a {@code rule}), a reused Idempotency-Key (its title says so) or else an invalid
 * request. A status no kind names (none of the API's own answers has one) keeps {@code about:blank}, which RFC 9457
 * defines as "nothing beyond the status".
 */
public enum ProblemType {
    BAD_REQUEST("bad-request", 400, "Bad Request"),
    UNAUTHORIZED("unauthorized", 401, "Unauthorized"),
    NOT_FOUND("not-found", 404, "Not Found"),
    METHOD_NOT_ALLOWED("method-not-allowed", 405, "Method Not Allowed"),
    NOT_ACCEPTABLE("not-acceptable", 406, "Not Acceptable"),
    CONFLICT("conflict", 409, "Conflict"),
    CONTENT_TOO_LARGE("content-too-large", 413, "Content Too Large"),
    URI_TOO_LONG("uri-too-long", 414, "URI Too Long"),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415, "Unsupported Media Type"),
    INVALID_REQUEST("invalid-request", 422, "Invalid request"),
    IDEMPOTENCY_KEY_REUSED("idempotency-key-reused", 422, "Idempotency-Key reused"),
    POLICY_REFUSED("policy-refused", 422, "Refused by content policy"),
    QUOTA_EXCEEDED("quota-exceeded", 429, "Too Many Requests"),
    HEADER_FIELDS_TOO_LARGE("header-fields-too-large", 431, "Request Header Fields Too Large"),
    INTERNAL_ERROR("internal-error", 500, "Internal Server Error"),
    OUTPUT_UNAVAILABLE("output-unavailable", 502, "Output Unavailable"),
    UNAVAILABLE("unavailable", 503, "Service Unavailable");

    /** Where every kind's URI starts. */
    public static final String BASE = "https://genfleet.dev/problems/";

    /** The type of a problem of no listed kind: RFC 9457's "the status says it all". */
    public static final String UNTYPED = "about:blank";

    private final String slug;
    private final int status;
    private final String title;

    ProblemType(String slug, int status, String title) {
        this.slug = slug;
        this.status = status;
        this.title = title;
    }

    /** The stable {@code type} URI of this kind. */
    public String uri() {
        return BASE + slug;
    }

    public int status() {
        return status;
    }

    /** The {@code title} problems of this kind carry. */
    public String title() {
        return title;
    }

    /** The kind of a problem with this status, title and policy rule (null: none). */
    public static ProblemType of(int status, String title, String rule) {
        if (status == 422) {
            if (rule != null) {
                return POLICY_REFUSED;
            }
            return IDEMPOTENCY_KEY_REUSED.title.equals(title) ? IDEMPOTENCY_KEY_REUSED : INVALID_REQUEST;
        }
        for (ProblemType t : values()) {
            if (t.status == status) {
                return t;
            }
        }
        return null;
    }

    /** The {@code type} URI of a problem with this status, title and rule: its kind's, else {@link #UNTYPED}. */
    public static String uri(int status, String title, String rule) {
        ProblemType t = of(status, title, rule);
        return t == null ? UNTYPED : t.uri();
    }
}
