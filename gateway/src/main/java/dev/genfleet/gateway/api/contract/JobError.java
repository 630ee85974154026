package dev.genfleet.gateway.api.contract;

import dev.genfleet.schemas.Reason;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** Why a job failed or was refused: a stable code to switch on, and a message for people. */
@Schema(name = "JobError", description = "Why the job failed or was refused")
public record JobError(
        @Schema(
                required = true,
                description = "A stable machine code (e.g. POLICY_DENY_TERM, MODEL_ERROR,"
                        + " QUALITY_CHECK_FAILED, CANCELLED_BY_CLIENT)",
                examples = "QUALITY_CHECK_FAILED")
        String code,

        @Schema(
                required = true,
                description = "A human-readable explanation; its wording may change",
                examples = "no candidate passed the checks")
        String message) {

    /** The error of a reason, or null. */
    public static JobError of(Reason reason) {
        return reason == null ? null : new JobError(reason.code(), reason.message());
    }
}
