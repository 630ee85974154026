package dev.genfleet.gateway.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.genfleet.gateway.GatewayConfig;
import dev.genfleet.gateway.status.CampaignCounts;
import dev.genfleet.gateway.status.JobView;
import dev.genfleet.gateway.status.StatusView;
import dev.genfleet.gateway.status.ViewReach;
import dev.genfleet.schemas.AuditEvent;
import dev.genfleet.schemas.AuditType;
import dev.genfleet.schemas.Decoded;
import dev.genfleet.schemas.EventCodec;
import dev.genfleet.schemas.JobRequest;
import dev.genfleet.schemas.JobResult;
import dev.genfleet.schemas.Json;
import dev.genfleet.schemas.Topics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * From a fact to a delivery: job and campaign resolution (DESIGN.md, "Waiting for the view, never dropping").
 * A terminal fact of a job that named a webhook waits, its offset held, until the local status view shows the
 * job finished, then becomes a {@code job.finished} delivery or, for a campaign job, a watch of its campaign
 * that becomes a {@code campaign.finished} delivery once the campaign is complete. A fact the view has read
 * without finishing the job releases its offset. Message ids already settled (by this replica, or by any, as
 * the audit events and the view tell) or in flight are not sent again.
 */
final class FactResolver {

    static final String JOB_FINISHED = WebhookDispatcher.JOB_FINISHED;
    static final String CAMPAIGN_FINISHED = WebhookDispatcher.CAMPAIGN_FINISHED;
    static final int KNOWN_JOBS = 50_000;

    private static final Logger LOG = Logger.getLogger(FactResolver.class);
    private static final long CAMPAIGN_IDLE_NANOS = 120_000_000_000L;

    private final GatewayConfig.Webhooks config;
    private final Topics topics;
    private final StatusView view;
    private final ViewReach reach;
    /** The job as GET /v1/jobs/{id} shows it (the api package's). */
    private final JobBodies jobBodies;

