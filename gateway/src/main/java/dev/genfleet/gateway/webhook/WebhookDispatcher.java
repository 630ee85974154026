package dev.genfleet.gateway.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.genfleet.gateway.GatewayConfig;
import dev.genfleet.gateway.kafka.KafkaClients;
import dev.genfleet.gateway.kafka.KafkaHealth;
import dev.genfleet.gateway.status.CampaignCounts;
import dev.genfleet.gateway.status.JobView;
import dev.genfleet.gateway.status.StatusView;
import dev.genfleet.gateway.status.ViewReach;
import dev.genfleet.gateway.status.ViewTopology;
import dev.genfleet.gateway.submit.EventPublisher;
import dev.genfleet.gateway.tenant.TenantSettings;
import dev.genfleet.schemas.AuditEvent;
import dev.genfleet.schemas.AuditType;
import dev.genfleet.schemas.Decoded;
import dev.genfleet.schemas.EventCodec;
import dev.genfleet.schemas.JobRequest;
import dev.genfleet.schemas.JobResult;
import dev.genfleet.schemas.Json;
import dev.genfleet.schemas.Reason;
import dev.genfleet.schemas.ReasonCode;
import dev.genfleet.schemas.Topics;
import dev.genfleet.schemas.TraceContext;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Delivers {@code job.finished} and {@code campaign.finished} webhooks, signed per Standard Webhooks,
 * retried with exponential backoff, every attempt audited (see DESIGN.md in this package).
 *
 * <p>Who delivers: the replica that owns the job's partition in the consumer group
 * {@code webhooks.group-id} over {@code genfleet.audit} + {@code genfleet.results} (co-partitioned,
 * so one owner sees every fact of a job). A terminal fact read there becomes a delivery once the local
 * status view shows the job finished. Offsets are committed only past records whose delivery has
 * settled, so a replica that dies mid-retry leaves the message to the next owner (at least once; the
 * message id is derived from the job id, so a repeat carries the same {@code webhook-id}).
 *
 * <p>Only committed records are read ({@code isolation.level=read_committed}). A fact the view has not read
 * yet waits for it however long it lags ({@link ViewReach}: folded since start, or committed before a restart
 * from own state); it is released only once the view has read the fact and the fact did not finish the job. Attempts run asynchronously under one deadline that
 * includes the response body, in a queue per receiver (tenant + origin) with bounded concurrency.
 */
@ApplicationScoped
public class WebhookDispatcher {

