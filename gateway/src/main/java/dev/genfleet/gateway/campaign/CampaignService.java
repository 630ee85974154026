package dev.genfleet.gateway.campaign;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import dev.genfleet.gateway.GatewayConfig;
import dev.genfleet.gateway.api.Fields;
import dev.genfleet.gateway.api.JobParser;
import dev.genfleet.gateway.api.ProblemException;
import dev.genfleet.gateway.status.StatusView;
import dev.genfleet.gateway.status.ViewTopology;
import dev.genfleet.gateway.submit.EventPublisher;
import dev.genfleet.gateway.submit.JobDraft;
import dev.genfleet.gateway.submit.JobSubmitter;
import dev.genfleet.gateway.submit.Traces;
import dev.genfleet.gateway.tenant.QueuedQuota;
import dev.genfleet.schemas.AuditEvent;
import dev.genfleet.schemas.AuditType;
import dev.genfleet.schemas.ControlAction;
import dev.genfleet.schemas.ControlCommand;
import dev.genfleet.schemas.Reason;
import dev.genfleet.schemas.TextInput;
import dev.genfleet.schemas.TraceContext;

/**
 * Campaign fan-out: one template, one job per recipient. The header is validated completely before
 * anything is published (a bad template or unknown model refuses the campaign, 422); after that each
 * recipient either becomes a job or a REJECTED audit event with its reason (missing variable, policy
 * rule, malformed line), never failing the campaign. Recipients stream through with at most
 * {@code campaign-in-flight} unacknowledged records, so memory stays flat for any list length; the
 * answer (202) comes after Kafka acknowledged every record.
 */
@ApplicationScoped
public class CampaignService {

    static final Set<String> HEADER_FIELDS = Set.of("name", "model", "template", "params", "input", "priority",
            "ttl_seconds", "webhook", "metadata", "recipients");
    static final Set<String> INPUT_FIELDS = Set.of("max_tokens", "temperature", "top_k", "top_p", "stop", "seed");
    static final int MAX_REPORTED_REJECTIONS = 100;

    /** A validated campaign header. {@code input} carries generation settings; its prompt is the template's. */
    public record Header(String name, JobParser.Common common, Template template, Map<String, String> params,
            JsonNode input) {}

    /** One recipient as uploaded: the parsed JSON, or why the line could not be read. */
    public record Recipient(long line, JsonNode node, String problem) {}

