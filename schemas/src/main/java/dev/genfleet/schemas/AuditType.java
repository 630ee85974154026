package dev.genfleet.schemas;

/** The lifecycle transitions recorded on {@code genfleet.audit}. */
public enum AuditType {
    SUBMITTED,
    REJECTED,
    STARTED,
    SUCCEEDED,
    FAILED,
    RETRIED,
    CANCELLED,
    EXPIRED,
    DEAD_LETTERED,
    WEBHOOK_DELIVERED,
    WEBHOOK_FAILED;

    /** True for the states after which a job changes no more. */
    public boolean isTerminal() {
        return switch (this) {
            case REJECTED, SUCCEEDED, CANCELLED, EXPIRED, DEAD_LETTERED -> true;
            case SUBMITTED, STARTED, FAILED, RETRIED, WEBHOOK_DELIVERED, WEBHOOK_FAILED -> false;
        };
    }
}
