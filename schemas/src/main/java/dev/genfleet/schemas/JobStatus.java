package dev.genfleet.schemas;

/** Final outcome carried by a {@link JobResult}. */
public enum JobStatus {
    SUCCEEDED,
    FAILED,
    REJECTED,
    CANCELLED,
    EXPIRED,
    DEAD_LETTERED
}
