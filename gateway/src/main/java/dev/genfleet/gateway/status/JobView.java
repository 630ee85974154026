package dev.genfleet.gateway.status;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.genfleet.schemas.JobOutput;
import dev.genfleet.schemas.Reason;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the gateway knows about one job, folded from {@code genfleet.audit} and
 * {@code genfleet.results} by {@link ViewReducer}. Stored as JSON in the view's RocksDB store.
 *
 * @param status an {@link dev.genfleet.schemas.AuditType} name: SUBMITTED, STARTED, FAILED (may be
 *        retried), RETRIED, SUCCEEDED, REJECTED, CANCELLED, EXPIRED, DEAD_LETTERED
 * @param requestSha256 hash of the client's request body (idempotency), or null
 * @param events the lifecycle in order of arrival, deduplicated by event id, at most {@link #MAX_EVENTS}
 * @param decidedBy who decided the terminal state: {@value ViewReducer#GATEWAY} (rejection, cancel before
 *        start) or {@value ViewReducer#WORKER} (its committed outcome); null while the job is open
 * @param workerSeen whether the job's audit log showed a worker fact (STARTED, FAILED, RETRIED or a worker's
 *        outcome): a gateway cancel read after that is a request to the worker, not a decision
 * @param resultSeen whether a result was read (the first committed result of the current attempt is the one kept)
 * @param reopenedAt the attempt at which an operator's redrive reopened the dead-lettered job (its job record or
 *        REDRIVEN event, or an outcome of that attempt read before them); worker facts of an older attempt change
 *        nothing. Null for a job never redriven
 * @param outcomeAttempt the attempt of the worker outcome that decided the job, or null
 */
public record JobView(
        String jobId,
        String tenant,
        String campaignId,
        String customId,
        String model,
        String modelVersion,
        String pool,
        String priority,
        String status,
        boolean terminal,
        Instant statusTime,
        Instant submittedAt,
        Instant startedAt,
        Instant finishedAt,
        int attempts,
        Long seed,
        String inputSha256,
        String outputSha256,
        String requestSha256,
        Reason error,
        JobOutput output,
        String workerId,
        List<Event> events,
        String decidedBy,
        boolean workerSeen,
        boolean resultSeen,
        Integer reopenedAt,
        Integer outcomeAttempt) {

    public static final int MAX_EVENTS = 64;

    @JsonCreator
    public JobView {
        events = events == null ? List.of() : List.copyOf(events);
    }

    /** The attempt below which worker facts are stale: {@link #reopenedAt}, 0 for a job never redriven. */
    @JsonIgnore
    public int floorAttempt() {
        return reopenedAt == null ? 0 : reopenedAt;
    }

    /**
     * What one outcome of this job is called in a {@code job.finished} webhook's id: the job id for a job never
     * redriven (as always), else the job id and the deciding outcome's attempt, so a redriven job's new outcome
     * is a new message and its receiver does not drop it as a repeat of the dead-lettered one.
     */
    @JsonIgnore
    public String outcomeSubject() {
        return reopenedAt == null ? jobId : jobId + "#attempt-" + (outcomeAttempt != null ? outcomeAttempt : attempts);
    }

    /** The webhook URL the job was submitted with (from its SUBMITTED or REJECTED event), or null. */
    @JsonIgnore
    public String webhookUrl() {
        for (Event e : events) {
            if (("SUBMITTED".equals(e.type()) || "REJECTED".equals(e.type()))
                    && e.details() != null
                    && e.details().get("webhook_url") != null) {
                return e.details().get("webhook_url");
            }
        }
        return null;
    }

    /** Whether a delivery of the webhook message {@code webhookId} succeeded or finally failed. */
    @JsonIgnore
    public boolean webhookSettled(String webhookId) {
        return events.stream()
                .anyMatch(e -> e.details() != null
                        && webhookId.equals(e.details().get("webhook_id"))
                        && ("WEBHOOK_DELIVERED".equals(e.type())
                                || "true".equals(e.details().get("final"))));
    }

    /** One lifecycle step as shown to clients and streamed over SSE. */
    public record Event(
            String eventId,
            String type,
            Instant time,
            int attempt,
            String actor,
            Reason reason,
            Map<String, String> details) {}
}
