package dev.genfleet.gateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.genfleet.gateway.GatewayConfig;
import dev.genfleet.gateway.api.contract.Campaign;
import dev.genfleet.gateway.api.contract.CampaignAccepted;
import dev.genfleet.gateway.api.contract.CampaignCancelled;
import dev.genfleet.gateway.api.contract.CampaignResult;
import dev.genfleet.gateway.api.contract.CampaignSubmission;
import dev.genfleet.gateway.api.contract.JobError;
import dev.genfleet.gateway.api.contract.Quality;
import dev.genfleet.gateway.campaign.BoundedLines;
import dev.genfleet.gateway.campaign.CampaignService;
import dev.genfleet.gateway.refusal.Refusal;
import dev.genfleet.gateway.refusal.Refused;
import dev.genfleet.gateway.status.CampaignCounts;
import dev.genfleet.gateway.status.StatusView;
import dev.genfleet.gateway.tenant.ApiKeys;
import dev.genfleet.gateway.tenant.CurrentTenant;
import dev.genfleet.schemas.TextOutput;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedInputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Campaigns: one template, many recipients; JSON for small lists, streamed NDJSON for large ones. */
@Path("/v1/campaigns")
@Tag(name = "campaigns")
@SecurityRequirement(name = "apiKey")
public class CampaignsResource {

    public static final String NDJSON = "application/x-ndjson";

    @Inject
    CurrentTenant tenant;

    @Inject
    CampaignService campaigns;

    @Inject
    StatusView view;