    public static final String JOB_FINISHED = "job.finished";
    public static final String CAMPAIGN_FINISHED = ViewTopology.CAMPAIGN_FINISHED;

    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);
    private static final long CAMPAIGN_IDLE_NANOS = 120_000_000_000L;

    private final MeterRegistry registry;
    private final GatewayConfig.Webhooks config;
    /** This consumer's name in readiness and its {@code client.id} suffix. */
    static final String CLIENT = "webhook-consumer";

    private static final long RETRY_MS = 5000;
    private final KafkaClients kafka;
    private final KafkaHealth health;
    private final Topics topics;
    private final StatusView view;
    private final EventPublisher publisher;
    private final WebhookSecrets secrets;
    private final TenantSettings settings;
    private final ViewReach reach;
    private final Lanes lanes;
    private final AtomicInteger waitingForView = new AtomicInteger();
    private final AtomicInteger overdueForView = new AtomicInteger();
    private final EventCodec codec = EventCodec.forComponent("gateway");
    private final Offsets offsets = new Offsets();
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

    /** The job as GET /v1/jobs/{id} shows it (the api package's). */
    @Inject
    JobBodies jobBodies;

    private final Map<String, Boolean> settled =
            java.util.Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, false) {
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

    static final int KNOWN_JOBS = 50_000;
    private HttpClient http;
    private ScheduledExecutorService scheduler;
    /** Address checks (DNS) and audit publishing: the blocking parts of a delivery, off the timer threads. */
    private ExecutorService blocking;

    private volatile boolean running;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    public WebhookDispatcher(
            GatewayConfig config,
            KafkaClients kafka,
            KafkaHealth health,
            StatusView view,
            EventPublisher publisher,
            WebhookSecrets secrets,
            TenantSettings settings,
            ViewReach reach,
            MeterRegistry registry) {
        this.config = config.webhooks();
        this.reach = reach;
        this.lanes = new Lanes(Math.max(1, this.config.concurrencyPerEndpoint()));
        Gauge.builder("genfleet.webhooks.view.waiting", waitingForView, AtomicInteger::get)
                .description("finished jobs whose webhook waits for this replica's status view to read them")
                .register(registry);
        Gauge.builder("genfleet.webhooks.view.overdue", overdueForView, AtomicInteger::get)
                .description("of those, the ones waiting longer than webhooks.view-wait-ms")
                .register(registry);
        this.registry = registry;
        this.kafka = kafka;
        this.health = health;
        this.topics = config.toTopics();
        this.view = view;
        this.publisher = publisher;
        this.secrets = secrets;
        this.settings = settings;
    }

    void onStart(@Observes @jakarta.annotation.Priority(10) StartupEvent event) {
        if (!config.enabled()) {
            LOG.info("webhook delivery is off on this replica (genfleet.gateway.webhooks.enabled=false)");
            return;
        }
        http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofMillis(config.timeoutMs()))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        scheduler = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "genfleet-webhook-timer");
            t.setDaemon(true);
            return t;
        });
        blocking = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "genfleet-webhook-io");
            t.setDaemon(true);
            return t;
        });
        running = true;
        scheduler.scheduleWithFixedDelay(this::checkCampaigns, 250, 250, TimeUnit.MILLISECONDS);
        thread = new Thread(this::consume, "genfleet-webhook-consumer");
        thread.setDaemon(true);
        thread.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        if (!running) {
            return;
        }
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        scheduler.shutdownNow();
        blocking.shutdownNow();
    }

    // ---- the consumer: ownership and offsets -------------------------------------------------------

    /**
     * Runs the delivery consumer until shutdown. A consumer that Kafka refuses (credentials, ACLs) or that
     * fails otherwise is reported to {@link KafkaHealth} (readiness names it) and built again after a pause,
     * so a fixed ACL or a rotated secret heals without a restart.
     */
    private void consume() {
        while (running) {
            try {
                consumeOnce();
            } catch (WakeupException e) {
                return; // shutting down
            } catch (RuntimeException e) {
                health.failed(CLIENT, e);
                LOG.errorf("webhook consumer failed, retrying in %d ms: %s", RETRY_MS, e);
                java.util.concurrent.locks.LockSupport.parkNanos(RETRY_MS * 1_000_000L);
            }
        }
    }

    private void consumeOnce() {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // an aborted transaction's result or audit event must never become a delivery
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
        // range assignment gives one member the same partition number of both co-partitioned topics
        props.put(
                ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                org.apache.kafka.clients.consumer.RangeAssignor.class.getName());
        try (KafkaConsumer<String, byte[]> c =
                kafka.consumer(CLIENT, props, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer = c;
            // the jobs topics too: a job record (the SUBMITTED fact) says whether the job named a webhook
            java.util.regex.Pattern facts =
                    java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(topics.audit()) + "|"
                            + java.util.regex.Pattern.quote(topics.results()) + "|"
                            + ViewTopology.jobsTopics(topics).pattern());
            c.subscribe(facts, new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    commit(c, partitions, true);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    LOG.debugf("webhook delivery owns %s", partitions);
                }
            });
            long lastCommit = System.nanoTime();
            while (running) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    offsets.seen(tp, r.offset());
                    handle(r, tp);
                }
                health.ok(CLIENT);
                if (System.nanoTime() - lastCommit > 1_000_000_000L) {
                    commit(c, c.assignment(), false);
                    lastCommit = System.nanoTime();
                }
            }
            commit(c, c.assignment(), true);
        } finally {
            consumer = null;
        }
    }

    private void commit(KafkaConsumer<String, byte[]> c, Collection<TopicPartition> partitions, boolean sync) {
        Map<TopicPartition, OffsetAndMetadata> safe = offsets.committable(partitions);
        if (safe.isEmpty()) {
            return;
        }
        try {
            if (sync) {
                c.commitSync(safe, Duration.ofSeconds(5));
            } else {
                c.commitAsync(safe, null);
            }
        } catch (RuntimeException e) {
            LOG.debugf("webhook offsets not committed: %s", e.getMessage());
        }
    }

    private void handle(ConsumerRecord<String, byte[]> r, TopicPartition tp) {
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
                    Hold hold = offsets.hold(tp, r.offset());
                    try {
                        scheduler.execute(() -> sealed(a.campaignId(), a.tenant(), url, tp, r.offset(), hold, 0));
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
        Hold hold = offsets.hold(tp, r.offset());
        Fact fact = new Fact(jobId, tp, r.offset(), hold, System.nanoTime());
        waitingForView.incrementAndGet();
        try {
            scheduler.execute(() -> resolve(fact, 0));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // shutting down: the offset stays uncommitted
        }
    }

    // ---- from a terminal fact to a delivery --------------------------------------------------------

    /**
     * Waits until the view shows the job finished, then delivers or watches its campaign. The view is
     * waited for as long as it has not read the fact (it lags: the delivery is never dropped for that);
     * once it has read the fact and the job is still open, the fact finished nothing (another tenant's
     * claim, or a fact the view's state machine overrules) and its offset is released.
     */
    private void resolve(Fact fact, int checks) {
        if (!running) {
            return; // the offset stays uncommitted: the partition's next owner delivers
        }
        String jobId = fact.jobId();
        Hold hold = fact.hold();
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
            scheduler.schedule(() -> resolve(next, checks + 1), delay, TimeUnit.MILLISECONDS);
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
        start(new Delivery(messageId, JOB_FINISHED, v, url, payload(JOB_FINISHED, v.finishedAt(), data), hold));
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
    public int waitingForView() {
        return waitingForView.get();
    }

    /** Of {@link #waitingForView()}, those waiting longer than {@code view-wait-ms}. */
    public int overdueForView() {
        return overdueForView.get();
    }

    /** A terminal fact read by the delivery consumer, holding its offset until it is resolved. */
    private record Fact(String jobId, TopicPartition tp, long offset, Hold hold, long since, boolean overdue) {
        Fact(String jobId, TopicPartition tp, long offset, Hold hold, long since) {
            this(jobId, tp, offset, hold, since, false);
        }

        Fact markOverdue() {
            return new Fact(jobId, tp, offset, hold, since, true);
        }
    }

    /** A campaign's seal: once the view has read it, watch the campaign as a finished job would. */
    private void sealed(
            String campaignId, String tenant, String url, TopicPartition tp, long offset, Hold hold, int checks) {
        if (!running) {
            return;
        }
        if (!reach.hasRead(tp, offset)) {
            long delay = Math.min(1000, 50L << Math.min(checks, 5));
            scheduler.schedule(
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
            scheduler.schedule(
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
    private void watch(JobView job, String url, Hold hold) {
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
                    start(new Delivery(
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

    // ---- delivery attempts -------------------------------------------------------------------------

    private void start(Delivery d) {
        enqueue(d, 1);
    }

    /** Queues attempt {@code n} in its receiver's lane; it runs when the lane has a free slot. */
    private void enqueue(Delivery d, int n) {
        if (!running) {
            return; // not settled: the offset stays uncommitted and the next owner delivers
        }
        lanes.submit(
                laneKey(d),
                () -> attempt(d, n)
                        .thenAcceptAsync(o -> settle(d, n, o), blocking)
                        .exceptionally(e -> {
                            LOG.warnf(e, "webhook %s attempt %d not settled", d.messageId(), n);
                            return null;
                        }));
    }

    /** One lane per receiver: the tenant and the origin (scheme, host, port) of the URL. */
    static String laneKey(String tenant, String url) {
        try {
            URI u = URI.create(url);
            return tenant + " " + u.getScheme() + "://" + u.getHost() + ":" + u.getPort();
        } catch (IllegalArgumentException e) {
            return tenant + " " + url;
        }
    }

    private static String laneKey(Delivery d) {
        return laneKey(d.job().tenant(), d.url());
    }

    /** What one attempt came to. */
    private record Attempt(int status, String error, boolean permanent, long durationMs) {}

    /**
     * One attempt, asynchronous: the address check runs on an I/O thread, the request on the HTTP client's
     * own; no thread waits for the receiver. The whole attempt, response body included, has one deadline
     * ({@code timeout-ms}); past it the exchange is cancelled and the attempt counts as failed.
     */
    private CompletableFuture<Attempt> attempt(Delivery d, int n) {
        long started = System.nanoTime();
        String tenant = d.job().tenant();
        CompletableFuture<Attempt> result = new CompletableFuture<>();
        AtomicReference<CompletableFuture<HttpResponse<Void>>> sending = new AtomicReference<>();
        result.completeOnTimeout(
                new Attempt(
                        0,
                        "timed out after " + config.timeoutMs() + " ms (deadline of the whole attempt,"
                                + " response body included)",
                        false,
                        config.timeoutMs()),
                config.timeoutMs(),
                TimeUnit.MILLISECONDS);
        result.whenComplete((a, e) -> {
            CompletableFuture<HttpResponse<Void>> s = sending.get();
            if (s != null) {
                s.cancel(true); // no-op once the exchange finished; else it aborts the exchange
            }
        });
        try {
            blocking.execute(() -> {
                try {
                    URI uri = URI.create(d.url());
                    if (!settings.allowPrivateWebhooks(tenant) && resolvesPrivate(uri.getHost())) {
                        result.complete(new Attempt(
                                0,
                                "the webhook host resolves to a loopback or private address",
                                true,
                                millisSince(started)));
                        return;
                    }
                    if (result.isDone()) {
                        return;
                    }
                    long timestamp = Instant.now().getEpochSecond();
                    HttpRequest request = HttpRequest.newBuilder(uri)
                            .timeout(Duration.ofMillis(config.timeoutMs()))
                            .header("Content-Type", "application/json")
                            .header("User-Agent", "genfleet-gateway-webhooks")
                            .header(StandardWebhooks.ID, d.messageId())
                            .header(StandardWebhooks.TIMESTAMP, Long.toString(timestamp))
                            .header(
                                    StandardWebhooks.SIGNATURE,
                                    StandardWebhooks.sign(secrets.key(tenant), d.messageId(), timestamp, d.body()))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(d.body()))
                            .build();
                    CompletableFuture<HttpResponse<Void>> s =
                            http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
                    sending.set(s);
                    if (result.isDone()) {
                        s.cancel(true);
                        return;
                    }
                    s.whenComplete((response, e) -> {
                        if (e == null) {
                            int status = response.statusCode();
                            boolean ok = status >= 200 && status <= 299;
                            result.complete(new Attempt(
                                    status, ok ? null : "HTTP " + status, status == 410, millisSince(started)));
                        } else {
                            Throwable cause =
                                    e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                                            ? e.getCause()
                                            : e;
                            result.complete(new Attempt(0, describe(cause), false, millisSince(started)));
                        }
                    });
                } catch (IOException | RuntimeException e) { // unresolvable host, bad URL, client refused
                    result.complete(new Attempt(0, describe(e), false, millisSince(started)));
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            result.complete(new Attempt(0, "shutting down", false, 0));
        }
        return result;
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000L;
    }

    private static String describe(Throwable e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    /** Audits an attempt; settles the delivery or schedules the next attempt (410 and private hosts stop). */
    private void settle(Delivery d, int n, Attempt a) {
        if (!running) {
            return; // not settled: the offset stays uncommitted and the next owner delivers
        }
        boolean ok = a.error() == null;
        boolean last = ok || a.permanent() || n >= config.maxAttempts();
        audit(d, n, ok, last, a.status(), a.error(), a.durationMs());
        if (last) {
            settled.put(d.messageId(), Boolean.TRUE);
            inFlight.remove(d.messageId());
            d.hold().release();
            if (!ok) {
                LOG.infof(
                        "webhook %s %s to %s failed after %d attempts: %s",
                        d.event(), d.messageId(), d.url(), n, a.error());
            }
        } else {
            long delay = config.backoffMs() << Math.min(n - 1, 20);
            try {
                scheduler.schedule(() -> enqueue(d, n + 1), delay, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // shutting down: the offset stays uncommitted
            }
        }
    }

    /**
     * Per-receiver queues: at most {@code limit} attempts of one lane in flight; the rest wait in the lane's
     * queue, in order. Lanes exist while they have work. A slow receiver fills only its own lane.
     */
    static final class Lanes {
        private final int limit;
        private final Map<String, Lane> lanes = new HashMap<>();

        private static final class Lane {
            final ArrayDeque<Supplier<CompletableFuture<?>>> queue = new ArrayDeque<>();
            int active;
        }

        Lanes(int limit) {
            this.limit = limit;
        }

        void submit(String key, Supplier<CompletableFuture<?>> task) {
            List<Supplier<CompletableFuture<?>>> start;
            synchronized (this) {
                lanes.computeIfAbsent(key, k -> new Lane()).queue.add(task);
                start = take(key);
            }
            run(key, start);
        }

        /** Attempts in flight plus queued, over all lanes (for tests and diagnostics). */
        synchronized int pending() {
            int n = 0;
            for (Lane l : lanes.values()) {
                n += l.active + l.queue.size();
            }
            return n;
        }

        private List<Supplier<CompletableFuture<?>>> take(String key) {
            Lane lane = lanes.get(key);
            List<Supplier<CompletableFuture<?>>> out = new ArrayList<>();
            while (lane != null && lane.active < limit && !lane.queue.isEmpty()) {
                lane.active++;
                out.add(lane.queue.poll());
            }
            if (lane != null && lane.active == 0 && lane.queue.isEmpty()) {
                lanes.remove(key);
            }
            return out;
        }

        private void done(String key) {
            List<Supplier<CompletableFuture<?>>> start;
            synchronized (this) {
                Lane lane = lanes.get(key);
                if (lane != null) {
                    lane.active--;
                }
                start = take(key);
            }
            run(key, start);
        }

        private void run(String key, List<Supplier<CompletableFuture<?>>> tasks) {
            for (Supplier<CompletableFuture<?>> task : tasks) {
                CompletableFuture<?> f;
                try {
                    f = task.get();
                } catch (RuntimeException e) {
                    f = CompletableFuture.failedFuture(e);
                }
                f.whenComplete((x, e) -> done(key));
            }
        }
    }

    private static boolean resolvesPrivate(String host) throws IOException {
        if (host == null) {
            return true;
        }
        for (InetAddress a : InetAddress.getAllByName(host)) {
            if (dev.genfleet.gateway.submit.JobParser.isPrivate(a)) {
                return true;
            }
        }
        return false;
    }

    private void audit(Delivery d, int n, boolean ok, boolean last, int status, String error, long durationMs) {
        Counter.builder("genfleet.webhooks.attempts")
                .description("webhook delivery attempts; outcome=failed with final=true is a delivery that gave up")
                .tag("event", d.event())
                .tag("outcome", ok ? "delivered" : "failed")
                .tag("final", Boolean.toString(ok || last))
                .register(registry)
                .increment();
        JobView v = d.job();
        Map<String, String> details = new HashMap<>();
        details.put("webhook_id", d.messageId());
        details.put("event", d.event());
        details.put("url", d.url());
        details.put("delivery_attempt", Integer.toString(n));
        details.put("final", Boolean.toString(last));
        if (status > 0) {
            details.put("http_status", Integer.toString(status));
        }
        Reason reason = ok
                ? null
                : ReasonCode.WEBHOOK_DELIVERY_FAILED.reason(error.length() > 500 ? error.substring(0, 500) : error);
        AuditEvent event = AuditEvent.webhook(
                UUID.randomUUID().toString(),
                new AuditEvent.Subject(v.jobId(), v.campaignId(), v.customId(), v.tenant(), v.model(), v.seed()),
                "gateway",
                Instant.now(),
                v.modelVersion(),
                Math.min(v.attempts(), 1000),
                reason,
                durationMs,
                details);
        try {
            publisher.await(publisher.send(topics.audit(), event, TraceContext.NONE));
        } catch (RuntimeException e) {
            LOG.warnf("webhook attempt %s #%d not audited: %s", d.messageId(), n, e.getMessage());
        }
    }

    private record Delivery(String messageId, String event, JobView job, String url, byte[] body, Hold hold) {}

    private record CampaignWatch(JobView trigger, String url, Hold hold, long since) {}

    /** Keeps one record's offset from being committed until released (idempotent). */
    public interface Hold {
        void release();
    }

    /**
     * Committable offsets per partition: one past the last record read, but never past a record whose
     * delivery is still held.
     */
    static final class Offsets {
        private final Map<TopicPartition, TreeMap<Long, Integer>> held = new HashMap<>();
        private final Map<TopicPartition, Long> next = new HashMap<>();
        private final Map<TopicPartition, Long> committed = new HashMap<>();

        synchronized void seen(TopicPartition tp, long offset) {
            next.merge(tp, offset + 1, Math::max);
        }

        synchronized Hold hold(TopicPartition tp, long offset) {
            held.computeIfAbsent(tp, k -> new TreeMap<>()).merge(offset, 1, Integer::sum);
            java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
            return () -> {
                if (done.compareAndSet(false, true)) {
                    release(tp, offset);
                }
            };
        }

        private synchronized void release(TopicPartition tp, long offset) {
            TreeMap<Long, Integer> h = held.get(tp);
            if (h != null && h.merge(offset, -1, Integer::sum) <= 0) {
                h.remove(offset);
            }
        }

        synchronized Map<TopicPartition, OffsetAndMetadata> committable(Collection<TopicPartition> partitions) {
            Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
            for (TopicPartition tp : partitions) {
                Long n = next.get(tp);
                if (n == null) {
                    continue;
                }
                TreeMap<Long, Integer> h = held.get(tp);
                long safe = h == null || h.isEmpty() ? n : Math.min(n, h.firstKey());
                if (!Long.valueOf(safe).equals(committed.get(tp))) {
                    out.put(tp, new OffsetAndMetadata(safe));
                    committed.put(tp, safe);
                }
            }
            return out;
        }
    }
}
