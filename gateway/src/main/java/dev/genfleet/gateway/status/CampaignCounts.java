package dev.genfleet.gateway.status;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts of one campaign's jobs by bucket (queued, running, succeeded, failed, rejected, cancelled,
 * expired). The view keeps one per campaign and partition; a query sums them.
 */
public record CampaignCounts(String tenant, Map<String, Long> counts) {

    public static final String[] BUCKETS = {"queued", "running", "succeeded", "failed", "rejected", "cancelled",
        "expired"};

    public CampaignCounts {
        counts = counts == null ? Map.of() : Map.copyOf(counts);
    }

    public CampaignCounts plus(String bucket, long delta) {
        Map<String, Long> next = new LinkedHashMap<>(counts);
        next.merge(bucket, delta, Long::sum);
        return new CampaignCounts(tenant, next);
    }

    public long total() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Every bucket present, zeros included, plus {@code total}. */
    public Map<String, Long> withTotal() {
        Map<String, Long> out = new LinkedHashMap<>();
        out.put("total", total());
        for (String b : BUCKETS) {
            out.put(b, counts.getOrDefault(b, 0L));
        }
        return out;
    }

    public boolean finished() {
        return total() > 0 && counts.getOrDefault("queued", 0L) == 0 && counts.getOrDefault("running", 0L) == 0;
    }
}
