package dev.genfleet.gateway.api;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import dev.genfleet.gateway.GatewayConfig;
import dev.genfleet.gateway.campaign.BoundedLines;
import dev.genfleet.gateway.campaign.CampaignService;
import dev.genfleet.gateway.status.CampaignCounts;
import dev.genfleet.gateway.status.StatusView;
import dev.genfleet.gateway.tenant.CurrentTenant;
import dev.genfleet.schemas.TextOutput;

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
    @Operation(summary = "Create a campaign: {name, model, template:{prompt}, params, input, priority, ttl_seconds,"
            + " webhook, metadata, recipients:[{custom_id, vars}]}")
    public Response createJson(InputStream body) {
        JsonNode root = JsonBodies.object(JsonBodies.read(body, config.limits().maxCampaignJsonBytes()));
        JsonNode list = root.get("recipients");
        if (list == null || !list.isArray()) {
            throw ProblemException.invalid("recipients", "required: an array of {custom_id, vars}");
        }
        if (list.size() > config.limits().maxRecipients()) {
            throw ProblemException.invalid("recipients", "at most " + config.limits().maxRecipients() + " recipients");
        }
        CampaignService.Header header = campaigns.header(root);
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
        return accepted(campaigns.run(tenant.id(), header, recipients, (long) list.size()));
    }

    @POST
    @Consumes(NDJSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a campaign from a stream: line 1 is the header (as the JSON form, without"
            + " recipients), every further line one recipient {custom_id, vars}; held in constant memory")
    public Response createNdjson(InputStream body) throws IOException {
        if (body == null) {
            throw ProblemException.badRequest("request body is required");
        }
        BoundedLines lines = new BoundedLines(body, config.limits().maxNdjsonLineBytes());
        BoundedLines.Line first = lines.next();
        if (first == null) {
            throw ProblemException.badRequest("empty upload: line 1 must be the campaign header");
        }
        if (first.problem() != null) {
            throw ProblemException.badRequest("line 1: " + first.problem());
        }
        JsonNode headerNode;
        try {
            headerNode = JsonBodies.object(first.text().getBytes(StandardCharsets.UTF_8));
        } catch (ProblemException e) {
            throw ProblemException.badRequest("line 1 (the campaign header): " + e.getMessage());
        }
        if (headerNode.has("recipients")) {
            throw ProblemException.invalid("recipients", "in NDJSON uploads recipients follow the header, one per line");
        }
        CampaignService.Header header = campaigns.header(headerNode);
        Iterator<CampaignService.Recipient> recipients = new Iterator<>() {
            BoundedLines.Line next = advance();

            private BoundedLines.Line advance() {
                try {
                    return lines.next();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public CampaignService.Recipient next() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                BoundedLines.Line line = next;
                next = advance();
                if (line.problem() != null) {
                    return new CampaignService.Recipient(line.number(), null, line.problem());
                }
                try {
                    return new CampaignService.Recipient(line.number(), JsonBodies.mapper().readTree(line.text()), null);
                } catch (JsonProcessingException e) {
                    return new CampaignService.Recipient(line.number(), null, "malformed JSON: " + e.getOriginalMessage());
                }
            }
        };
        try {
            return accepted(campaigns.run(tenant.id(), header, recipients, null));
        } catch (UncheckedIOException e) {
            throw ProblemException.badRequest("upload interrupted: " + e.getCause().getMessage());
        }
    }

    @GET
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Counts by state: total, queued, running, succeeded, failed, rejected, cancelled, expired")
    public Map<String, Object> get(@PathParam("id") String id) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        var known = campaigns.recent(id, tenant.id());
        known.ifPresent(k -> out.put("name", k.get("name")));
        var counts = view.campaign(id, tenant.id());
        if (counts.isEmpty() && known.isEmpty()) {
            throw ProblemException.notFound("no campaign " + id);
        }
        if (counts.isPresent()) {
            out.put("status", counts.get().finished() ? "FINISHED" : "RUNNING");
            out.put("counts", counts.get().withTotal());
        } else {
            CampaignCounts accepted = new CampaignCounts(tenant.id(), Map.of(
                    "queued", ((Number) known.get().get("queued")).longValue(),
                    "rejected", ((Number) known.get().get("rejected")).longValue()));
            out.put("status", "RUNNING");
            out.put("counts", accepted.withTotal());
        }
        out.put("links", Map.of("results", "/v1/campaigns/" + id + "/results", "cancel", "/v1/campaigns/" + id + "/cancel"));
        return out;
    }

    @GET
    @Path("/{id}/results")
    @Produces(NDJSON)
    @Operation(summary = "One NDJSON line per recipient: custom_id, job_id, status, output or error; streamed")
    public Response results(@PathParam("id") String id) {
        requireCampaign(id);
        String owner = tenant.id();
        StreamingOutput stream = out -> {
            BufferedWriter w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
            view.campaignJobs(id, kv -> view.job(kv.key, owner).ifPresent(v -> {
                Map<String, Object> line = new LinkedHashMap<>();
                if (v.customId() != null) {
                    line.put("custom_id", v.customId());
                }
                line.put("job_id", v.jobId());
                line.put("status", v.status());
                if (v.output() instanceof TextOutput t) {
                    line.put("output", t.text());
                }
                if (v.error() != null) {
                    line.put("error", Map.of("code", v.error().code(), "message", v.error().message()));
                }
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
    public Response cancel(@PathParam("id") String id) {
        requireCampaign(id);
        long cancelled = campaigns.cancel(tenant.id(), id);
        if (cancelled == 0) {
            throw ProblemException.conflict("campaign " + id + " has no unfinished jobs");
        }
        return Response.accepted(Map.of("id", id, "status", "CANCELLING", "cancelled", cancelled)).build();
    }

    private void requireCampaign(String id) {
        if (view.campaign(id, tenant.id()).isEmpty()) {
            throw ProblemException.notFound("no campaign " + id);
        }
    }

    private static Response accepted(Map<String, Object> summary) {
        return Response.accepted(summary).location(URI.create("/v1/campaigns/" + summary.get("id"))).build();
    }
}
