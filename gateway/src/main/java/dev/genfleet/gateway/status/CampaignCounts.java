package dev.genfleet.gateway.status;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts of one campaign's jobs by bucket (queued, running, succeeded, failed, rejected, cancelled,
 * expired). The view keeps one per campaign and partition; a query sums them with {@link #merge}.
 *
 * @param expected the campaign's recipient count: from its seal ({@code CAMPAIGN_SEALED}), or, for a
 *        campaign uploaded before seals existed, from its last recipient's {@code details.campaign_recipients};
 *        null before
 * @param notified true once a {@code campaign.finished} webhook was recorded as delivered
 * @param upload the upload's state from the campaign's own audit events (one partition holds them all: their
 *        key is the campaign id); null for a campaign uploaded before seals existed
 */
public record CampaignCounts(String tenant, Map<String, Long> counts, Long expected, Boolean notified, Upload upload) {

    /** An upload in progress (its lease renewed while it streams). */
    public static final String UPLOADING = "UPLOADING";
    /** The whole body was read and published; {@code recipients} is final. */
    public static final String SEALED = "SEALED";
    /** The upload ended without a seal; {@code accepted} recipients were published. A retry may resume it. */
    public static final String INCOMPLETE = "INCOMPLETE";

    /**
     * The upload protocol's state, folded in log order from {@code CAMPAIGN_OPENED}, {@code _SEALED},
     * {@code _INCOMPLETE}: the first seal is final; an INCOMPLETE counts only against the opening it names.
     */
    public record Upload(
            String state,
            String name,
            String headerSha256,
            String digest,
            Long recipients,
            Long accepted,
            Long queued,
            Long rejected,
            String openedEventId,
            Long leaseMs,
            String webhookUrl) {

        public boolean sealed() {
            return SEALED.equals(state);
        }
    }

    public CampaignCounts(String tenant, Map<String, Long> counts, Long expected, Boolean notified) {
        this(tenant, counts, expected, notified, null);
    }

    public static final String[] BUCKETS = {
        "queued", "running", "succeeded", "failed", "rejected", "cancelled", "expired"
    };

    public CampaignCounts {
        counts = counts == null ? Map.of() : Map.copyOf(counts);
    }

    public CampaignCounts(String tenant, Map<String, Long> counts) {
        this(tenant, counts, null, null);
    }

    public CampaignCounts plus(String bucket, long delta) {
        Map<String, Long> next = new LinkedHashMap<>(counts);
        next.merge(bucket, delta, Long::sum);
        return new CampaignCounts(tenant, next, expected, notified, upload);
    }

    public CampaignCounts withExpected(long recipients) {
        return new CampaignCounts(tenant, counts, recipients, notified, upload);
    }

    public CampaignCounts withNotified() {
        return new CampaignCounts(tenant, counts, expected, true, upload);
    }

    public CampaignCounts withUpload(Upload next) {
        return new CampaignCounts(
                tenant, counts, next != null && next.sealed() ? next.recipients() : expected, notified, next);
    }

    /** The sum of two partitions' counts. */
    public CampaignCounts merge(CampaignCounts other) {
        Map<String, Long> next = new LinkedHashMap<>(counts);
        other.counts.forEach((k, v) -> next.merge(k, v, Long::sum));
        Long exp = expected == null
                ? other.expected
                : other.expected == null ? expected : Long.valueOf(Math.max(expected, other.expected));
        return new CampaignCounts(
                tenant,
                next,
                exp,
                Boolean.TRUE.equals(notified) || Boolean.TRUE.equals(other.notified) ? Boolean.TRUE : null,
                upload != null ? upload : other.upload);
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

    /**
     * No job queued or running, and every recipient seen. A campaign with an upload state is finished only once
     * sealed (its recipient count final); one from before seals by its last recipient's count when known.
     */
    public boolean finished() {
        if (upload != null && !upload.sealed()) {
            return false;
        }
        if (expected != null && total() < expected) {
            return false;
        }
        boolean idle = counts.getOrDefault("queued", 0L) == 0 && counts.getOrDefault("running", 0L) == 0;
        return idle && (total() > 0 || (upload != null && expected != null));
    }

    /** What {@code GET /v1/campaigns/{id}} shows: UPLOADING, INCOMPLETE, RUNNING or FINISHED. */
    public String status() {
        if (upload != null && !upload.sealed()) {
            return upload.state();
        }
        return finished() ? "FINISHED" : "RUNNING";
    }

    /** Finished with certainty: the recipient count is known and every recipient reached a final state. */
    public boolean complete() {
        return expected != null && finished();
    }
}
