package dev.genfleet.gateway.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.genfleet.schemas.AuditEvent;
import dev.genfleet.schemas.AuditType;
import dev.genfleet.schemas.JobRequest;
import dev.genfleet.schemas.Priority;
import dev.genfleet.schemas.TextInput;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The job record is the SUBMITTED fact, wherever it is read among the job's other facts and however often. */
class SubmittedFromJobRecordTest {

    static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");
    static final JobRequest JOB = new JobRequest(
            "j1",
            "t",
            "c1",
            "r-1",
            "copy-gpt",
            Priority.BULK,
            new TextInput("hi", 8, 1.0, 0, 1.0, List.of(), 77L),
            T0,
            null,
            1,
            "https://hooks.example.com/x",
            Map.of());

    static AuditEvent started() {
        return new AuditEvent(
                "e1",
                AuditType.STARTED,
                "j1",
                "c1",
                "r-1",
                "t",
                "w1",
                T0.plusSeconds(1),
                "copy-gpt",
                "1",
                77L,
                null,
                null,
                1,
                null,
                "w1",
                null,
                Map.of());
    }

    @Test
    void shouldFoldTheJobRecordAsSubmittedWithPoolHashAndWebhook() {
        JobView v = ViewReducer.apply(null, JOB, "text", "abc");
        assertEquals("SUBMITTED", v.status());
        assertEquals(T0, v.submittedAt());
        assertEquals("text", v.pool());
        assertEquals("bulk", v.priority());
        assertEquals(77L, v.seed());
        assertEquals("abc", v.requestSha256());
        assertEquals("https://hooks.example.com/x", v.webhookUrl());
        assertEquals("c1", v.campaignId());
        assertSame(v, ViewReducer.apply(v, JOB, "text", "abc"), "a second record of the job changes nothing");
    }

    @Test
    void shouldEndTheSameWhetherTheJobRecordIsReadBeforeOrAfterAWorkerFact() {
        JobView recordFirst = ViewReducer.apply(ViewReducer.apply(null, JOB, "text", null), started());
        JobView recordLast = ViewReducer.apply(ViewReducer.apply(null, started()), JOB, "text", null);
        for (JobView v : List.of(recordFirst, recordLast)) {
            assertEquals("STARTED", v.status());
            assertEquals(T0, v.submittedAt());
            assertEquals("text", v.pool());
            assertEquals(77L, v.seed());
        }
    }
}
