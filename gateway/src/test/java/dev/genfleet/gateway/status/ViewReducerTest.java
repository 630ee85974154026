package dev.genfleet.gateway.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genfleet.schemas.AuditEvent;
import dev.genfleet.schemas.AuditType;
import dev.genfleet.schemas.GenfleetPayload;
import dev.genfleet.schemas.Hashes;
import dev.genfleet.schemas.JobResult;
import dev.genfleet.schemas.JobStatus;
import dev.genfleet.schemas.Reason;
import dev.genfleet.schemas.TextOutput;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The state machine of the status view (status/DESIGN.md). The facts of one job on the audit topic come
 * in offset order; the result comes from another topic and may be read anywhere between them, so every
 * scenario is folded with the result at every position and must end in one and the same view. Times are
 * deliberately skewed (worker clocks behind the gateway's): no decision may depend on them.
 */
class ViewReducerTest {

    static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

    /** A gateway fact (no worker id): SUBMITTED, REJECTED, CANCELLED by the client. */
    static AuditEvent gateway(String id, AuditType type, int secs) {
        Reason reason = type == AuditType.CANCELLED
                ? Reason.of("CANCELLED_BY_CLIENT", "x")
                : type == AuditType.REJECTED ? Reason.of("POLICY_DENY_TERM", "no") : null;
        return new AuditEvent(
                id,
                type,
                "job-1",
                "camp",
                "c1",
                "t",
                type == AuditType.CANCELLED ? "tenant:t" : "gateway",
                T0.plusSeconds(secs),
                "copy-gpt",
                null,
                7L,
                "in",
                null,
                type == AuditType.REJECTED ? 0 : 1,
                reason,
                null,
                null,
                Map.of("request_sha256", "abc"));
    }

    /** A worker fact (worker id set): STARTED, FAILED, RETRIED, CANCELLED, … */
    static AuditEvent worker(String id, AuditType type, int secs, int attempt) {
        return worker(id, type, secs, attempt, null);
    }

    /** The worker's SUCCEEDED event for the output {@code text}, with its hash as the worker computes it. */
    static AuditEvent succeeded(String id, int secs, int attempt, String text) {
        return worker(id, AuditType.SUCCEEDED, secs, attempt, text);
    }

    static String sha(String text) {
        return Hashes.outputSha256(new TextOutput(text, "stop", 1, 1));
    }

    private static AuditEvent worker(String id, AuditType type, int secs, int attempt, String text) {
        Reason reason = type == AuditType.FAILED
                ? Reason.of("MODEL_ERROR", "oom")
                : type == AuditType.CANCELLED ? Reason.of("CANCELLED", "by control") : null;
        return new AuditEvent(
                id,
                type,
                "job-1",
                "camp",
                "c1",
                "t",
                "w",
                T0.plusSeconds(secs),
                "copy-gpt",
                "1",
                7L,
                "in",
                text == null ? null : sha(text),
                attempt,
                reason,
                "w",
                5L,
                Map.of());
    }

    static JobResult result(JobStatus status, int secs, String text) {
        return new JobResult(
                "job-1",
                "t",
                "camp",
                "c1",
                status,
                "copy-gpt",
                "1",
                status == JobStatus.SUCCEEDED ? new TextOutput(text, "stop", 1, 1) : null,
                status == JobStatus.SUCCEEDED ? null : Reason.of("CANCELLED", "by control"),
                1,
                T0.plusSeconds(secs - 1),
                T0.plusSeconds(secs),
                "w");
    }

    static JobView fold(List<GenfleetPayload> facts) {
        JobView v = null;
        for (GenfleetPayload f : facts) {
            v = f instanceof JobResult r ? ViewReducer.apply(v, r) : ViewReducer.apply(v, (AuditEvent) f);
        }
        return v;
    }

    /** Folds the audit log with the result read at every position; all must agree. */
    static JobView everyInterleaving(List<AuditEvent> auditLog, JobResult result) {
        JobView first = null;
        for (int at = 0; at <= auditLog.size(); at++) {
            List<GenfleetPayload> facts = new ArrayList<>(auditLog);
            facts.add(at, result);
            JobView v = fold(facts);
            if (first == null) {
                first = v;
            } else {
                assertEquals(first, v, "result read at position " + at);
            }
        }
        return first;
    }

    @Test
    void shouldKeepACancelBeforeStartWhateverTheWorkerCommitsLater() {
        // the client cancels while queued; a worker that had already taken the job starts and succeeds
        // (with a clock that runs ahead or behind: irrelevant)
        JobView v = everyInterleaving(
                List.of(
                        gateway("e1", AuditType.SUBMITTED, 0),
                        gateway("e2", AuditType.CANCELLED, 10),
                        worker("e3", AuditType.STARTED, -50, 1),
                        succeeded("e4", -40, 1, "late")),
                result(JobStatus.SUCCEEDED, -40, "late"));
        assertEquals("CANCELLED", v.status());
        assertTrue(v.terminal());
        assertEquals(ViewReducer.GATEWAY, v.decidedBy());
        assertNull(v.output(), "a cancelled job never shows output");
        assertNull(v.outputSha256());
        assertEquals("CANCELLED_BY_CLIENT", v.error().code());
        assertEquals(T0.plusSeconds(10), v.finishedAt());
        assertEquals(T0.plusSeconds(-50), v.startedAt(), "the late start is still recorded");
        assertEquals("cancelled", ViewReducer.bucket(v));
    }

    @Test
    void shouldLetTheWorkerDecideAJobItStartedBeforeTheCancel() {
        // STARTED precedes the cancel in the log: the cancel is a request; the worker's commit decides
        JobView v = everyInterleaving(
                List.of(
                        gateway("e1", AuditType.SUBMITTED, 0),
                        worker("e2", AuditType.STARTED, 100, 1),
                        gateway("e3", AuditType.CANCELLED, 5),
                        succeeded("e4", 101, 1, "finished anyway")),
                result(JobStatus.SUCCEEDED, 101, "finished anyway"));
        assertEquals("SUCCEEDED", v.status());
        assertEquals(ViewReducer.WORKER, v.decidedBy());
        assertEquals("finished anyway", ((TextOutput) v.output()).text());
        assertEquals(sha("finished anyway"), v.outputSha256());
        assertNull(v.error());
        assertEquals(T0.plusSeconds(101), v.finishedAt(), "the result's finish time");

        // the same, but the worker honours the cancel: its own CANCELLED outcome
        JobView c = everyInterleaving(
                List.of(
                        gateway("e1", AuditType.SUBMITTED, 0),
                        worker("e2", AuditType.STARTED, 1, 1),
                        gateway("e3", AuditType.CANCELLED, 2),
                        worker("e4", AuditType.CANCELLED, 3, 1)),
                result(JobStatus.CANCELLED, 3, null));
        assertEquals("CANCELLED", c.status());
        assertEquals(ViewReducer.WORKER, c.decidedBy());
        assertNull(c.output());
    }

    @Test
    void shouldHoldTheOutputHashFromTheResultBeforeItsAuditEventIsRead() {
        // a webhook or GET that reads the view between the result and the SUCCEEDED event of the same
        // transaction sees the output and its hash together
        JobView v = fold(List.of(
                gateway("e1", AuditType.SUBMITTED, 0),
                worker("e2", AuditType.STARTED, 1, 1),
                result(JobStatus.SUCCEEDED, 2, "committed copy")));
        assertEquals("SUCCEEDED", v.status());
        assertEquals(sha("committed copy"), v.outputSha256());
        // the audit event read afterwards changes nothing, and so does one whose hash disagrees: the result is
        // the authority for output and hash, wherever it is read
        assertEquals(
                v.outputSha256(),
                ViewReducer.apply(v, succeeded("e3", 2, 1, "committed copy")).outputSha256());
        JobView skewed = everyInterleaving(
                List.of(
                        gateway("e1", AuditType.SUBMITTED, 0),
                        worker("e2", AuditType.STARTED, 1, 1),
                        succeeded("e3", 2, 1, "something else")),
                result(JobStatus.SUCCEEDED, 2, "committed copy"));
        assertEquals(sha("committed copy"), skewed.outputSha256());
    }

    @Test
    void shouldShowACancelRequestedAfterStartAsStillRunning() {
        JobView v = fold(List.of(
                gateway("e1", AuditType.SUBMITTED, 0),
                worker("e2", AuditType.STARTED, 1, 1),
                gateway("e3", AuditType.CANCELLED, 2)));
        assertEquals("STARTED", v.status());
        assertFalse(v.terminal(), "only the worker's committed outcome ends a started job");
        assertEquals(
                List.of("SUBMITTED", "STARTED", "CANCELLED"),
                v.events().stream().map(JobView.Event::type).toList());
    }

    @Test
    void shouldKeepTheFirstCommittedOutcome() {
        JobView v = fold(List.of(
                gateway("e1", AuditType.SUBMITTED, 0),
                worker("e2", AuditType.STARTED, 1, 1),
                succeeded("e3", 2, 1, "first")));
        v = ViewReducer.apply(v, result(JobStatus.SUCCEEDED, 2, "first"));
        JobView again = ViewReducer.apply(v, result(JobStatus.SUCCEEDED, -100, "second, with an earlier clock"));
        assertSame(v, again, "a second result changes nothing");
        assertEquals("first", ((TextOutput) v.output()).text());
        // a cancel that raced past the finished job changes nothing either
        JobView after = ViewReducer.apply(v, gateway("e4", AuditType.CANCELLED, -100));
        assertEquals("SUCCEEDED", after.status());
        assertEquals("first", ((TextOutput) after.output()).text());
    }

    @Test
    void shouldLetTheGatewayRejectionStand() {
        JobView v = everyInterleaving(
                List.of(gateway("e1", AuditType.REJECTED, 0)), result(JobStatus.SUCCEEDED, -5, "rogue"));
        assertEquals("REJECTED", v.status());
        assertEquals(ViewReducer.GATEWAY, v.decidedBy());
        assertNull(v.output());
        assertEquals("POLICY_DENY_TERM", v.error().code());
        assertEquals("rejected", ViewReducer.bucket(v));
    }

    @Test
    void shouldReachTheSameViewThroughRetriesWhateverOrderTheTopicsAreReadIn() {
        JobView v = everyInterleaving(
                List.of(
                        gateway("e1", AuditType.SUBMITTED, 0),
                        worker("e2", AuditType.STARTED, 1, 1),
                        worker("e3", AuditType.FAILED, 2, 1),
                        worker("e4", AuditType.RETRIED, 2, 2),
                        worker("e5", AuditType.STARTED, 3, 2),
                        succeeded("e6", 4, 2, "after a retry")),
                result(JobStatus.SUCCEEDED, 4, "after a retry"));
        assertEquals("SUCCEEDED", v.status());
        assertEquals(2, v.attempts());
        assertNull(v.error(), "a success clears the retried failure");
        assertEquals(T0.plusSeconds(1), v.startedAt(), "the first start in the log");
        assertEquals(T0, v.submittedAt());
    }

    @Test
    void shouldIgnoreRepeatedEventsAndOtherTenants() {
        JobView v = ViewReducer.apply(null, gateway("e1", AuditType.SUBMITTED, 0));
        assertSame(v, ViewReducer.apply(v, gateway("e1", AuditType.SUBMITTED, 0)));
        AuditEvent foreign = new AuditEvent(
                "e9",
                AuditType.SUCCEEDED,
                "job-1",
                null,
                null,
                "other",
                "w",
                T0,
                null,
                null,
                null,
                null,
                null,
                1,
                null,
                "w",
                null,
                Map.of());
        assertSame(v, ViewReducer.apply(v, foreign));
        assertSame(
                v,
                ViewReducer.apply(
                        v,
                        new JobResult(
                                "job-1",
                                "other",
                                null,
                                null,
                                JobStatus.SUCCEEDED,
                                "m",
                                "1",
                                new TextOutput("x", "stop", 1, 1),
                                null,
                                1,
                                T0,
                                T0,
                                "w")));
        assertEquals("abc", v.requestSha256());
    }

    @Test
    void shouldBucketJobsForCampaignCounts() {
        JobView v = ViewReducer.apply(null, gateway("e1", AuditType.SUBMITTED, 0));
        assertEquals("queued", ViewReducer.bucket(v));
        v = ViewReducer.apply(v, worker("e2", AuditType.STARTED, 1, 1));
        assertEquals("running", ViewReducer.bucket(v));
        v = ViewReducer.apply(v, worker("e3", AuditType.FAILED, 2, 1));
        assertEquals("queued", ViewReducer.bucket(v), "a retryable failure waits for its retry");
        v = ViewReducer.apply(v, result(JobStatus.SUCCEEDED, 3, "ok"));
        assertEquals("succeeded", ViewReducer.bucket(v));
        assertEquals(
                List.of("SUBMITTED", "STARTED", "FAILED"),
                v.events().stream().map(JobView.Event::type).toList());
    }

    /**
     * DEAD_LETTERED at attempt 1, redriven, SUCCEEDED at attempt 2: the jobs topic (the record, the redrive's
     * record), the audit log and the results are each read in their own order, but interleaved every possible way
     * (756 ways), and every one ends in the same view: the new attempt's outcome, never the dead letter.
     */
    @Test
    void shouldShowTheRedrivenAttemptsOutcomeWhateverOrderTheThreeTopicsAreReadIn() {
        dev.genfleet.schemas.JobRequest record = new dev.genfleet.schemas.JobRequest(
                "job-1",
                "t",
                "camp",
                "c1",
                "copy-gpt",
                dev.genfleet.schemas.Priority.BULK,
                new dev.genfleet.schemas.TextInput("hi", 8, 1.0, 0, 1.0, List.of(), 7L),
                T0,
                null,
                1,
                null,
                null);
        List<Object> jobs = List.of(record, record.withAttempt(2));
        AuditEvent redriven = new AuditEvent(
                "r2",
                AuditType.REDRIVEN,
                "job-1",
                "camp",
                "c1",
                "t",
                "operator:maria",
                T0.plusSeconds(50),
                "copy-gpt",
                null,
                7L,
                "in",
                null,
                2,
                null,
                null,
                null,
                Map.of());
        List<Object> audit = List.of(
                worker("s1", AuditType.STARTED, 1, 1),
                worker("d1", AuditType.DEAD_LETTERED, 2, 1),
                redriven,
                worker("s2", AuditType.STARTED, 3, 2), // a worker clock behind the operator's
                succeeded("ok2", 4, 2, "second"));
        JobResult dead = new JobResult(
                "job-1",
                "t",
                "camp",
                "c1",
                JobStatus.DEAD_LETTERED,
                "copy-gpt",
                "1",
                null,
                Reason.of("MODEL_ERROR", "boom"),
                1,
                null,
                T0.plusSeconds(2),
                "w");
        JobResult ok = new JobResult(
                "job-1",
                "t",
                "camp",
                "c1",
                JobStatus.SUCCEEDED,
                "copy-gpt",
                "1",
                new TextOutput("second", "stop", 1, 1),
                null,
                2,
                T0.plusSeconds(3),
                T0.plusSeconds(4),
                "w");
        List<Object> results = List.of(dead, ok);
        List<List<Object>> orders = new ArrayList<>();
        merge(List.of(jobs, audit, results), new int[3], new ArrayList<>(), orders);
        assertEquals(756, orders.size());
        JobView first = null;
        for (List<Object> order : orders) {
            JobView v = null;
            for (Object fact : order) {
                v = fact instanceof JobResult r
                        ? ViewReducer.apply(v, r)
                        : fact instanceof AuditEvent e
                                ? ViewReducer.apply(v, e)
                                : ViewReducer.apply(
                                        v, (dev.genfleet.schemas.JobRequest) fact, "text", null, T0.plusSeconds(50));
            }
            assertEquals("SUCCEEDED", v.status(), () -> "order " + order);
            assertTrue(v.terminal());
            assertEquals(2, v.attempts());
            assertEquals(new TextOutput("second", "stop", 1, 1), v.output());
            assertEquals(sha("second"), v.outputSha256());
            assertNull(v.error());
            if (first == null) {
                first = v;
            }
            assertEquals(first.outcomeSubject(), v.outcomeSubject(), "one webhook id for the outcome, in any order");
            assertEquals(first.finishedAt(), v.finishedAt());
        }
    }

    private static void merge(List<List<Object>> seqs, int[] at, List<Object> prefix, List<List<Object>> out) {
        boolean done = true;
        for (int i = 0; i < seqs.size(); i++) {
            if (at[i] < seqs.get(i).size()) {
                done = false;
                prefix.add(seqs.get(i).get(at[i]++));
                merge(seqs, at, prefix, out);
                at[i]--;
                prefix.remove(prefix.size() - 1);
            }
        }
        if (done) {
            out.add(new ArrayList<>(prefix));
        }
    }

    @Test
    void shouldNotReopenAJobThatDidNotEndDeadLettered() {
        JobView v = ViewReducer.apply(null, gateway("e1", AuditType.SUBMITTED, 0));
        v = ViewReducer.apply(v, worker("e2", AuditType.STARTED, 1, 1));
        v = ViewReducer.apply(v, result(JobStatus.SUCCEEDED, 2, "ok"));
        JobView redriven = ViewReducer.reopen(v, 2, T0.plusSeconds(9));
        assertSame(v, redriven, "a succeeded job stays as it is");
        JobView rejected = ViewReducer.apply(null, gateway("x", AuditType.REJECTED, 0));
        assertSame(rejected, ViewReducer.reopen(rejected, 2, T0));
    }
}
