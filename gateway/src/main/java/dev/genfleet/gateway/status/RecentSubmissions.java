package dev.genfleet.gateway.status;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Jobs this replica accepted lately, for read-your-writes until the view has read them back from
 * Kafka (usually milliseconds). Bounded LRU; never the source of truth.
 */
@ApplicationScoped
public class RecentSubmissions {

    private static final int CAPACITY = 10_000;

    private final Map<String, JobView> jobs = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, JobView> eldest) {
            return size() > CAPACITY;
        }
    };

    public synchronized void put(JobView view) {
        jobs.put(view.jobId(), view);
    }

    public synchronized Optional<JobView> get(String jobId) {
        return Optional.ofNullable(jobs.get(jobId));
    }
}
