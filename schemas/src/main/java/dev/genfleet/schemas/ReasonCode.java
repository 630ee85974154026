package dev.genfleet.schemas;

/**
 * The catalogue of {@link Reason#code()} values: one code per cause, whoever writes it, so that a
 * client, a dashboard or an operator can switch on it. New causes are added here first. Readers stay
 * lenient: a record from an older or newer component may carry a code missing here.
 *
 * <p>Aliases: records already in the log keep the code they were written with. Workers before this
 * catalogue wrote {@code CANCELLED} for a tenant's cancel; {@link #find(String)} reads it as {@link
 * #CANCELLED_BY_CLIENT}. No component writes an alias.
 */
public enum ReasonCode {
    // the job's lifecycle
    /** The tenant cancelled the job or its campaign (API or control topic: the same act, one code). */
    CANCELLED_BY_CLIENT("the tenant cancelled the job or its campaign"),
    /** The job's deadline passed before a worker started it. */
    DEADLINE_PASSED("the deadline passed before a worker started the job"),

    // the worker
    /** The model failed on the job (after retries). */
    MODEL_ERROR("the model failed on the job, after its retries"),
    /** The job's input is one the model cannot take (wrong modality, unknown style, size). */
    INVALID_INPUT("the model cannot take this input"),
    /** The pool hosts no model of that name. */
    UNKNOWN_MODEL("no model of that name in this pool"),
    /** The engine returned NaN or an infinity where a number was due (pixel, logit, score). */
    NON_FINITE_OUTPUT("the engine returned a non-finite value"),
    /** A record of the job's outcome would exceed the largest record a worker may write. */
    RESULT_TOO_LARGE("the result exceeds the largest record a worker writes"),
    /** The worker's pipeline (not the model) failed the job; logged with its cause. */
    WORKER_ERROR("the worker's pipeline failed the job"),
    /**
     * No candidate of a checked text job passed its checks (a required string missing, an offer the brief
     * does not state, too many unknown words) and the job asked for {@code quality: strict}.
     */
    QUALITY_CHECK_FAILED("no candidate passed the job's output checks"),

    // records that could not be read (DLQ)
    EMPTY_RECORD("a record without a value"),
    NOT_A_CLOUDEVENT("a record that is not a CloudEvent in Kafka binary mode"),
    UNEXPECTED_TYPE("a CloudEvent of a type this topic does not carry"),
    MALFORMED_DATA("a CloudEvent whose data is not the JSON of its type"),
    INVALID_PAYLOAD("a CloudEvent whose data breaks its schema's rules"),

    // the gateway
    INVALID_RECIPIENT("a campaign recipient that cannot become a job"),
    TEMPLATE_MISSING_VARIABLE("a campaign template names a variable the recipient lacks"),
    QUEUED_QUOTA_EXCEEDED("the tenant's queued-jobs quota is full"),
    POLICY_LENGTH("the content policy: input too long"),
    POLICY_DENY_TERM("the content policy: a denied term"),
    POLICY_DENY_PATTERN("the content policy: a denied pattern"),
    POLICY_PII_EMAIL("the content policy: an e-mail address"),
    POLICY_PII_PHONE("the content policy: a phone number"),
    POLICY_PII_CARD("the content policy: a payment card number"),
    WEBHOOK_DELIVERY_FAILED("a webhook delivery attempt failed");

    private final String meaning;

    ReasonCode(String meaning) {
        this.meaning = meaning;
    }

    /** One line for docs and dashboards. */
    public String meaning() {
        return meaning;
    }

    /** A reason with this code. */
    public Reason reason(String message) {
        return Reason.of(name(), message);
    }

    /** Codes older records carry for a cause that has a catalogued code now: alias → code. */
    public static final java.util.Map<String, ReasonCode> ALIASES = java.util.Map.of("CANCELLED", CANCELLED_BY_CLIENT);

    /** The catalogued code a record's code stands for, through {@link #ALIASES}; empty when unknown. */
    public static java.util.Optional<ReasonCode> find(String code) {
        if (code == null) {
            return java.util.Optional.empty();
        }
        ReasonCode alias = ALIASES.get(code);
        if (alias != null) {
            return java.util.Optional.of(alias);
        }
        for (ReasonCode c : values()) {
            if (c.name().equals(code)) {
                return java.util.Optional.of(c);
            }
        }
        return java.util.Optional.empty();
    }
}
