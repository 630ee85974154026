package dev.genfleet.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each factory fills the fields its kind carries and leaves the others empty. */
class AuditEventFactoriesTest {

    private final JobRequest job = Samples.textJob();

    @Test
    void shouldStampAWorkersFactWithTheWorkerAndTheInputHash() {
        AuditEvent started = AuditEvent.started("e-1", job, "worker-1", "3", Samples.T0);

        assertEquals(AuditType.STARTED, started.type());
        assertEquals(job.jobId(), started.jobId());
        assertEquals(job.campaignId(), started.campaignId());
        assertEquals(job.customId(), started.customId());
        assertEquals(job.tenant(), started.tenant());
        assertEquals("worker-1", started.actor());
        assertEquals("worker-1", started.workerId());
        assertEquals("3", started.modelVersion());
        assertEquals(job.input().seed(), started.seed());
        assertEquals(Hashes.inputSha256(job.input()), started.inputSha256());
        assertEquals(job.attempt(), started.attempt());
        assertNull(started.reason());
        assertNull(started.outputSha256());
    }

    @Test
    void shouldCarryTheReasonOfADeadLetter() {
        Reason reason = ReasonCode.MODEL_ERROR.reason("inference failed 3 times");

        AuditEvent dead = AuditEvent.deadLettered("e-2", job, "worker-1", "3", Samples.T0, 3, reason);

        assertEquals(AuditType.DEAD_LETTERED, dead.type());
        assertEquals(3, dead.attempt());
        assertEquals(reason, dead.reason());
    }

    @Test
    void shouldRejectWithAttemptZeroAndNoWorker() {
        AuditEvent rejected = AuditEvent.rejected(
                "e-3",
                AuditEvent.Subject.of(job),
                "gateway",
                Samples.T0,
                Samples.SHA,
                ReasonCode.POLICY_DENY_TERM.reason("a denied term"),
                Map.of("field", "input.prompt"));

        assertEquals(AuditType.REJECTED, rejected.type());
        assertEquals(0, rejected.attempt());
        assertNull(rejected.workerId());
        assertEquals(Map.of("field", "input.prompt"), rejected.details());
    }

    @Test
    void shouldTellAFailedWebhookFromADeliveredOneByItsReason() {
        AuditEvent.Subject subject = AuditEvent.Subject.of(job);
        Reason failed = ReasonCode.WEBHOOK_DELIVERY_FAILED.reason("HTTP 500");

        assertEquals(
                AuditType.WEBHOOK_DELIVERED,
                AuditEvent.webhook("e-4", subject, "gateway", Samples.T0, "3", 1, null, 12L, Map.of())
                        .type());
        assertEquals(
                AuditType.WEBHOOK_FAILED,
                AuditEvent.webhook("e-5", subject, "gateway", Samples.T0, "3", 1, failed, 12L, Map.of())
                        .type());
    }

    @Test
    void shouldKeyACampaignEventByItsCampaignAndRefuseAJobType() {
        AuditEvent sealed = AuditEvent.campaign(
                "e-6", AuditType.CAMPAIGN_SEALED, "acme", "camp-1", "copy-gpt", "gateway", Samples.T0, Map.of());

        assertEquals("camp-1", sealed.jobId());
        assertEquals("camp-1", sealed.campaignId());
        assertThrows(
                IllegalArgumentException.class,
                () -> AuditEvent.campaign(
                        "e-7", AuditType.SUCCEEDED, "acme", "camp-1", "copy-gpt", "gateway", Samples.T0, Map.of()));
    }
}
