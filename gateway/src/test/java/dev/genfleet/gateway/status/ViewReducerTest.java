package dev.genfleet.gateway.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.genfleet.schemas.AuditEvent;
import dev.genfleet.schemas.AuditType;
import dev.genfleet.schemas.JobResult;
import dev.genfleet.schemas.JobStatus;
import dev.genfleet.schemas.Reason;
import dev.genfleet.schemas.TextOutput;

class ViewReducerTest {

    static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

    static AuditEvent audit(String id, AuditType type, int secs) {
        return new AuditEvent(id, type, "job-1", "camp", "c1", "t", "gateway", T0.plusSeconds(secs), "copy-gpt", "1",
                7L, null, null, 1, type == AuditType.CANCELLED ? Reason.of("CANCELLED_BY_CLIENT", "x") : null, null, null,
                Map.of("request_sha256", "abc"));
    }

    static JobResult success(int secs) {
        return new JobResult("job-1", "t", "camp", "c1", JobStatus.SUCCEEDED, "copy-gpt", "1",
                new TextOutput("hi", "stop", 1, 1), null, 1, T0, T0.plusSeconds(secs), "w");
    }

    @Test
    void shouldReachTheSameViewWhateverOrderTheTopicsAreReadIn() {
        AuditEvent submitted = audit("e1", AuditType.SUBMITTED, 0);
        AuditEvent started = audit("e2", AuditType.STARTED, 1);
        AuditEvent cancelled = audit("e3", AuditType.CANCELLED, 2);
        JobResult late = success(3);
        JobView a = ViewReducer.apply(ViewReducer.apply(ViewReducer.apply(ViewReducer.apply(null, submitted), started), cancelled), late);
        JobView b = ViewReducer.apply(ViewReducer.apply(ViewReducer.apply(ViewReducer.apply(null, late), cancelled), started), submitted);
        assertEquals("CANCELLED", a.status());
        assertEquals(a.status(), b.status());
        assertEquals(a.finishedAt(), b.finishedAt());
        assertEquals(a.submittedAt(), b.submittedAt());
        assertTrue(a.terminal() && b.terminal());
    }

    @Test
    void shouldIgnoreRepeatedEventsAndOtherTenants() {
        JobView v = ViewReducer.apply(null, audit("e1", AuditType.SUBMITTED, 0));
        assertSame(v, ViewReducer.apply(v, audit("e1", AuditType.SUBMITTED, 0)));
        AuditEvent foreign = new AuditEvent("e9", AuditType.SUCCEEDED, "job-1", null, null, "other", "w", T0, null, null,
                null, null, null, 1, null, null, null, Map.of());
        assertSame(v, ViewReducer.apply(v, foreign));
        assertEquals("abc", v.requestSha256());
    }

    @Test
    void shouldBucketJobsForCampaignCounts() {
        JobView v = ViewReducer.apply(null, audit("e1", AuditType.SUBMITTED, 0));
        assertEquals("queued", ViewReducer.bucket(v));
        v = ViewReducer.apply(v, audit("e2", AuditType.STARTED, 1));
        assertEquals("running", ViewReducer.bucket(v));
        v = ViewReducer.apply(v, audit("e3", AuditType.FAILED, 2));
        assertEquals("queued", ViewReducer.bucket(v), "a retryable failure waits for its retry");
        v = ViewReducer.apply(v, success(3));
        assertEquals("succeeded", ViewReducer.bucket(v));
        assertEquals(List.of("SUBMITTED", "STARTED", "FAILED"), v.events().stream().map(JobView.Event::type).toList());
    }
}
