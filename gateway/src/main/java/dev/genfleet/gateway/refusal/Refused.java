package dev.genfleet.gateway.refusal;

/**
 * Thrown by the domain to refuse a request; the {@link Refusal} says why, the {@code api} package how to answer.
 * It carries no stack trace: a refusal is an answer, not a fault.
 */
public final class Refused extends RuntimeException {

    private final transient Refusal refusal;

    public Refused(Refusal refusal) {
        super(refusal.detail(), null, false, false);
        this.refusal = refusal;
    }

    public Refusal refusal() {
        return refusal;
    }

    /** Refuses with fields that fail validation. */
    public static Refused invalid(java.util.List<Refusal.FieldError> errors) {
        return new Refused(Refusal.invalid(errors));
    }

    /** Refuses one field that fails validation. */
    public static Refused invalid(String field, String message) {
        return new Refused(Refusal.invalid(field, message));
    }

    public static Refused notFound(String detail) {
        return new Refused(new Refusal.NotFound(detail));
    }

    public static Refused conflict(String detail) {
        return new Refused(new Refusal.Conflict(detail));
    }

    public static Refused malformed(String detail) {
        return new Refused(new Refusal.Malformed(detail));
    }

    /** Kafka or the view cannot answer now; retry in a second. */
    public static Refused unavailable(String detail) {
        return new Refused(new Refusal.Unavailable(detail));
    }
}
