package dev.genfleet.schemas;

/**
 * The lifecycle transitions recorded on {@code genfleet.audit}: a job's, and a campaign upload's
 * ({@code CAMPAIGN_*}, job id = key = the campaign id; they never describe a job).
 */
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
    /**
     * An operator re-submitted a dead-lettered job ({@code DeadLetters redrive}): its request went to its jobs
     * topic again with {@code attempt} = this event's attempt, one more than the dead-lettered one; details name
     * the dead letter. It reopens the job; the worker decides the new attempt's outcome.
     */
    REDRIVEN,
    WEBHOOK_DELIVERED,
    WEBHOOK_FAILED,
    /** A campaign upload began or was resumed (also renews its lease while it streams). */
    CAMPAIGN_OPENED,
    /** The whole upload was read and published: details carry the final recipient count and digest. */
    CAMPAIGN_SEALED,
    /** The upload ended without a seal (client gone, gateway died, refused lines): details carry the accepted count. */
    CAMPAIGN_INCOMPLETE;

    /** True for the states after which a job changes no more (never a campaign event). */
    public boolean isTerminal() {
        return switch (this) {
            case REJECTED, SUCCEEDED, CANCELLED, EXPIRED, DEAD_LETTERED -> true;
            case SUBMITTED,
                    STARTED,
                    FAILED,
                    RETRIED,
                    REDRIVEN,
                    WEBHOOK_DELIVERED,
                    WEBHOOK_FAILED,
                    CAMPAIGN_OPENED,
                    CAMPAIGN_SEALED,
                    CAMPAIGN_INCOMPLETE -> false;
        };
    }
}
