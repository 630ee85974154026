package dev.genfleet.gateway.status;

import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The campaign uploads this replica's view shows as UPLOADING, with the local time at which the view read
 * their latest {@code CAMPAIGN_OPENED} (the lease renewal). Only this replica's monotonic clock is used: a
 * lease has expired when the view has read no renewal for {@code lease-ms} of local time, so no two hosts'
 * clocks are ever compared. A replica that starts (re)reads every open upload and so waits one full lease
 * before it marks any of them INCOMPLETE.
 */
@Singleton
public class CampaignLeases {

    /** An open upload as last read: its opening event and when (local nanos) it was read. */
    public record Open(String campaignId, String tenant, String openedEventId, long leaseMs, long readAtNanos) {}

    /** A campaign is its id and its tenant: another tenant's events naming the same id never touch its lease. */
    private record Key(String campaignId, String tenant) {}

    private final Map<Key, Open> open = new ConcurrentHashMap<>();
    private final LongSupplier nanoClock;

    public CampaignLeases() {
        this(System::nanoTime);
    }

    CampaignLeases(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /** Called by the view after folding a campaign event into the upload state. */
    void observed(String campaignId, String tenant, CampaignCounts.Upload upload) {
        if (upload != null && CampaignCounts.UPLOADING.equals(upload.state())) {
            long lease = upload.leaseMs() == null ? 30_000 : upload.leaseMs();
            open.put(
                    new Key(campaignId, tenant),
                    new Open(campaignId, tenant, upload.openedEventId(), lease, nanoClock.getAsLong()));
        } else {
            open.remove(new Key(campaignId, tenant));
        }
    }

    /** Uploads whose lease ran out on this replica's clock. */
    public List<Open> expired() {
        long now = nanoClock.getAsLong();
        List<Open> out = new ArrayList<>();
        for (Open o : open.values()) {
            if (now - o.readAtNanos() > o.leaseMs() * 1_000_000L) {
                out.add(o);
            }
        }
        return out;
    }

    /** Forgets an upload this replica has just marked INCOMPLETE (the view will read the mark). */
    public void forget(Open o) {
        open.remove(new Key(o.campaignId(), o.tenant()), o);
    }
}
