package dev.genfleet.schemas;

/** Commands the gateway sends to workers on {@code genfleet.control}. */
public enum ControlAction {
    CANCEL_JOB,
    CANCEL_CAMPAIGN
}