    @Inject
    GatewayConfig config;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Create a campaign: {name, model, template:{prompt, brief}, params, input, priority,"
                    + " ttl_seconds, webhook, metadata, recipients:[{custom_id, vars}]}; custom_id required and"
                    + " unique. With an Idempotency-Key, the same key and body create it once (a retry resumes or"
                    + " replays it)",
            description = "template.prompt and the strings of template.brief {product, audience, benefit, offer,"
                    + " tone, name} hold {{variables}} filled per recipient from vars, then params; a recipient"
                    + " lacking one is rejected (TEMPLATE_MISSING_VARIABLE). input holds the generation settings"
                    + " and checks every job shares: max_tokens, temperature, top_k, top_p, stop, seed, require"
                    + " (strings, {{variables}} allowed), forbid_unstated_offers, best_of, quality.")
    @APIResponse(
            responseCode = "202",
            description = "the upload is sealed; the body says what was queued and rejected",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = CampaignAccepted.class)))
    @RequestBody(
            required = true,
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = CampaignSubmission.class)))
    public Response createJson(InputStream body, @HeaderParam("Idempotency-Key") String idempotencyKey) {
        checkKey(idempotencyKey);
        byte[] bytes = JsonBodies.read(body, config.limits().maxCampaignJsonBytes());
        JsonNode root = JsonBodies.object(bytes);
        JsonNode list = root.get("recipients");
        if (list == null || !list.isArray()) {
            throw Refused.invalid("recipients", "required: an array of {custom_id, vars}");
        }
        if (list.size() > config.limits().maxRecipients()) {
            throw Refused.invalid("recipients", "at most " + config.limits().maxRecipients() + " recipients");
        }
        CampaignService.Header header = campaigns.header(root);
        CampaignService.requireUniqueCustomIds(list);
        ObjectNode headerOnly = ((ObjectNode) root).deepCopy();
        headerOnly.remove("recipients");
        Iterator<JsonNode> nodes = list.elements();
        long[] index = {0};
        Iterator<CampaignService.Recipient> recipients = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return nodes.hasNext();
            }

            @Override
            public CampaignService.Recipient next() {
                return new CampaignService.Recipient(++index[0], nodes.next(), null);
            }
        };
        String digest = ApiKeys.sha256Hex(bytes);
        return accepted(campaigns.run(new CampaignService.Upload(
                tenant.id(),
                header,
                sha256(headerOnly.toString()),
                recipients,
                (long) list.size(),
                idempotencyKey,
                () -> digest,
                () -> {})));
    }

    @POST
    @Consumes(NDJSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary =
                    "Create a campaign from a stream: line 1 is the header (as the JSON form, without"
                            + " recipients), every further line one recipient {custom_id, vars}; held in constant memory. Sealed only"
                            + " when the whole body arrived and no custom_id repeats; with an Idempotency-Key a retry resumes it")
    @APIResponse(
            responseCode = "202",
            description = "the upload is sealed; the body says what was queued and rejected",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = CampaignAccepted.class)))
    public Response createNdjson(
            InputStream body,
            @HeaderParam("Idempotency-Key") String idempotencyKey,
            @HeaderParam("Content-Length") String contentLength)
            throws IOException {
        checkKey(idempotencyKey);
        if (body == null) {
            throw Refused.malformed("request body is required");
        }
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        long[] read = {0};
        InputStream counted = new DigestInputStream(body, sha) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    read[0]++;
                }
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                int n = super.read(buf, off, len);
                if (n > 0) {
                    read[0] += n;
                }
                return n;
            }
        };
        BoundedLines lines = new BoundedLines(
                new BufferedInputStream(counted, 64 * 1024), config.limits().maxNdjsonLineBytes());
        BoundedLines.Line first = lines.next();
        if (first == null) {
            throw Refused.malformed("empty upload: line 1 must be the campaign header");
        }
        if (first.problem() != null) {
            throw Refused.malformed("line 1: " + first.problem());
        }
        JsonNode headerNode;
        try {
            headerNode = JsonBodies.object(first.text().getBytes(StandardCharsets.UTF_8));
        } catch (Refused e) {
            throw Refused.malformed("line 1 (the campaign header): " + e.getMessage());
        }
        if (headerNode.has("recipients")) {
            throw Refused.invalid("recipients", "in NDJSON uploads recipients follow the header, one per line");
        }
        CampaignService.Header header = campaigns.header(headerNode);
        Iterator<CampaignService.Recipient> recipients = new Iterator<>() {
            // read lazily: a line is published as soon as it arrived, not when the next one does
            BoundedLines.Line next;
            boolean end;

            @Override
            public boolean hasNext() {
                if (next == null && !end) {
                    try {
                        next = lines.next();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    end = next == null;
                }
                return next != null;
            }

            @Override
            public CampaignService.Recipient next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                BoundedLines.Line line = next;
                next = null;
                if (line.problem() != null) {
                    return new CampaignService.Recipient(line.number(), null, line.problem());
                }
                try {
                    return new CampaignService.Recipient(
                            line.number(), JsonBodies.mapper().readTree(line.text()), null);
                } catch (JsonProcessingException e) {
                    return new CampaignService.Recipient(
                            line.number(), null, "malformed JSON: " + e.getOriginalMessage());
                }
            }
        };
        long declared = parseLength(contentLength);
        // a body cut short (client gone, proxy reset) must never seal: a declared length must have arrived whole;
        // a chunked body that loses its connection ends in an IOException from the stream (upload interrupted)
        Runnable requireWholeBody = () -> {
            if (declared >= 0 && read[0] < declared) {
                throw Refused.malformed(
                        "upload interrupted: the body ended after " + read[0] + " of " + declared + " bytes");
            }
        };
        return accepted(campaigns.run(new CampaignService.Upload(
                tenant.id(),
                header,
                sha256(headerNode.toString()),
                recipients,
                null,
                idempotencyKey,
                () -> HexFormat.of().formatHex(sha.digest()),
                requireWholeBody)));
    }

    private static long parseLength(String contentLength) {
        if (contentLength == null) {
            return -1;
        }
        try {
            return Long.parseLong(contentLength.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void checkKey(String idempotencyKey) {
        if (idempotencyKey != null && !idempotencyKey.matches("[\\x21-\\x7e]{1,255}")) {
            throw new Refused(new Refusal.Malformed(
                    "Idempotency-Key must be 1 to 255 visible ASCII characters",
                    List.of(new Refusal.FieldError("Idempotency-Key", "invalid"))));
        }
    }

    private static String sha256(String text) {
        return ApiKeys.sha256Hex(text.getBytes(StandardCharsets.UTF_8));
    }

    @GET
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Counts by state: total, queued, running, succeeded, failed, rejected, cancelled, expired")
    @APIResponse(
            responseCode = "200",
            description = "the campaign",
            content =
                    @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Campaign.class)))
    public Campaign get(@PathParam("id") String id) {
        var known = campaigns.recent(id, tenant.id());
        var counts = view.campaign(id, tenant.id());
        if (counts.isEmpty() && known.isEmpty()) {
            throw Refused.notFound("no campaign " + id);
        }
        String name = known.map(CampaignService.Summary::name).orElse(null);
        if (counts.isEmpty()) {
            // accepted here, not yet read by the view
            CampaignCounts accepted = new CampaignCounts(
                    tenant.id(),
                    Map.of(
                            "queued", known.get().queued(),
                            "rejected", known.get().rejected()));
            return new Campaign(
                    id,
                    name,
                    "RUNNING",
                    null,
                    null,
                    null,
                    Campaign.Counts.of(accepted.withTotal()),
                    Campaign.Links.of(id));
        }
        CampaignCounts c = counts.get();
        Boolean sealed = null;
        Long recipients = null;
        Long accepted = null;
        if (c.upload() != null) {
            if (c.upload().name() != null) {
                name = c.upload().name();
            }
            sealed = c.upload().sealed();
            if (sealed) {
                recipients = c.upload().recipients();
            } else {
                // what the mark said, or more once the view read recipients the marking replica had not yet
                accepted =
                        Math.max(c.upload().accepted() == null ? 0 : c.upload().accepted(), c.total());
            }
        }
        return new Campaign(
                id,
                name,
                c.status(),
                sealed,
                recipients,
                accepted,
                Campaign.Counts.of(c.withTotal()),
                Campaign.Links.of(id));
    }

    @GET
    @Path("/{id}/results")
    @Produces(NDJSON)
    @Operation(
            summary = "One NDJSON line per recipient: custom_id, job_id, status, output (and quality, when the"
                    + " job's output was checked) or error; streamed")
    @APIResponse(
            responseCode = "200",
            description = "one CampaignResult per line",
            content = @Content(mediaType = NDJSON, schema = @Schema(implementation = CampaignResult.class)))
    public Response results(@PathParam("id") String id) {
        requireCampaign(id);
        String owner = tenant.id();
        StreamingOutput stream = out -> {
            BufferedWriter w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
            view.campaignJobs(
                    id,
                    kv -> view.job(kv.key, owner).ifPresent(v -> {
                        CampaignResult line = new CampaignResult(
                                v.customId(),
                                v.jobId(),
                                v.status(),
                                v.output() instanceof TextOutput t ? t.text() : null,
                                v.output() instanceof TextOutput t ? Quality.of(t.quality()) : null,
                                JobError.of(v.error()));
                        try {
                            w.write(JsonBodies.mapper().writeValueAsString(line));
                            w.write('\n');
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }));
            w.flush();
        };
        return Response.ok(stream, NDJSON).build();
    }

    @POST
    @Path("/{id}/cancel")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Cancel every unfinished job of the campaign; 409 when all have finished")
    @APIResponse(
            responseCode = "202",
            description = "a cancel was published for every unfinished job",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = CampaignCancelled.class)))
    public Response cancel(@PathParam("id") String id) {
        requireCampaign(id);
        long cancelled = campaigns.cancel(tenant.id(), id);
        if (cancelled == 0) {
            throw Refused.conflict("campaign " + id + " has no unfinished jobs");
        }
        return Response.accepted(CampaignCancelled.of(id, cancelled)).build();
    }

    private void requireCampaign(String id) {
        if (view.campaign(id, tenant.id()).isEmpty()) {
            throw Refused.notFound("no campaign " + id);
        }
    }

    private static Response accepted(CampaignService.Outcome outcome) {
        CampaignService.Summary s = outcome.summary();
        CampaignAccepted body = new CampaignAccepted(
                s.id(),
                s.name(),
                CampaignAccepted.ACCEPTED,
                true,
                s.recipients(),
                s.queued(),
                s.rejected(),
                s.ignored() > 0 ? s.ignored() : null,
                s.ignoredReason(),
                s.rejections().stream()
                        .map(j -> new CampaignAccepted.Rejection(
                                j.line(), j.customId(), j.jobId(), j.code(), j.message()))
                        .toList(),
                s.digest(),
                CampaignAccepted.Links.of(s.id()));
        Response.ResponseBuilder r = Response.accepted(body).location(URI.create("/v1/campaigns/" + s.id()));
        if (outcome.replay()) {
            r.header("Idempotent-Replayed", "true");
        }
        return r.build();
    }
}
