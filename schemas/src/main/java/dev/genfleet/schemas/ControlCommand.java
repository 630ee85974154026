package dev.genfleet.schemas;

import java.time.Instant;

/** A command to the fleet: cancel a job (jobId set) or a whole campaign (campaignId set). */
public record ControlCommand(
        String commandId,
        ControlAction action,
        String tenant,
        String jobId,
        String campaignId,
        String actor,
        Instant issuedAt,
        String reason)
        implements GenfleetPayload {

    public ControlCommand {
        Checks.required("command_id", commandId);
        Checks.required("action", action);
        Checks.required("tenant", tenant);
        Checks.required("issued_at", issuedAt);
        switch (action) {
            case CANCEL_JOB -> Checks.required("job_id", jobId);
            case CANCEL_CAMPAIGN -> Checks.required("campaign_id", campaignId);
        }
    }

    @Override
    public EventType eventType() {
        return EventType.CONTROL_COMMAND;
    }

    @Override
    public String subject() {
        return action == ControlAction.CANCEL_JOB ? jobId : campaignId;
    }
}
