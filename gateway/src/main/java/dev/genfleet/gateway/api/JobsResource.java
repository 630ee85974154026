package dev.genfleet.gateway.api;

import dev.genfleet.gateway.GatewayConfig;
import dev.genfleet.gateway.api.contract.Job;
import dev.genfleet.gateway.api.contract.JobSubmission;
import dev.genfleet.gateway.blob.StoredBlob;
import dev.genfleet.gateway.blob.StoredOutputs;
import dev.genfleet.gateway.refusal.Refusal;
import dev.genfleet.gateway.refusal.Refused;
import dev.genfleet.gateway.status.JobView;
import dev.genfleet.gateway.status.StatusView;
import dev.genfleet.gateway.status.ViewReach;
import dev.genfleet.gateway.submit.EventPublisher;
import dev.genfleet.gateway.submit.JobDraft;
import dev.genfleet.gateway.submit.JobIds;
import dev.genfleet.gateway.submit.JobParser;
import dev.genfleet.gateway.submit.JobSubmitter;
import dev.genfleet.gateway.submit.Traces;
import dev.genfleet.gateway.tenant.ApiKeys;
import dev.genfleet.gateway.tenant.CurrentTenant;
import dev.genfleet.schemas.AuditEvent;
import dev.genfleet.schemas.ControlAction;
import dev.genfleet.schemas.ControlCommand;
import dev.genfleet.schemas.ImageArtifact;
import dev.genfleet.schemas.ImageOutput;
import dev.genfleet.schemas.ReasonCode;
import dev.genfleet.schemas.TextOutput;
import io.smallrye.mutiny.Multi;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Single jobs: submit, status, output, cancel, lifecycle events. */
@Path("/v1/jobs")
@Tag(name = "jobs")
@SecurityRequirement(name = "apiKey")
public class JobsResource {

    /** Header of a checked text job's {@code /output}: whether the copy passed its checks. */
    public static final String QUALITY_PASSED = "Quality-Passed";

    @Inject
    CurrentTenant tenant;

    @Inject
    JobParser parser;

    @Inject
    JobSubmitter submitter;

    @Inject
    StatusView view;

    @Inject
    ViewReach reach;

    /** How long a cancel waits for this replica's view to read it, so its answer is the log's verdict. */
    static final Duration CANCEL_VERDICT_WAIT = Duration.ofSeconds(2);

    @Inject
    EventPublisher publisher;

    @Inject
    GatewayConfig config;

    @Inject
    Sse sse;

