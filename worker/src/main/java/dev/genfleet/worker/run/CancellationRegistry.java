package dev.genfleet.worker.run;

import dev.genfleet.schemas.ControlCommand;
import dev.genfleet.schemas.JobRequest;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Jobs and campaigns cancelled on the control topic, as seen by this worker. Bounded: the oldest
 * entries fall out past {@code capacity} (a cancellation older than that many newer ones concerns
 * jobs long finished). Thread-safe.
 */
public final class CancellationRegistry {

    private final Set<String> cancelled;

    public CancellationRegistry(int capacity) {
        this.cancelled = Collections.synchronizedSet(Collections.newSetFromMap(new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        }));
    }

    public void apply(ControlCommand command) {
        switch (command.action()) {
            case CANCEL_JOB -> cancelled.add(key(command.tenant(), "job", command.jobId()));
            case CANCEL_CAMPAIGN -> cancelled.add(key(command.tenant(), "campaign", command.campaignId()));
        }
    }

    /** True when the job, or its campaign, was cancelled by its own tenant. */
    public boolean isCancelled(JobRequest job) {
        return cancelled.contains(key(job.tenant(), "job", job.jobId()))
                || (job.campaignId() != null && cancelled.contains(key(job.tenant(), "campaign", job.campaignId())));
    }

    private static String key(String tenant, String kind, String id) {
        return tenant + '\u0000' + kind + '\u0000' + id;
    }
}
