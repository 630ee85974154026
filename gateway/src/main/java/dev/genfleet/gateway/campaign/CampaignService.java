package dev.genfleet.gateway.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.genfleet.gateway.GatewayConfig;
import dev.genfleet.gateway.refusal.Refusal;
import dev.genfleet.gateway.refusal.Refused;
import dev.genfleet.gateway.status.CampaignCounts;
import dev.genfleet.gateway.status.CampaignLeases;
import dev.genfleet.gateway.status.JobView;
import dev.genfleet.gateway.status.StatusView;
import dev.genfleet.gateway.submit.EventPublisher;
import dev.genfleet.gateway.submit.Fields;
import dev.genfleet.gateway.submit.JobDraft;
import dev.genfleet.gateway.submit.JobIds;
import dev.genfleet.gateway.submit.JobParser;
import dev.genfleet.gateway.submit.JobSubmitter;
import dev.genfleet.gateway.submit.Traces;
import dev.genfleet.gateway.tenant.ApiKeys;
import dev.genfleet.gateway.tenant.QueuedQuota;
import dev.genfleet.schemas.AuditEvent;
import dev.genfleet.schemas.AuditType;
import dev.genfleet.schemas.Brief;
import dev.genfleet.schemas.ControlAction;
import dev.genfleet.schemas.ControlCommand;
import dev.genfleet.schemas.Reason;
import dev.genfleet.schemas.ReasonCode;
import dev.genfleet.schemas.TextInput;
import dev.genfleet.schemas.TraceContext;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Campaign uploads, as a protocol with one effect however often a client sends the same upload (see
 * campaign/DESIGN.md). The header is validated completely before anything is published (422). Then:
 * <ol>
 * <li>{@code CAMPAIGN_OPENED} (audit, key = campaign id) starts or resumes the upload and holds a lease,
 * renewed while recipients stream in;</li>
 * <li>each recipient becomes a job under a deterministic id (campaign, custom_id), or a REJECTED audit event
 * with its reason (missing variable, policy rule, malformed line); with at most {@code campaign-in-flight}
 * unacknowledged records, so memory stays flat for any list length;</li>
 * <li>only when the whole body was read, every record acknowledged and no custom_id repeated,
 * {@code CAMPAIGN_SEALED} records the final count and the body's digest; the answer (202) follows it.</li>
 * </ol>
 * An upload that ends otherwise is marked {@code CAMPAIGN_INCOMPLETE} with the accepted count, by this replica
 * at once or, if it died, by any replica once the lease ran out ({@link #reap}). A retry with the same
 * Idempotency-Key and body resumes it: recipients already on the jobs topic are not published again. Every
 * decision that reads the view (new, sealed, resumable; which recipients to skip) waits until the view has read
 * the partitions in question as far as they reached when the request arrived ({@link ViewHorizon}), so a
 * restarted gateway whose view is still replaying answers 503 rather than publish a recipient twice.
 */
@ApplicationScoped
public class CampaignService {

    static final Set<String> HEADER_FIELDS = Set.of(
            "name",
            "model",
            "template",
            "params",
            "input",
            "priority",
            "ttl_seconds",
            "webhook",
            "metadata",
            "recipients");
    static final Set<String> INPUT_FIELDS = Set.of(
            "max_tokens",
            "temperature",
            "top_k",
            "top_p",
            "stop",
            "seed",
            "require",
            "forbid_unstated_offers",
            "best_of",
            "quality");
    static final int MAX_REPORTED_REJECTIONS = 100;
    static final int MAX_REPORTED_DUPLICATES = 100;

    private static final Logger LOG = Logger.getLogger(CampaignService.class);

    /**
     * A validated campaign header. {@code input} carries generation settings and checks; the prompt and brief are
     * the template's.
     *
     * @param template the prompt template, or null when the campaign has only a brief
     * @param brief a template per brief field, in {@link JobParser#BRIEF_FIELDS} order, or null for none
     * @param require a template per required string ({@code input.require}), or null for the default
     */
    public record Header(
            String name,
            JobParser.Common common,
            Template template,
            Map<String, Template> brief,
            List<Template> require,
            Map<String, String> params,
            JsonNode input) {}

    /** One recipient as uploaded: the parsed JSON, or why the line could not be read. */
    public record Recipient(long line, JsonNode node, String problem) {}

    /**
     * One upload as the API received it.
     *
     * @param headerSha256 hash of the campaign header (a retry must send the same)
     * @param knownRecipients the recipient count when known before streaming (a JSON body), else null
     * @param idempotencyKey the client's key, or null (then the campaign id is random and nothing can resume it)
     * @param digest the SHA-256 of the whole body, asked for once the recipients are exhausted
     * @param requireWholeBody throws (400) when the body ended before the client finished sending it
     */
    public record Upload(
            String tenant,
            Header header,
            String headerSha256,
            Iterator<Recipient> recipients,
            Long knownRecipients,
            String idempotencyKey,
            Supplier<String> digest,
            Runnable requireWholeBody) {}

    /** The 202 answer, and whether it replays an upload sealed before. */
    public record Outcome(Summary summary, boolean replay) {}

    /**
     * A sealed upload: what was read, queued and rejected.
     *
     * @param ignored recipients beyond {@code limits.max-recipients}, not read (0: none)
     * @param ignoredReason why they were ignored, or null when none was
     * @param rejections the first {@value #MAX_REPORTED_REJECTIONS} rejected recipients (none on a replay)
     * @param digest the SHA-256 of the whole body
     */
    public record Summary(
            String id,
            String name,
            long recipients,
            long queued,
            long rejected,
            long ignored,
            String ignoredReason,
            List<Rejection> rejections,
            String digest) {

        public Summary {
            rejections = List.copyOf(rejections);
        }
    }

    /** A recipient that became no job: its line, its custom_id (null when unreadable), its job id and why. */
    public record Rejection(long line, String customId, String jobId, String code, String message) {}

    /** What this replica accepted lately, for the tenant that uploaded it. */
    public record Recent(String tenant, Summary summary) {}

    private final JobParser parser;
    private final JobSubmitter submitter;
    private final EventPublisher publisher;
    private final StatusView view;
    private final GatewayConfig config;
    private final QueuedQuota quota;
    private final CampaignLeases leases;
    private final ViewHorizon horizon;
    private final Set<String> active = ConcurrentHashMap.newKeySet();
    /** Uploads this replica sealed lately, for a retry that arrives before the view has read the seal. */
    private final Map<String, CampaignCounts.Upload> sealedHere =
            Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, CampaignCounts.Upload> eldest) {
                    return size() > 1000;
                }
            });

    private ScheduledExecutorService reaper;
    private final Map<String, Recent> recent = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Recent> eldest) {
            return size() > 1000;
        }
    });

    public CampaignService(
            JobParser parser,
            JobSubmitter submitter,
            EventPublisher publisher,
            StatusView view,
            GatewayConfig config,
            QueuedQuota quota,
            CampaignLeases leases,
            ViewHorizon horizon) {
        this.quota = quota;
        this.horizon = horizon;
        this.parser = parser;
        this.submitter = submitter;
        this.publisher = publisher;
        this.view = view;
        this.config = config;
        this.leases = leases;
    }

    void onStart(@Observes StartupEvent event) {
        long every = Math.max(100, Math.min(5000, config.limits().campaignLeaseMs() / 4));
        reaper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "genfleet-campaign-leases");
            t.setDaemon(true);
            return t;
        });
        reaper.scheduleWithFixedDelay(this::reap, every, every, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (reaper != null) {
            reaper.shutdownNow();
        }
    }

    public Header header(JsonNode body) {
        Fields f = new Fields();
        f.onlyKnown(body, "", HEADER_FIELDS);
        String name = f.string(body, "name", "", true, 1, 200);
        JobParser.Common common = parser.common(body, f, "");
        if (common.route() != null && !"text".equals(common.route().modality())) {
            f.error(
                    "model",
                    "campaigns render text prompts; model '" + common.model() + "' is "
                            + common.route().modality());
        }
        Template template = null;
        Map<String, Template> brief = null;
        JsonNode t = f.object(body, "template", "", true);
        if (t != null) {
            f.onlyKnown(t, "template.", Set.of("prompt", "brief"));
            if (!t.hasNonNull("prompt") && !t.hasNonNull("brief")) {
                f.error("template.prompt", "required unless the template has a brief");
            }
            String prompt =
                    f.string(t, "prompt", "template.", false, 1, config.limits().maxPromptChars());
            if (prompt != null) {
                template = parse(prompt, "template.prompt", f);
            }
            JsonNode b = f.object(t, "brief", "template.", false);
            if (b != null) {
                brief = briefTemplate(b, f);
            }
        }
        Map<String, String> params = f.stringMap(body, "params", "", 100, 64, 2000);
        JsonNode input = f.object(body, "input", "", false);
        List<Template> require = null;
        if (input != null) {
            f.onlyKnown(input, "input.", INPUT_FIELDS);
            List<String> required = JobParser.require(input, f, "input.");
            if (required != null) {
                require = new ArrayList<>();
                for (int i = 0; i < required.size(); i++) {
                    require.add(parse(required.get(i), "input.require[" + i + "]", f));
                }
            }
            JobParser.text("probe", null, null, input, f, "input.", 0L);
        }
        f.throwIfAny();
        // campaigns default to the bulk topics, so interactive jobs are served first
        JobParser.Common withPriority = body.has("priority")
                ? common
                : new JobParser.Common(
                        common.model(),
                        common.route(),
                        dev.genfleet.schemas.Priority.BULK,
                        common.deadline(),
                        common.webhookUrl(),
                        common.metadata());
        return new Header(
                name,
                withPriority,
                template,
                brief,
                require,
                params,
                input == null ? JsonNodeFactory.instance.objectNode() : input);
    }

    private static Template parse(String source, String field, Fields f) {
        try {
            return Template.parse(source);
        } catch (IllegalArgumentException e) {
            f.error(field, e.getMessage());
            return null;
        }
    }

    /**
     * {@code template.brief}: the fields of a brief ({@link JobParser#brief}), each a template whose
     * {@code {{variables}}} are filled per recipient; a field without variables is the same for every recipient.
     * What a field renders to is checked per recipient (a rejected recipient, never a refused campaign).
     */
    private static Map<String, Template> briefTemplate(JsonNode node, Fields f) {
        f.onlyKnown(node, "template.brief.", Set.copyOf(JobParser.BRIEF_FIELDS));
        Map<String, Template> fields = new LinkedHashMap<>();
        for (String name : JobParser.BRIEF_FIELDS) {
            boolean required = JobParser.BRIEF_REQUIRED.contains(name);
            // a template may be longer than what it renders to ("{{product_name_in_our_catalogue}}")
            String source = f.string(node, name, "template.brief.", required, 1, 2000);
            if (source != null) {
                if (source.isBlank()) {
                    f.error("template.brief." + name, "must not be blank");
                } else {
                    Template parsed = parse(source, "template.brief." + name, f);
                    String literal =
                            parsed == null || !parsed.variables().isEmpty() ? null : JobParser.stringProblem(source);
                    if (literal != null) {
                        // the same for every recipient: refuse the campaign rather than every recipient
                        f.error("template.brief." + name, literal);
                    } else if (parsed != null) {
                        fields.put(name, parsed);
                    }
                }
            }
        }
        return fields;
    }

    /**
     * A JSON campaign's recipients, checked before anything is published: every one needs a custom_id (a
     * string of 1 to 200 characters) that no other recipient of the campaign has; else 422 listing them all.
     */
    public static void requireUniqueCustomIds(JsonNode recipients) {
        List<Refusal.FieldError> errors = new ArrayList<>();
        Map<String, Integer> first = new HashMap<>();
        int problems = 0;
        for (int i = 0; i < recipients.size(); i++) {
            String id = customIdOf(recipients.get(i));
            String message = null;
            if (id == null) {
                message = "required: a string of 1 to 200 characters, unique in the campaign";
            } else {
                Integer before = first.putIfAbsent(id, i);
                if (before != null) {
                    message = "duplicate custom_id '" + id + "': recipients[" + before + "] has it";
                }
            }
            if (message != null) {
                problems++;
                if (errors.size() < MAX_REPORTED_DUPLICATES) {
                    errors.add(new Refusal.FieldError("recipients[" + i + "].custom_id", message));
                }
            }
        }
        if (problems > 0) {
            throw new Refused(new Refusal.Invalid(
                    problems + " recipients have a missing or duplicate"
                            + " custom_id (required, unique within a campaign); nothing was published",
                    errors));
        }
    }

    static String customIdOf(JsonNode node) {
        if (node == null || !node.isObject()) {
            return null;
        }
        JsonNode id = node.get("custom_id");
        if (id == null
                || !id.isTextual()
                || id.textValue().isEmpty()
                || id.textValue().length() > 200) {
            return null;
        }
        return id.textValue();
    }

    /** Runs (or resumes, or replays) an upload; the 202 answer, or a problem naming the campaign once it exists. */
    public Outcome run(Upload u) {
        String campaignId = u.idempotencyKey() == null
                ? UUID.randomUUID().toString()
                : JobIds.campaign(u.tenant(), u.idempotencyKey());
        if (!active.add(campaignId)) {
            throw new Refused(Refusal.OfCampaign.of(
                    campaignId,
                    new Refusal.Conflict(
                            "campaign " + campaignId + " is being uploaded on this gateway"
                                    + " right now; retry with the same Idempotency-Key once that upload has ended",
                            Duration.ofSeconds(5))));
        }
        try {
            return upload(u, campaignId);
        } finally {
            active.remove(campaignId);
        }
    }

    private Outcome upload(Upload u, String campaignId) {
        String tenant = u.tenant();
        CampaignCounts.Upload prior = null;
        if (u.idempotencyKey() != null) {
            // an upload this replica sealed is final whatever its view has read yet (a re-send right after the
            // 202 is a replay, not a 409 for a lease the view still shows live)
            prior = sealedHere.get(campaignId);
            if (prior == null) {
                // the upload state is exact only once the view has read the campaign's audit partition as far as
                // it reaches now: a view still replaying would take an opened, incomplete or sealed upload for a
                // new one (ViewHorizon)
                horizon.awaitView(
                        campaignId,
                        List.of(horizon.partitionOf(publisher.topics().audit(), campaignId)));
                prior = view.campaign(campaignId, tenant)
                        .map(CampaignCounts::upload)
                        .orElse(null);
            }
        }
        if (prior != null
                && prior.headerSha256() != null
                && !prior.headerSha256().equals(u.headerSha256())) {
            throw reused(campaignId, "another campaign header");
        }
        if (prior != null && prior.sealed()) {
            return replay(u, campaignId, prior);
        }
        if (prior != null
                && CampaignCounts.UPLOADING.equals(prior.state())
                && leases.expired().stream()
                        .noneMatch(o ->
                                o.campaignId().equals(campaignId) && o.tenant().equals(u.tenant()))) {
            long leaseSeconds = Math.max(1, config.limits().campaignLeaseMs() / 1000);
            throw new Refused(Refusal.OfCampaign.of(
                    campaignId,
                    new Refusal.Conflict(
                            "campaign " + campaignId + " is being uploaded on another"
                                    + " gateway (its lease is live); retry with the same Idempotency-Key after "
                                    + leaseSeconds + " s",
                            Duration.ofSeconds(leaseSeconds))));
        }
        if (prior != null) {
            // a resume skips the recipients whose job records are on the jobs topic: the view must have read that
            // topic as far as it reaches now, however far a restarted gateway's replay has come (ViewHorizon)
            horizon.awaitView(
                    campaignId,
                    horizon.partitions(publisher
                            .topics()
                            .jobs(
                                    u.header().common().route().pool(),
                                    u.header().common().priority())));
        }
        TraceContext trace = Traces.current();
        Progress p = new Progress();
        // the quota answers 429 before anything is published
        QueuedQuota.Ticket ticket = quota.admitCampaign(tenant, campaignId, u.knownRecipients());
        String opening;
        try {
            opening = open(u, campaignId, prior != null, trace);
        } catch (RuntimeException e) {
            ticket.release();
            throw e;
        }
        boolean sealed = false;
        String why = "the upload failed";
        try {
            Summary summary = stream(u, campaignId, opening, prior != null, p, ticket, trace);
            sealed = true;
            return new Outcome(summary, false);
        } catch (Refused e) {
            why = e.getMessage();
            throw notSealed(campaignId, p.acked.get(), e.refusal());
        } catch (RuntimeException e) {
            boolean io = e instanceof UncheckedIOException
                    || String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("closed");
            why = (io ? "upload interrupted: " : "upload failed: ") + e.getMessage();
            Refusal refusal = io
                    ? new Refusal.Malformed("upload interrupted: " + e.getMessage())
                    : new Refusal.Unavailable(
                            "the upload failed: " + e.getClass().getSimpleName());
            if (!io) {
                LOG.warnf(e, "campaign %s upload failed", campaignId);
            }
            throw notSealed(campaignId, p.acked.get(), refusal);
        } finally {
            if (!sealed) {
                LOG.infof(
                        "campaign %s: upload ended without a seal after %d accepted recipients: %s",
                        campaignId, p.acked.get(), why);
                markIncomplete(tenant, campaignId, u.header().common().model(), opening, p.acked.get(), why, trace);
            }
        }
    }

    /** A refusal after the upload began: it names the campaign and how many recipients a retry will find. */
    private static Refused notSealed(String campaignId, long accepted, Refusal cause) {
        return new Refused(new Refusal.OfCampaign(
                cause.detail() + "; campaign " + campaignId + " is not sealed, " + accepted
                        + " recipients were accepted; a retry with the same Idempotency-Key and body completes it",
                campaignId,
                accepted,
                cause));
    }

    /** Counters of one upload attempt; {@code acked} = recipients Kafka acknowledged (or found in the view). */
    private static final class Progress {
        final AtomicLong acked = new AtomicLong();
    }

    private Summary stream(
            Upload u,
            String campaignId,
            String opening,
            boolean resuming,
            Progress p,
            QueuedQuota.Ticket ticket,
            TraceContext trace) {
        String tenant = u.tenant();
        Header header = u.header();
        Iterator<Recipient> recipients = u.recipients();
        int inFlight = config.limits().campaignInFlight();
        Semaphore permits = new Semaphore(inFlight);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong queued = new AtomicLong();
        AtomicLong rejected = new AtomicLong();
        List<Rejection> rejections = new ArrayList<>();
        List<Refusal.DuplicateLine> duplicates = new ArrayList<>();
        List<Refusal.FieldError> changed = new ArrayList<>();
        CustomIds seen = new CustomIds();
        long duplicateCount = 0;
        long changedCount = 0;
        long count = 0;
        long ignored = 0;
        long published = 0;
        long renewEvery = Math.max(1, config.limits().campaignLeaseMs() / 3) * 1_000_000L;
        long lastRenewal = System.nanoTime();
        try {
            while (recipients.hasNext()) {
                Recipient r = recipients.next();
                if (count >= config.limits().maxRecipients()) {
                    ignored++;
                    continue;
                }
                count++;
                if (failure.get() != null) {
                    break;
                }
                if (System.nanoTime() - lastRenewal > renewEvery) {
                    lastRenewal = System.nanoTime();
                    publisher
                            .send(
                                    publisher.topics().audit(),
                                    campaignEvent(
                                            AuditType.CAMPAIGN_OPENED,
                                            UUID.randomUUID().toString(),
                                            tenant,
                                            campaignId,
                                            header.common().model(),
                                            openingDetails(u, resuming, "true")),
                                    trace)
                            .whenComplete((m, e) -> {
                                if (e != null) {
                                    failure.compareAndSet(null, e);
                                }
                            });
                }
                String customId = r.problem() == null ? customIdOf(r.node()) : null;
                if (customId != null) {
                    long firstLine = seen.firstSeen(customId, r.line());
                    if (firstLine >= 0) {
                        duplicateCount++;
                        if (duplicates.size() < MAX_REPORTED_DUPLICATES) {
                            duplicates.add(new Refusal.DuplicateLine(r.line(), customId, firstLine));
                        }
                        continue;
                    }
                }
                String jobId =
                        customId != null ? JobIds.recipient(campaignId, customId) : JobIds.line(campaignId, r.line());
                String recipientSha = r.node() == null
                        ? null
                        : ApiKeys.sha256Hex(r.node().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                if (resuming) {
                    JobView known = view.job(jobId, tenant).orElse(null);
                    if (known != null) {
                        if (recipientSha != null
                                && known.requestSha256() != null
                                && !known.requestSha256().equals(recipientSha)) {
                            changedCount++;
                            if (changed.size() < MAX_REPORTED_DUPLICATES) {
                                changed.add(new Refusal.FieldError(
                                        "line " + r.line(),
                                        "recipient '" + customId
                                                + "' differs from the one this campaign already holds"));
                            }
                        } else {
                            p.acked.incrementAndGet();
                            (AuditType.REJECTED.name().equals(known.status()) ? rejected : queued).incrementAndGet();
                        }
                        continue; // already published by an earlier attempt: not again
                    }
                }
                Variant variant = variant(header, r, campaignId, jobId);
                if (variant.reason() == null && queued.get() >= ticket.budget()) {
                    variant = new Variant(
                            variant.draft(),
                            ReasonCode.QUEUED_QUOTA_EXCEEDED.reason(
                                    "the tenant's queued-jobs quota was full when this recipient arrived"));
                }
                acquire(permits);
                JobSubmitter.Pending pending = variant.reason() != null
                        ? submitter.publishRejection(tenant, jobId, variant.draft(), variant.reason(), trace, Map.of())
                        : submitter.publishAsync(tenant, jobId, variant.draft(), recipientSha, trace, Map.of());
                published++;
                Reason refusal = variant.reason() != null ? variant.reason() : pending.rejection();
                if (refusal != null) {
                    rejected.incrementAndGet();
                    if (rejections.size() < MAX_REPORTED_REJECTIONS) {
                        rejections.add(new Rejection(
                                r.line(), variant.draft().customId(), jobId, refusal.code(), refusal.message()));
                    }
                } else {
                    queued.incrementAndGet();
                }
                pending.acked().whenComplete((ok, error) -> {
                    if (error != null) {
                        failure.compareAndSet(null, error);
                    } else {
                        p.acked.incrementAndGet();
                    }
                    permits.release();
                });
            }
        } catch (RuntimeException e) {
            // the attempt ends here (body cut off, client gone): what is in flight lands or fails first, so the
            // INCOMPLETE mark counts it and nothing of this attempt reaches the log after a retry looked at it
            try {
                permits.tryAcquire(inFlight, config.ackTimeoutMs(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            throw e;
        } finally {
            ticket.settled(published);
        }
        try {
            if (!permits.tryAcquire(inFlight, config.ackTimeoutMs(), TimeUnit.MILLISECONDS)) {
                throw Refused.unavailable("Kafka did not acknowledge campaign " + campaignId + " in time");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Refused.unavailable("interrupted");
        }
        if (failure.get() != null) {
            throw Refused.unavailable("Kafka refused part of campaign " + campaignId + ": "
                    + failure.get().getMessage());
        }
        u.requireWholeBody().run();
        if (duplicateCount > 0) {
            List<Refusal.FieldError> errors = duplicates.stream()
                    .map(d -> new Refusal.FieldError(
                            "line " + d.line(),
                            "duplicate custom_id '" + d.customId() + "': line " + d.firstLine() + " has it"))
                    .toList();
            throw new Refused(new Refusal.Invalid(
                    duplicateCount + " lines repeat a custom_id (unique"
                            + " within a campaign; the repeats were not published)",
                    errors,
                    duplicates));
        }
        if (changedCount > 0) {
            throw new Refused(new Refusal.IdempotencyKeyReused(
                    changedCount + " recipients differ from those" + " this Idempotency-Key's campaign already holds",
                    changed));
        }
        String digest = u.digest().get();
        Map<String, String> seal = new LinkedHashMap<>();
        seal.put("recipients", Long.toString(count));
        seal.put("accepted", Long.toString(p.acked.get()));
        seal.put("queued", Long.toString(queued.get()));
        seal.put("rejected", Long.toString(rejected.get()));
        seal.put("digest", digest);
        seal.put("opened_event_id", opening);
        if (header.common().webhookUrl() != null) {
            seal.put("webhook_url", header.common().webhookUrl());
        }
        publisher.await(publisher.send(
                publisher.topics().audit(),
                campaignEvent(
                        AuditType.CAMPAIGN_SEALED,
                        JobIds.event(campaignId, "SEALED/" + digest),
                        tenant,
                        campaignId,
                        header.common().model(),
                        seal),
                trace));

        sealedHere.put(
                campaignId,
                new CampaignCounts.Upload(
                        CampaignCounts.SEALED,
                        header.name(),
                        u.headerSha256(),
                        digest,
                        count,
                        p.acked.get(),
                        queued.get(),
                        rejected.get(),
                        opening,
                        null,
                        header.common().webhookUrl()));
        Summary summary = new Summary(
                campaignId,
                header.name(),
                count,
                queued.get(),
                rejected.get(),
                ignored,
                ignored > 0 ? "more than " + config.limits().maxRecipients() + " recipients" : null,
                rejections,
                digest);
        recent.put(campaignId, new Recent(tenant, summary));
        return summary;
    }

    /** A sealed campaign asked again: the body is read (for its digest) and nothing is published. */
    private Outcome replay(Upload u, String campaignId, CampaignCounts.Upload sealed) {
        while (u.recipients().hasNext()) {
            u.recipients().next();
        }
        u.requireWholeBody().run();
        String digest = u.digest().get();
        if (sealed.digest() != null && !sealed.digest().equals(digest)) {
            throw reused(campaignId, "another body");
        }
        Summary summary = new Summary(
                campaignId,
                sealed.name() != null ? sealed.name() : u.header().name(),
                orZero(sealed.recipients()),
                orZero(sealed.queued()),
                orZero(sealed.rejected()),
                0,
                null,
                List.of(),
                digest);
        return new Outcome(summary, true);
    }

    /** A count a seal record left out (a malformed one): none, rather than a failed replay. */
    private static long orZero(Long count) {
        return count == null ? 0 : count;
    }

    private static Refused reused(String campaignId, String what) {
        return new Refused(Refusal.OfCampaign.of(
                campaignId,
                new Refusal.IdempotencyKeyReused(
                        "this Idempotency-Key names campaign " + campaignId + ", which was uploaded with " + what)));
    }

    /** Publishes the opening (or resumption) and waits for Kafka; returns its event id. */
    private String open(Upload u, String campaignId, boolean resuming, TraceContext trace) {
        String eventId = UUID.randomUUID().toString();
        publisher.await(publisher.send(
                publisher.topics().audit(),
                campaignEvent(
                        AuditType.CAMPAIGN_OPENED,
                        eventId,
                        u.tenant(),
                        campaignId,
                        u.header().common().model(),
                        openingDetails(u, resuming, null)),
                trace));
        return eventId;
    }

    private Map<String, String> openingDetails(Upload u, boolean resuming, String renewal) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("name", u.header().name());
        d.put("header_sha256", u.headerSha256());
        d.put("lease_ms", Long.toString(config.limits().campaignLeaseMs()));
        if (u.header().common().webhookUrl() != null) {
            d.put("webhook_url", u.header().common().webhookUrl());
        }
        if (resuming) {
            d.put("resumed", "true");
        }
        if (renewal != null) {
            d.put("renewal", renewal);
        }
        return d;
    }

    /** Publishes CAMPAIGN_INCOMPLETE for {@code opening}; false when Kafka did not take it (the lease will). */
    private boolean markIncomplete(
            String tenant,
            String campaignId,
            String model,
            String opening,
            long accepted,
            String why,
            TraceContext trace) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("opened_event_id", opening);
        d.put("accepted", Long.toString(accepted));
        d.put("reason", why == null ? "unknown" : why.length() > 500 ? why.substring(0, 500) : why);
        try {
            // one event id per (opening, count): replicas marking the same count are one event, a higher count a new
            // one
            publisher.await(publisher.send(
                    publisher.topics().audit(),
                    campaignEvent(
                            AuditType.CAMPAIGN_INCOMPLETE,
                            JobIds.event(campaignId, "INCOMPLETE/" + opening + "/" + accepted),
                            tenant,
                            campaignId,
                            model,
                            d),
                    trace));
            return true;
        } catch (RuntimeException e) {
            LOG.warnf(
                    "campaign %s: could not mark the upload INCOMPLETE (%s); its lease will",
                    campaignId, e.getMessage());
            return false;
        }
    }

    /** Marks the uploads whose lease ran out on this replica's clock INCOMPLETE (any replica may; same event id). */
    void reap() {
        try {
            for (CampaignLeases.Open o : leases.expired()) {
                long accepted = view.campaign(o.campaignId(), o.tenant())
                        .map(CampaignCounts::total)
                        .orElse(0L);
                LOG.infof(
                        "campaign %s: no lease renewal for %d ms; marking the upload INCOMPLETE with %d recipients",
                        o.campaignId(), o.leaseMs(), accepted);
                if (markIncomplete(
                        o.tenant(),
                        o.campaignId(),
                        null,
                        o.openedEventId(),
                        accepted,
                        "lease expired: the uploading gateway renewed nothing for " + o.leaseMs() + " ms",
                        TraceContext.NONE)) {
                    leases.forget(o); // the view reads the mark; until then no second one
                }
            }
        } catch (RuntimeException e) {
            LOG.debugf("campaign leases not checked: %s", e.getMessage());
        }
    }

    private static AuditEvent campaignEvent(
            AuditType type,
            String eventId,
            String tenant,
            String campaignId,
            String model,
            Map<String, String> details) {
        return AuditEvent.campaign(eventId, type, tenant, campaignId, model, "gateway", Instant.now(), details);
    }

    /** What this replica accepted lately (for GET before the view caught up), if the tenant's. */
    public Optional<Summary> recent(String campaignId, String tenant) {
        Recent known = recent.get(campaignId);
        return known != null && tenant.equals(known.tenant()) ? Optional.of(known.summary()) : Optional.empty();
    }

    /** Cancels every unfinished job of the campaign; false when there was none left. */
    public long cancel(String tenant, String campaignId) {
        TraceContext trace = Traces.current();
        String who = "tenant:" + tenant;
        java.time.Instant now = java.time.Instant.now();
        publisher.await(publisher.send(
                publisher.topics().control(),
                new ControlCommand(
                        UUID.randomUUID().toString(),
                        ControlAction.CANCEL_CAMPAIGN,
                        tenant,
                        null,
                        campaignId,
                        who,
                        now,
                        "cancelled by client"),
                trace));
        List<java.util.concurrent.CompletableFuture<?>> sends = new ArrayList<>();
        AtomicLong cancelled = new AtomicLong();
        view.campaignJobs(
                campaignId,
                kv -> view.job(kv.key, tenant).filter(v -> !v.terminal()).ifPresent(v -> {
                    cancelled.incrementAndGet();
                    sends.add(publisher.send(
                            publisher.topics().audit(),
                            AuditEvent.cancelled(
                                    UUID.randomUUID().toString(),
                                    new AuditEvent.Subject(
                                            v.jobId(), campaignId, v.customId(), tenant, v.model(), v.seed()),
                                    who,
                                    now,
                                    v.attempts(),
                                    ReasonCode.CANCELLED_BY_CLIENT.reason("campaign cancelled")),
                            trace));
                }));
        publisher.await(java.util.concurrent.CompletableFuture.allOf(
                sends.toArray(java.util.concurrent.CompletableFuture[]::new)));
        return cancelled.get();
    }

    private record Variant(JobDraft draft, Reason reason) {}

    private Variant variant(Header h, Recipient r, String campaignId, String jobId) {
        JobParser.Common c = h.common();
        if (r.problem() != null) {
            return new Variant(
                    draft(c, null, null, campaignId, null), ReasonCode.INVALID_RECIPIENT.reason(r.problem()));
        }
        JsonNode node = r.node();
        if (node == null || !node.isObject()) {
            return new Variant(
                    draft(c, null, null, campaignId, null),
                    ReasonCode.INVALID_RECIPIENT.reason("a recipient must be a JSON object {custom_id, vars}"));
        }
        Fields f = new Fields();
        f.onlyKnown(node, "", Set.of("custom_id", "vars"));
        String customId = f.string(node, "custom_id", "", true, 1, 200);
        Map<String, String> vars = f.stringMap(node, "vars", "", 100, 64, 2000);
        if (!f.errors().isEmpty()) {
            var e = f.errors().get(0);
            return new Variant(
                    draft(c, null, null, campaignId, customId),
                    ReasonCode.INVALID_RECIPIENT.reason(e.field() + ": " + e.message()));
        }
        // every template is rendered first, so a missing variable is reported the same wherever it is
        String prompt = "";
        if (h.template() != null) {
            Template.Rendered rendered = h.template().render(vars, h.params());
            if (!rendered.ok()) {
                return new Variant(draft(c, null, null, campaignId, customId), missing(rendered, "template.prompt"));
            }
            prompt = rendered.text();
        }
        Map<String, String> briefValues = new LinkedHashMap<>();
        if (h.brief() != null) {
            for (Map.Entry<String, Template> field : h.brief().entrySet()) {
                Template.Rendered rendered = field.getValue().render(vars, h.params());
                boolean optional = !JobParser.BRIEF_REQUIRED.contains(field.getKey());
                if (optional && (!rendered.ok() || rendered.text().isBlank())) {
                    // an optional field (offer, tone, name) whose variables this recipient lacks is left out of
                    // its brief: the copy then states no offer, takes the model's default tone, greets no one.
                    // One campaign can so mix recipients with and without an offer or a name.
                    continue;
                }
                if (!rendered.ok()) {
                    return new Variant(
                            draft(c, null, null, campaignId, customId),
                            missing(rendered, "template.brief." + field.getKey()));
                }
                briefValues.put(field.getKey(), rendered.text());
            }
        }
        List<String> require = null;
        if (h.require() != null) {
            require = new ArrayList<>();
            for (int i = 0; i < h.require().size(); i++) {
                Template.Rendered rendered = h.require().get(i).render(vars, h.params());
                if (!rendered.ok()) {
                    return new Variant(
                            draft(c, null, null, campaignId, customId), missing(rendered, "input.require[" + i + "]"));
                }
                require.add(rendered.text());
            }
        }
        // what the values rendered to must make a valid brief and valid required strings
        for (Map.Entry<String, String> value : briefValues.entrySet()) {
            String problem = JobParser.stringProblem(value.getValue());
            if (problem != null) {
                return new Variant(
                        draft(c, null, null, campaignId, customId),
                        ReasonCode.INVALID_RECIPIENT.reason(
                                "brief." + value.getKey() + " as rendered for this recipient " + problem));
            }
        }
        if (require != null) {
            for (int i = 0; i < require.size(); i++) {
                String problem = JobParser.stringProblem(require.get(i));
                if (problem != null) {
                    return new Variant(
                            draft(c, null, null, campaignId, customId),
                            ReasonCode.INVALID_RECIPIENT.reason(
                                    "require[" + i + "] as rendered for this recipient " + problem));
                }
            }
        }
        Brief brief = h.brief() == null ? null : JobParser.briefOf(briefValues);
        Fields inputFields = new Fields();
        TextInput input = JobParser.text(prompt, brief, require, h.input(), inputFields, "input.", JobIds.seed(jobId));
        return new Variant(
                draft(
                        c,
                        input,
                        JobParser.policyTexts(h.template() == null ? null : prompt, brief, require),
                        campaignId,
                        customId),
                null);
    }

    private static Reason missing(Template.Rendered rendered, String where) {
        return ReasonCode.TEMPLATE_MISSING_VARIABLE.reason(
                "variable '" + rendered.missing() + "' (" + where + ") is neither in vars nor in params");
    }

    private static JobDraft draft(
            JobParser.Common c, TextInput input, Map<String, String> policyTexts, String campaignId, String customId) {
        return new JobDraft(
                c.model(),
                c.route(),
                input,
                c.priority(),
                c.deadline(),
                c.webhookUrl(),
                c.metadata(),
                policyTexts,
                campaignId,
                customId);
    }

    private static void acquire(Semaphore permits) {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Refused.unavailable("interrupted");
        }
    }
}
