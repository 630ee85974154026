package dev.genfleet.gateway.status;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts of one campaign's jobs by bucket (queued, running, succeeded, failed, rejected, cancelled,
 * expired). The view keeps one per campaign and partition; a query sums them with {@link #merge}.
 *
 * @param expected the campaign's recipient count, known once the view has read the campaign's last
 *        recipient (its audit event carries {@code details.campaign_recipients}); null before
 * @param notified true once a {@code campaign.finished} webhook was recorded as delivered
 */
public record CampaignCounts(String tenant, Map<String, Long> counts, Long expected, Boolean notified) {

    public static final String[] BUCKETS = {"queued", "running", "succeeded", "failed", "rejected", "cancelled",
        "expired"};

    public CampaignCounts {
        counts = counts == null ? Map.of() : Map.copyOf(counts);
    }

    public CampaignCounts(String tenant, Map<String, Long> counts) {
        this(tenant, counts, null, null);
    }

    public CampaignCounts plus(String bucket, long delta) {
        Map<String, Long> next = new LinkedHashMap<>(counts);
        next.merge(bucket, delta, Long::sum);
        return new CampaignCounts(tenant, next, expected, notified);
    }

    public CampaignCounts withExpected(long recipients) {
        return new CampaignCounts(tenant, counts, recipients, notified);
    }

    public CampaignCounts withNotified() {
        return new CampaignCounts(tenant, counts, expected, true);
    }

    /** The sum of two partitions' counts. */
    public CampaignCounts merge(CampaignCounts other) {
        Map<String, Long> next = new LinkedHashMap<>(counts);
        other.counts.forEach((k, v) -> next.merge(k, v, Long::sum));
        Long exp = expected == null ? other.expected : other.expected == null ? expected
                : Long.valueOf(Math.max(expected, other.expected));
        return new CampaignCounts(tenant, next, exp, Boolean.TRUE.equals(notified) || Boolean.TRUE.equals(other.notified)
                ? Boolean.TRUE : null);
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

    /** No job queued or running (and, when the recipient count is known, every recipient seen). */
    public boolean finished() {
        if (expected != null && total() < expected) {
            return false;
        }
        return total() > 0 && counts.getOrDefault("queued", 0L) == 0 && counts.getOrDefault("running", 0L) == 0;
    }

    /** Finished with certainty: the recipient count is known and every recipient reached a final state. */
    public boolean complete() {
        return expected != null && finished();
    }
}