    private final JobParser parser;
    private final JobSubmitter submitter;
    private final EventPublisher publisher;
    private final StatusView view;
    private final GatewayConfig config;
    private final QueuedQuota quota;
    private final Map<String, Map<String, Object>> recent = Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Map<String, Object>> eldest) {
                    return size() > 1000;
                }
            });

    public CampaignService(JobParser parser, JobSubmitter submitter, EventPublisher publisher, StatusView view,
            GatewayConfig config, QueuedQuota quota) {
        this.quota = quota;
        this.parser = parser;
        this.submitter = submitter;
        this.publisher = publisher;
        this.view = view;
        this.config = config;
    }

    public Header header(JsonNode body) {
        Fields f = new Fields();
        f.onlyKnown(body, "", HEADER_FIELDS);
        String name = f.string(body, "name", "", true, 1, 200);
        JobParser.Common common = parser.common(body, f, "");
        if (common.route() != null && !"text".equals(common.route().modality())) {
            f.error("model", "campaigns render text prompts; model '" + common.model() + "' is "
                    + common.route().modality());
        }
        Template template = null;
        JsonNode t = f.object(body, "template", "", true);
        if (t != null) {
            f.onlyKnown(t, "template.", Set.of("prompt"));
            String prompt = f.string(t, "prompt", "template.", true, 1, config.limits().maxPromptChars());
            if (prompt != null) {
                try {
                    template = Template.parse(prompt);
                } catch (IllegalArgumentException e) {
                    f.error("template.prompt", e.getMessage());
                }
            }
        }
        Map<String, String> params = f.stringMap(body, "params", "", 100, 64, 2000);
        JsonNode input = f.object(body, "input", "", false);
        if (input != null) {
            f.onlyKnown(input, "input.", INPUT_FIELDS);
            JobParser.text("probe", input, f, "input.");
        }
        f.throwIfAny();
        // campaigns default to the bulk topics, so interactive jobs are served first
        JobParser.Common withPriority = body.has("priority") ? common
                : new JobParser.Common(common.model(), common.route(), dev.genfleet.schemas.Priority.BULK,
                        common.deadline(), common.webhookUrl(), common.metadata());
        return new Header(name, withPriority, template, params,
                input == null ? dev.genfleet.gateway.api.JsonBodies.mapper().createObjectNode() : input);
    }

    /**
     * Fans a campaign out; returns the 202 summary. Recipients are pulled one at a time.
     *
     * @param knownRecipients the recipient count when known before streaming (a JSON body), else null
     */
    public Map<String, Object> run(String tenant, Header header, java.util.Iterator<Recipient> recipients,
            Long knownRecipients) {
        String campaignId = UUID.randomUUID().toString();
        TraceContext trace = Traces.current();
        QueuedQuota.Ticket ticket = quota.admitCampaign(tenant, campaignId, knownRecipients);
        int inFlight = config.limits().campaignInFlight();
        Semaphore permits = new Semaphore(inFlight);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong queued = new AtomicLong();
        AtomicLong rejected = new AtomicLong();
        List<Map<String, Object>> rejections = new ArrayList<>();
        long count = 0;
        long ignored = 0;
        long published = 0;
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
                String jobId = UUID.randomUUID().toString();
                Variant variant = variant(header, r, campaignId);
                if (variant.reason() == null && queued.get() >= ticket.budget()) {
                    variant = new Variant(variant.draft(), Reason.of(QueuedQuota.QUOTA_CODE,
                            "the tenant's queued-jobs quota was full when this recipient arrived"));
                }
                // the last recipient tells the view how many there are, so "finished" is never premature
                boolean last = !recipients.hasNext() || count == config.limits().maxRecipients();
                Map<String, String> extra = last ? Map.of(ViewTopology.CAMPAIGN_RECIPIENTS, Long.toString(count))
                        : Map.of();
                acquire(permits);
                JobSubmitter.Pending pending = variant.reason() != null
                        ? submitter.publishRejection(tenant, jobId, variant.draft(), variant.reason(), trace, extra)
                        : submitter.publishAsync(tenant, jobId, variant.draft(), null, trace, extra);
                published++;
                Reason refusal = variant.reason() != null ? variant.reason() : pending.rejection();
                if (refusal != null) {
                    rejected.incrementAndGet();
                    if (rejections.size() < MAX_REPORTED_REJECTIONS) {
                        Map<String, Object> rej = new LinkedHashMap<>();
                        rej.put("line", r.line());
                        if (variant.draft().customId() != null) {
                            rej.put("custom_id", variant.draft().customId());
                        }
                        rej.put("job_id", jobId);
                        rej.put("code", refusal.code());
                        rej.put("message", refusal.message());
                        rejections.add(rej);
                    }
                } else {
                    queued.incrementAndGet();
                }
                pending.acked().whenComplete((ok, error) -> {
                    if (error != null) {
                        failure.compareAndSet(null, error);
                    }
                    permits.release();
                });
            }
        } finally {
            ticket.settled(published);
        }
        try {
            if (!permits.tryAcquire(inFlight, config.ackTimeoutMs(), TimeUnit.MILLISECONDS)) {
                throw ProblemException.unavailable("Kafka did not acknowledge campaign " + campaignId + " in time;"
                        + " GET /v1/campaigns/" + campaignId + " shows what was queued");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ProblemException.unavailable("interrupted");
        }
        if (failure.get() != null) {
            throw ProblemException.unavailable("Kafka refused part of campaign " + campaignId + ": "
                    + failure.get().getMessage() + "; GET /v1/campaigns/" + campaignId + " shows what was queued");
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("id", campaignId);
        summary.put("name", header.name());
        summary.put("status", "ACCEPTED");
        summary.put("recipients", count);
        summary.put("queued", queued.get());
        summary.put("rejected", rejected.get());
        if (ignored > 0) {
            summary.put("ignored", ignored);
            summary.put("ignored_reason", "more than " + config.limits().maxRecipients() + " recipients");
        }
        summary.put("rejections", rejections);
        summary.put("links", Map.of("self", "/v1/campaigns/" + campaignId, "results",
                "/v1/campaigns/" + campaignId + "/results", "cancel", "/v1/campaigns/" + campaignId + "/cancel"));
        Map<String, Object> known = new LinkedHashMap<>(summary);
        known.put("tenant", tenant);
        known.remove("rejections");
        recent.put(campaignId, known);
        return summary;
    }

    /** What this replica accepted lately (for GET before the view caught up), if the tenant's. */
    public Optional<Map<String, Object>> recent(String campaignId, String tenant) {
        Map<String, Object> known = recent.get(campaignId);
        return known != null && tenant.equals(known.get("tenant")) ? Optional.of(known) : Optional.empty();
    }

    /** Cancels every unfinished job of the campaign; false when there was none left. */
    public long cancel(String tenant, String campaignId) {
        TraceContext trace = Traces.current();
        String who = "tenant:" + tenant;
        java.time.Instant now = java.time.Instant.now();
        publisher.await(publisher.send(publisher.topics().control(), new ControlCommand(UUID.randomUUID().toString(),
                ControlAction.CANCEL_CAMPAIGN, tenant, null, campaignId, who, now, "cancelled by client"), trace));
        List<java.util.concurrent.CompletableFuture<?>> sends = new ArrayList<>();
        AtomicLong cancelled = new AtomicLong();
        view.campaignJobs(campaignId, kv -> view.job(kv.key, tenant).filter(v -> !v.terminal()).ifPresent(v -> {
            cancelled.incrementAndGet();
            sends.add(publisher.send(publisher.topics().audit(), new AuditEvent(UUID.randomUUID().toString(),
                    AuditType.CANCELLED, v.jobId(), campaignId, v.customId(), tenant, who, now, v.model(), null,
                    v.seed(), null, null, v.attempts(), Reason.of("CANCELLED_BY_CLIENT", "campaign cancelled"), null,
                    null, Map.of()), trace));
        }));
        publisher.await(java.util.concurrent.CompletableFuture.allOf(
                sends.toArray(java.util.concurrent.CompletableFuture[]::new)));
        return cancelled.get();
    }

    private record Variant(JobDraft draft, Reason reason) {}

    private Variant variant(Header h, Recipient r, String campaignId) {
        JobParser.Common c = h.common();
        if (r.problem() != null) {
            return new Variant(draft(c, null, null, campaignId, null), Reason.of("INVALID_RECIPIENT", r.problem()));
        }
        JsonNode node = r.node();
        if (node == null || !node.isObject()) {
            return new Variant(draft(c, null, null, campaignId, null),
                    Reason.of("INVALID_RECIPIENT", "a recipient must be a JSON object {custom_id, vars}"));
        }
        Fields f = new Fields();
        f.onlyKnown(node, "", Set.of("custom_id", "vars"));
        String customId = f.string(node, "custom_id", "", false, 1, 200);
        Map<String, String> vars = f.stringMap(node, "vars", "", 100, 64, 2000);
        if (!f.errors().isEmpty()) {
            var e = f.errors().get(0);
            return new Variant(draft(c, null, null, campaignId, customId),
                    Reason.of("INVALID_RECIPIENT", e.field() + ": " + e.message()));
        }
        Template.Rendered rendered = h.template().render(vars, h.params());
        if (!rendered.ok()) {
            return new Variant(draft(c, null, null, campaignId, customId), Reason.of("TEMPLATE_MISSING_VARIABLE",
                    "variable '" + rendered.missing() + "' is neither in vars nor in params"));
        }
        Fields inputFields = new Fields();
        TextInput input = JobParser.text(rendered.text(), h.input(), inputFields, "input.");
        return new Variant(draft(c, input, rendered.text(), campaignId, customId), null);
    }

    private static JobDraft draft(JobParser.Common c, TextInput input, String text, String campaignId, String customId) {
        return new JobDraft(c.model(), c.route(), input, c.priority(), c.deadline(), c.webhookUrl(), c.metadata(), text,
                campaignId, customId);
    }

    private static void acquire(Semaphore permits) {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ProblemException.unavailable("interrupted");
        }
    }
}
