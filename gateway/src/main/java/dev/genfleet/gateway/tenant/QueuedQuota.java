package dev.genfleet.gateway.tenant;

import dev.genfleet.gateway.GatewayConfig;
import dev.genfleet.gateway.refusal.Refusal;
import dev.genfleet.gateway.refusal.Refused;
import dev.genfleet.gateway.status.CampaignCounts;
import dev.genfleet.gateway.status.StatusView;
import dev.genfleet.schemas.ReasonCode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The queued-jobs quota: at most {@code max-queued} jobs per tenant submitted and not yet finished.
 *
 * <p>The count is the status view's unfinished jobs of the tenant plus what this replica accepted and
 * the view has not read back yet ({@link Ticket reservations}, usually milliseconds old). A single job
 * reserves one slot; a campaign with a known recipient count reserves that many (429 if they do not
 * fit), a streamed campaign reserves the whole remaining budget while it uploads and its recipients
 * beyond the budget are rejected with {@code QUEUED_QUOTA_EXCEEDED}. Check and reservation happen
 * under one per-tenant lock, so concurrent requests on one replica cannot overshoot; across replicas
 * the quota is approximate by the view's lag (milliseconds).
 */
@ApplicationScoped
public class QueuedQuota {

    /** Reason code of a campaign recipient refused because the tenant's quota was full. */
    public static final String QUOTA_CODE = ReasonCode.QUEUED_QUOTA_EXCEEDED.name();

    private static final long RESERVATION_TTL_NANOS = 300_000_000_000L;

    private final TenantSettings settings;
    private final StatusView view;
    private final int retryAfter;
    private final LongSupplier nanoClock;
    private final Map<String, List<Ticket>> books = new ConcurrentHashMap<>();

    @Inject
    public QueuedQuota(TenantSettings settings, StatusView view, GatewayConfig config) {
        this(settings, view, config.limits().queuedRetryAfterSeconds(), System::nanoTime);
    }

    QueuedQuota(TenantSettings settings, StatusView view, int retryAfter, LongSupplier nanoClock) {
        this.settings = settings;
        this.view = view;
        this.retryAfter = retryAfter;
        this.nanoClock = nanoClock;
    }

    /** Admits one job; 429 when the tenant has {@code max-queued} unfinished jobs. */
    public Ticket admitJob(String tenant, String jobId) {
        return admit(tenant, jobId, null, 1L);
    }

    /**
     * Admits a campaign. With {@code recipients} known, all must fit (else 429); without (a stream), at
     * least one must fit and {@link Ticket#budget()} tells how many may be queued.
     */
    public Ticket admitCampaign(String tenant, String campaignId, Long recipients) {
        return admit(tenant, null, campaignId, recipients);
    }

    private Ticket admit(String tenant, String jobId, String campaignId, Long need) {
        long max = settings.maxQueued(tenant);
        if (max <= 0) {
            return Ticket.UNLIMITED;
        }
        List<Ticket> book = books.computeIfAbsent(tenant, t -> new ArrayList<>());
        synchronized (book) {
            long used = view.openJobs(tenant) + pending(tenant, book);
            long budget = max - used;
            if (budget < Math.max(1, need == null ? 1 : need)) {
                throw new Refused(new Refusal.QuotaExceeded(
                        "queued-jobs quota of tenant exceeded: "
                                + used + " of " + max + " jobs are unfinished"
                                + (need != null && need > 1 ? ", this campaign has " + need + " recipients" : "")
                                + "; retry after " + retryAfter
                                + " s",
                        Duration.ofSeconds(retryAfter)));
            }
            Ticket ticket = new Ticket(
                    this, tenant, jobId, campaignId, need == null ? budget : need, budget, nanoClock.getAsLong());
            book.add(ticket);
            return ticket;
        }
    }

    /** Reserved slots the view has not caught up with; drops settled and stale reservations. */
    private long pending(String tenant, List<Ticket> book) {
        long sum = 0;
        long now = nanoClock.getAsLong();
        for (Iterator<Ticket> it = book.iterator(); it.hasNext(); ) {
            Ticket t = it.next();
            long left;
            if (t.jobId != null) {
                left = t.claimed > 0 && !view.inView(t.jobId) ? t.claimed : 0;
            } else {
                long seen = view.campaign(t.campaignId, tenant)
                        .map(CampaignCounts::total)
                        .orElse(0L);
                left = Math.max(0, t.claimed - seen);
            }
            if ((left == 0 && (t.done || t.jobId != null)) || now - t.created > RESERVATION_TTL_NANOS) {
                it.remove();
            } else {
                sum += left;
            }
        }
        return sum;
    }

    private void settle(Ticket ticket, long published) {
        List<Ticket> book = books.get(ticket.tenant);
        if (book == null) {
            return;
        }
        synchronized (book) {
            ticket.claimed = published;
            ticket.done = true;
            if (published == 0) {
                book.remove(ticket);
            }
        }
    }

    /** A reservation in the quota. */
    public static final class Ticket {
        static final Ticket UNLIMITED = new Ticket(null, null, null, null, 0, Long.MAX_VALUE, 0);

        private final QueuedQuota quota;
        private final String tenant;
        private final String jobId;
        private final String campaignId;
        private final long budget;
        private final long created;
        private long claimed;
        private boolean done;

        Ticket(
                QueuedQuota quota,
                String tenant,
                String jobId,
                String campaignId,
                long claimed,
                long budget,
                long created) {
            this.quota = quota;
            this.tenant = tenant;
            this.jobId = jobId;
            this.campaignId = campaignId;
            this.claimed = claimed;
            this.budget = budget;
            this.created = created;
        }

        /** How many jobs may be queued under this ticket. */
        public long budget() {
            return budget;
        }

        /** Nothing was queued (Kafka refused, policy rejected): frees the reservation. */
        public void release() {
            settled(0);
        }

        /**
         * The upload ended after publishing {@code records} recipients (queued and rejected alike, as the
         * view counts them); the reservation lasts until the view has read them.
         */
        public void settled(long records) {
            if (quota != null) {
                quota.settle(this, records);
            }
        }
    }
}