    @Inject
    StoredOutputs storedOutputs;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Submit a job", description = "202 only after Kafka acknowledged the job (acks=all).")
    @RequestBody(
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = JobSubmission.class)))
    @APIResponse(
            responseCode = "202",
            description = "accepted; the body is the job",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Job.class)))
    @APIResponse(
            responseCode = "422",
            description = "invalid request, unknown model or refused by content policy",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response submit(InputStream body, @HeaderParam("Idempotency-Key") String idempotencyKey) {
        if (idempotencyKey != null && !idempotencyKey.matches("[\\x21-\\x7e]{1,255}")) {
            throw new Refused(new Refusal.Malformed(
                    "Idempotency-Key must be 1 to 255 visible ASCII characters",
                    List.of(new Refusal.FieldError("Idempotency-Key", "invalid"))));
        }
        byte[] bytes = JsonBodies.read(body, config.limits().maxBodyBytes());
        // the id comes first: the job's default seed derives from it, so a retry is the same job on any replica
        String jobId = idempotencyKey == null ? UUID.randomUUID().toString() : JobIds.job(tenant.id(), idempotencyKey);
        JobDraft draft = parser.parse(JsonBodies.object(bytes), jobId);
        JobSubmitter.Submitted submitted =
                submitter.submit(tenant.id(), jobId, draft, idempotencyKey != null, ApiKeys.sha256Hex(bytes));
        Response.ResponseBuilder r = Response.accepted(JobJson.of(submitted.view()))
                .location(URI.create("/v1/jobs/" + submitted.view().jobId()));
        if (submitted.replay()) {
            r.header("Idempotent-Replayed", "true");
        }
        return r.build();
    }

    @GET
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Status of a job: timestamps, attempts, model, output or error, provenance")
    @APIResponse(
            responseCode = "200",
            description = "the job",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Job.class)))
    public Job get(@PathParam("id") String id) {
        return JobJson.of(owned(id));
    }

    @GET
    @Path("/{id}/output")
    @Produces({MediaType.TEXT_PLAIN, "image/png", MediaType.APPLICATION_JSON})
    @Operation(
            summary = "The output itself: text/plain, or image/png (?index= for several images)",
            description = "A checked text job's answer carries the header Quality-Passed: true or false"
                    + " (the job's output.quality has the details). A claim-checked image is served from the"
                    + " blob store like an inline one (502 output-unavailable when its bytes are missing or"
                    + " do not match its sha256), or answered with 303 to its ref when that is an http(s) URL.")
    public Response output(@PathParam("id") String id, @QueryParam("index") String index) {
        JobView v = owned(id);
        if (v.output() == null) {
            String why = v.error() != null
                    ? " (" + v.error().code() + ": " + v.error().message() + ")"
                    : "";
            throw Refused.conflict("job " + id + " has no output; status " + v.status() + why);
        }
        if (v.output() instanceof TextOutput t) {
            Response.ResponseBuilder r = Response.ok(t.text(), MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8"));
            if (t.quality() != null) {
                // a best_effort job may succeed with copy that failed its checks: say so beside the text
                r.header(QUALITY_PASSED, Boolean.toString(t.quality().passed()));
            }
            return r.build();
        }
        ImageOutput images = (ImageOutput) v.output();
        int i;
        try {
            i = index == null ? 0 : Integer.parseInt(index);
        } catch (NumberFormatException e) {
            throw Refused.invalid("index", "must be an integer");
        }
        if (i < 0 || i >= images.images().size()) {
            throw Refused.notFound("job " + id + " has " + images.images().size() + " images; no index " + i);
        }
        ImageArtifact a = images.images().get(i);
        Response.ResponseBuilder r;
        if (a.data() != null) {
            r = Response.ok(a.data(), a.mediaType());
        } else {
            // claim-checked: the blob store's bytes (checked against the sha256), or a URL the client fetches itself
            StoredOutputs.Location where = storedOutputs.locate(a.ref(), a.sha256());
            if (where instanceof StoredOutputs.Elsewhere elsewhere) {
                return Response.seeOther(elsewhere.url()).build();
            }
            StoredBlob blob = ((StoredOutputs.Stored) where).blob();
            r = Response.ok((StreamingOutput) blob::copyTo, a.mediaType())
                    .header(HttpHeaders.CONTENT_LENGTH, blob.size());
        }
        return r.header("Digest", "sha-256=" + a.sha256())
                .header("ETag", "\"" + a.sha256() + "\"")
                .build();
    }

    @POST
    @Path("/{id}/cancel")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Cancel a job; 409 once it finished",
            description = "A job no worker has started is CANCELLED;"
                    + " for a started job the cancel is a request and the worker's committed outcome decides."
                    + " The 202 body is the job once this replica's view has read the cancel (at most 2 s):"
                    + " CANCELLED and terminal when the cancel decided; otherwise the job as it stands, not"
                    + " terminal.")
    @APIResponse(
            responseCode = "202",
            description = "the cancel was published; the body is the job as it stands",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Job.class)))
    public Response cancel(@PathParam("id") String id) {
        JobView v = owned(id);
        if (v.terminal()) {
            throw Refused.conflict("job " + id + " already finished with status " + v.status());
        }
        String who = "tenant:" + tenant.id();
        Instant now = Instant.now();
        ControlCommand command = new ControlCommand(
                UUID.randomUUID().toString(),
                ControlAction.CANCEL_JOB,
                tenant.id(),
                id,
                null,
                who,
                now,
                "cancelled by client");
        AuditEvent cancelled = AuditEvent.cancelled(
                UUID.randomUUID().toString(),
                new AuditEvent.Subject(id, v.campaignId(), v.customId(), tenant.id(), v.model(), v.seed()),
                who,
                now,
                v.attempts(),
                ReasonCode.CANCELLED_BY_CLIENT.reason("cancelled by client"));
        var trace = Traces.current();
        RecordMetadata audit = publisher
                .sendAllAndWait(List.of(
                        new EventPublisher.Outgoing(publisher.topics().control(), command, trace),
                        new EventPublisher.Outgoing(publisher.topics().audit(), cancelled, trace)))
                .get(1);
        // The answer is the log's verdict, not a guess: the cancel decides only if no worker fact precedes it in
        // the job's audit partition (status/DESIGN.md). Once this replica's view has read up to the cancel, the
        // job as the view holds it is that verdict; until then (a view behind, or the partition held by another
        // replica) the job stands as it was, not terminal, and GET tells the outcome later.
        boolean verdict = reach.awaitRead(
                new TopicPartition(audit.topic(), audit.partition()), audit.offset(), CANCEL_VERDICT_WAIT);
        Job body = JobJson.of(verdict ? view.job(id, tenant.id()).orElse(v) : v);
        return Response.accepted(body).build();
    }

    @GET
    @Path("/{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Server-Sent Events of the job's lifecycle; the stream ends after the final state")
    public Multi<OutboundSseEvent> events(@PathParam("id") String id) {
        owned(id);
        AtomicInteger sent = new AtomicInteger();
        AtomicBoolean finished = new AtomicBoolean();
        return Multi.createFrom()
                .ticks()
                .every(Duration.ofMillis(200))
                .select()
                .first(Duration.ofHours(1))
                .select()
                .first(t -> !finished.get())
                .onItem()
                .transformToIterable(t -> {
                    JobView v = view.job(id).orElse(null);
                    List<OutboundSseEvent> out = new ArrayList<>();
                    if (v == null) {
                        return out;
                    }
                    List<JobView.Event> events = v.events();
                    for (int i = sent.get(); i < events.size(); i++) {
                        JobView.Event e = events.get(i);
                        out.add(sse.newEventBuilder()
                                .id(e.eventId())
                                .name(e.type())
                                .mediaType(MediaType.APPLICATION_JSON_TYPE)
                                .data(JobJson.event(e))
                                .build());
                    }
                    sent.set(events.size());
                    if (v.terminal()) {
                        finished.set(true);
                        out.add(sse.newEventBuilder()
                                .name("end")
                                .mediaType(MediaType.APPLICATION_JSON_TYPE)
                                .data(JobJson.of(v))
                                .build());
                    }
                    return out;
                });
    }

    private JobView owned(String id) {
        if (id == null || id.length() > 200) {
            throw Refused.notFound("no job " + id);
        }
        return view.job(id, tenant.id()).orElseThrow(() -> Refused.notFound("no job " + id));
    }
}