    private final BooleanSupplier running;
    private final EventCodec codec = EventCodec.forComponent("gateway");
    private final AtomicInteger waitingForView = new AtomicInteger();
    private final AtomicInteger overdueForView = new AtomicInteger();
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final Map<String, Boolean> settled = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > 100_000;
        }
    });
    private final Map<String, CampaignWatch> watches = new ConcurrentHashMap<>();
    /**
     * Whether a job's SUBMITTED (or REJECTED) fact named a webhook, for the jobs whose fact this replica read
     * (consumer thread only; the newest {@value #KNOWN_JOBS}). A terminal fact of a job known to have none
     * is dropped here, without decoding a result or reading the view: most jobs have no webhook, and
     * resolving each of them twice through the view cost 40% of the gateway's CPU in a saturating campaign
     * (JFR). Unknown jobs (read before a restart or a rebalance, or evicted) still go through the view.
     */
    private final Map<String, Boolean> namesWebhook = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > KNOWN_JOBS;
        }
    };

    private ScheduledExecutorService timers;
    private Consumer<Delivery> deliveries;

    FactResolver(
            GatewayConfig.Webhooks config,
            Topics topics,
            StatusView view,
            ViewReach reach,
            JobBodies jobBodies,
            BooleanSupplier running,
            MeterRegistry registry) {
        this.config = config;
        this.topics = topics;
        this.view = view;
        this.reach = reach;
        this.jobBodies = jobBodies;
        this.running = running;
        Gauge.builder("genfleet.webhooks.view.waiting", waitingForView, AtomicInteger::get)
                .description("finished jobs whose webhook waits for this replica's status view to read them")
                .register(registry);
        Gauge.builder("genfleet.webhooks.view.overdue", overdueForView, AtomicInteger::get)
                .description("of those, the ones waiting longer than webhooks.view-wait-ms")
                .register(registry);
    }

    /** Re-checks and campaign checks run on {@code timers}; deliveries go to {@code deliveries}. */
    void start(ScheduledExecutorService timers, Consumer<Delivery> deliveries) {
        this.timers = timers;
        this.deliveries = deliveries;
        timers.scheduleWithFixedDelay(this::checkCampaigns, 250, 250, TimeUnit.MILLISECONDS);
    }

    /** A delivery ended (delivered, or failed for good): its message is not sent again by this replica. */
    void settled(String messageId) {
        settled.put(messageId, Boolean.TRUE);
        inFlight.remove(messageId);
    }

    /** A record this replica owns: remembers what it tells, and starts resolving a terminal fact. */
    void read(ConsumerRecord<String, byte[]> r, TopicPartition tp, HeldOffsets offsets) {
        if (r.value() == null) {
            return;
        }
        if (r.key() != null && Boolean.FALSE.equals(namesWebhook.get(r.key()))) {
            return; // the job has no webhook (its key is its id, the events' subject)
        }
        String jobId;
        if (!r.topic().equals(topics.audit()) && !r.topic().equals(topics.results())) {
            if (codec.decode(r, JobRequest.class) instanceof Decoded.Ok<JobRequest> job) {
                namesWebhook.put(job.payload().jobId(), job.payload().webhookUrl() != null);
            }
            return; // a job record finishes nothing
        }
        if (r.topic().equals(topics.audit())) {
            Decoded<AuditEvent> decoded = codec.decode(r, AuditEvent.class);
            if (!(decoded instanceof Decoded.Ok<AuditEvent> ok)) {
                return;
            }
            AuditEvent a = ok.payload();
            if (a.type() == AuditType.CAMPAIGN_SEALED) {
                // a seal read after every job finished (a retried upload completing it) is the campaign's last fact
                String url = a.details().get("webhook_url");
                if (url != null && a.campaignId() != null) {
                    HeldOffsets.Hold hold = offsets.hold(tp, r.offset());
                    try {
                        timers.execute(() -> sealed(a.campaignId(), a.tenant(), url, tp, r.offset(), hold, 0));
                    } catch (java.util.concurrent.RejectedExecutionException e) {
                        // shutting down: the offset stays uncommitted
                    }
                }
                return;
            }
            if (a.type() == AuditType.SUBMITTED || a.type() == AuditType.REJECTED) {
                boolean named = a.details().get("webhook_url") != null;
                namesWebhook.put(a.jobId(), named);
                if (!named) {
                    return;
                }
            }
            String messageId = a.details().get("webhook_id");
            if (messageId != null
                    && (a.type() == AuditType.WEBHOOK_DELIVERED
                            || (a.type() == AuditType.WEBHOOK_FAILED
                                    && "true".equals(a.details().get("final"))))) {
                settled.put(messageId, Boolean.TRUE);
                return;
            }
            if (!a.type().isTerminal()) {
                return;
            }
            jobId = a.jobId();
        } else {
            Decoded<JobResult> decoded = codec.decode(r, JobResult.class);
            if (!(decoded instanceof Decoded.Ok<JobResult> ok)) {
                return;
            }
            jobId = ok.payload().jobId();
        }
        HeldOffsets.Hold hold = offsets.hold(tp, r.offset());
        Fact fact = new Fact(jobId, tp, r.offset(), hold, System.nanoTime());
        waitingForView.incrementAndGet();
        try {
            timers.execute(() -> resolve(fact, 0));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // shutting down: the offset stays uncommitted
        }
    }

    /**
     * Waits until the view shows the job finished, then delivers or watches its campaign. The view is
     * waited for as long as it has not read the fact (it lags: the delivery is never dropped for that);
     * once it has read the fact and the job is still open, the fact finished nothing (another tenant's
     * claim, or a fact the view's state machine overrules) and its offset is released.
     */
    private void resolve(Fact fact, int checks) {
        if (!running.getAsBoolean()) {
            return; // the offset stays uncommitted: the partition's next owner delivers
        }
        String jobId = fact.jobId();
        HeldOffsets.Hold hold = fact.hold();
        // read the view's position first: if it had read the fact before the job is read, the job reflects it
        boolean viewHasRead = reach.hasRead(fact.tp(), fact.offset());
        JobView v;
        try {
            v = view.job(jobId).orElse(null);
        } catch (RuntimeException e) {
            v = null; // the view is rebuilding
            viewHasRead = false;
        }
        if (v == null || !v.terminal()) {
            if (viewHasRead) {
                LOG.debugf("a terminal fact of job %s did not finish it in the view; no webhook", jobId);
                viewResolved(fact);
                hold.release();
                return;
            }
            long waitedMs = (System.nanoTime() - fact.since()) / 1_000_000L;
            if (waitedMs >= config.viewWaitMs() && !fact.overdue()) {
                fact = fact.markOverdue();
                overdueForView.incrementAndGet();
                LOG.warnf(
                        "the status view has not read a finished job %s after %d ms (it lags); its webhook waits",
                        jobId, waitedMs);
            }
            Fact next = fact;
            long delay = Math.min(1000, 50L << Math.min(checks, 5));
            timers.schedule(() -> resolve(next, checks + 1), delay, TimeUnit.MILLISECONDS);
            return;
        }
        viewResolved(fact);
        String url = v.webhookUrl();
        if (url == null) {
            hold.release();
            return;
        }
        if (v.campaignId() != null) {
            watch(v, url, hold);
            return;
        }
        // the job id, or for a redriven job its id and the deciding attempt: the new outcome is a new message
        String messageId = StandardWebhooks.messageId(JOB_FINISHED, v.outcomeSubject());
        if (settled.containsKey(messageId) || v.webhookSettled(messageId) || !inFlight.add(messageId)) {
            hold.release();
            return;
        }
        // the job as GET /v1/jobs/{id} shows it, plus the tenant
        Map<String, Object> data = jobBodies.of(v);
        data.put("tenant", v.tenant());
        deliveries.accept(
                new Delivery(messageId, JOB_FINISHED, v, url, payload(JOB_FINISHED, v.finishedAt(), data), hold));
    }

    private void viewResolved(Fact fact) {
        waitingForView.decrementAndGet();
        if (fact.overdue()) {
            overdueForView.decrementAndGet();
            LOG.infof(
                    "the status view caught up with job %s after %d ms",
                    fact.jobId(), (System.nanoTime() - fact.since()) / 1_000_000L);
        }
    }

    /** Facts waiting for the view (read by this replica, not yet in its view); for tests and the gauge. */
    int waitingForView() {
        return waitingForView.get();
    }

    /** Of {@link #waitingForView()}, those waiting longer than {@code view-wait-ms}. */
    int overdueForView() {
        return overdueForView.get();
    }

    /** A terminal fact read by the delivery consumer, holding its offset until it is resolved. */
    private record Fact(
            String jobId, TopicPartition tp, long offset, HeldOffsets.Hold hold, long since, boolean overdue) {
        Fact(String jobId, TopicPartition tp, long offset, HeldOffsets.Hold hold, long since) {
            this(jobId, tp, offset, hold, since, false);
        }

        Fact markOverdue() {
            return new Fact(jobId, tp, offset, hold, since, true);
        }
    }

    /** A campaign's seal: once the view has read it, watch the campaign as a finished job would. */
    private void sealed(
            String campaignId,
            String tenant,
            String url,
            TopicPartition tp,
            long offset,
            HeldOffsets.Hold hold,
            int checks) {
        if (!running.getAsBoolean()) {
            return;
        }
        if (!reach.hasRead(tp, offset)) {
            long delay = Math.min(1000, 50L << Math.min(checks, 5));
            timers.schedule(
                    () -> sealed(campaignId, tenant, url, tp, offset, hold, checks + 1), delay, TimeUnit.MILLISECONDS);
            return;
        }
        JobView[] first = {null};
        try {
            view.campaignJobs(campaignId, kv -> {
                if (first[0] == null) {
                    first[0] = view.job(kv.key, tenant).orElse(null);
                }
            });
        } catch (RuntimeException e) {
            timers.schedule(
                    () -> sealed(campaignId, tenant, url, tp, offset, hold, checks + 1), 1000, TimeUnit.MILLISECONDS);
            return;
        }
        if (first[0] == null) {
            hold.release(); // no job to speak for the campaign (no recipients)
            return;
        }
        watch(first[0], url, hold);
    }

    /** A campaign job finished: the campaign may be; {@link #checkCampaigns} decides. */
    private void watch(JobView job, String url, HeldOffsets.Hold hold) {
        watches.compute(job.campaignId(), (id, old) -> {
            if (old != null) {
                old.hold().release(); // the newest fact holds the offset for the campaign
            }
            return new CampaignWatch(job, url, hold, System.nanoTime());
        });
    }

    private void checkCampaigns() {
        for (CampaignWatch w : watches.values()) {
            String campaignId = w.trigger().campaignId();
            try {
                CampaignCounts counts =
                        view.campaign(campaignId, w.trigger().tenant()).orElse(null);
                if (counts != null && counts.complete()) {
                    if (!watches.remove(campaignId, w)) {
                        continue;
                    }
                    String messageId = StandardWebhooks.messageId(CAMPAIGN_FINISHED, campaignId);
                    if (Boolean.TRUE.equals(counts.notified())
                            || settled.containsKey(messageId)
                            || !inFlight.add(messageId)) {
                        w.hold().release();
                        continue;
                    }
                    Map<String, Object> data = new LinkedHashMap<>();
                    data.put("id", campaignId);
                    data.put("tenant", w.trigger().tenant());
                    data.put("status", "FINISHED");
                    data.put("counts", counts.withTotal());
                    data.put(
                            "links",
                            Map.of(
                                    "self",
                                    "/v1/campaigns/" + campaignId,
                                    "results",
                                    "/v1/campaigns/" + campaignId + "/results"));
                    deliveries.accept(new Delivery(
                            messageId,
                            CAMPAIGN_FINISHED,
                            w.trigger(),
                            w.url(),
                            payload(CAMPAIGN_FINISHED, Instant.now(), data),
                            w.hold()));
                } else if (System.nanoTime() - w.since() > CAMPAIGN_IDLE_NANOS && watches.remove(campaignId, w)) {
                    w.hold().release(); // still running; its next finished job watches it again
                }
            } catch (RuntimeException e) {
                LOG.debugf("campaign %s not checked: %s", campaignId, e.getMessage());
            }
        }
    }

    private static byte[] payload(String type, Instant timestamp, Map<String, Object> data) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("timestamp", timestamp == null ? Instant.now() : timestamp);
        body.put("data", data);
        try {
            return Json.mapper().writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private record CampaignWatch(JobView trigger, String url, HeldOffsets.Hold hold, long since) {}
}
