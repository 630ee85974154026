package dev.genfleet.gateway.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genfleet.schemas.AuditEvent;
import dev.genfleet.schemas.AuditType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The campaign upload's state machine as the view folds it, and when a campaign counts as finished. */
class UploadStateTest {

    static AuditEvent event(AuditType type, String id, Map<String, String> details) {
        return AuditEvent.campaign(id, type, "t", "camp", "copy-gpt", "gateway", Instant.EPOCH, details);
    }

    static CampaignCounts.Upload fold(AuditEvent... events) {
        CampaignCounts.Upload u = null;
        for (AuditEvent e : events) {
            u = ViewTopology.foldUpload(u, e);
        }
        return u;
    }

    static final AuditEvent OPEN_1 =
            event(AuditType.CAMPAIGN_OPENED, "o1", Map.of("name", "n", "header_sha256", "h", "lease_ms", "5000"));
    static final AuditEvent OPEN_2 =
            event(AuditType.CAMPAIGN_OPENED, "o2", Map.of("header_sha256", "h", "resumed", "true"));
    static final AuditEvent LOST_1 =
            event(AuditType.CAMPAIGN_INCOMPLETE, "i1", Map.of("opened_event_id", "o1", "accepted", "7"));
    static final AuditEvent SEAL = event(
            AuditType.CAMPAIGN_SEALED, "s", Map.of("recipients", "10", "digest", "d", "queued", "9", "rejected", "1"));

    @Test
    void shouldMarkAnUploadIncompleteOnlyForTheOpeningItNames() {
        assertEquals(CampaignCounts.INCOMPLETE, fold(OPEN_1, LOST_1).state());
        assertEquals(7L, fold(OPEN_1, LOST_1).accepted());
        // a resumption (or a late renewal) after the mark opens it again; the old mark read late changes nothing
        assertEquals(CampaignCounts.UPLOADING, fold(OPEN_1, LOST_1, OPEN_2).state());
        assertEquals(CampaignCounts.UPLOADING, fold(OPEN_1, OPEN_2, LOST_1).state());
        assertEquals("h", fold(OPEN_1, LOST_1, OPEN_2).headerSha256());
        assertEquals(5000L, fold(OPEN_1, LOST_1, OPEN_2).leaseMs());
        // a second mark of the same opening with more recipients (the uploader's own, after a lagging replica's)
        AuditEvent more = event(AuditType.CAMPAIGN_INCOMPLETE, "i2", Map.of("opened_event_id", "o1", "accepted", "9"));
        AuditEvent fewer = event(AuditType.CAMPAIGN_INCOMPLETE, "i3", Map.of("opened_event_id", "o1", "accepted", "3"));
        assertEquals(9L, fold(OPEN_1, LOST_1, more).accepted());
        assertEquals(9L, fold(OPEN_1, more, fewer).accepted());
        assertEquals(CampaignCounts.INCOMPLETE, fold(OPEN_1, LOST_1, more).state());
    }

    @Test
    void shouldKeepTheFirstSealWhateverFollows() {
        CampaignCounts.Upload sealed = fold(
                OPEN_1,
                SEAL,
                LOST_1,
                OPEN_2,
                event(AuditType.CAMPAIGN_SEALED, "s2", Map.of("recipients", "99", "digest", "other")));
        assertTrue(sealed.sealed());
        assertEquals(10L, sealed.recipients());
        assertEquals("d", sealed.digest());
        assertTrue(fold(OPEN_1, LOST_1, OPEN_2, SEAL).sealed(), "a retry completes an incomplete upload");
    }

    @Test
    void shouldFinishACampaignOnlyWhenSealedAndEveryJobIsFinal() {
        CampaignCounts done = new CampaignCounts("t", Map.of("succeeded", 9L, "rejected", 1L));
        assertEquals("UPLOADING", done.withUpload(fold(OPEN_1)).status());
        assertEquals("INCOMPLETE", done.withUpload(fold(OPEN_1, LOST_1)).status());
        assertFalse(done.withUpload(fold(OPEN_1, LOST_1)).complete());
        CampaignCounts sealed = done.withUpload(fold(OPEN_1, SEAL));
        assertEquals(10L, sealed.expected());
        assertEquals("FINISHED", sealed.status());
        assertTrue(sealed.complete());
        CampaignCounts short1 =
                new CampaignCounts("t", Map.of("succeeded", 8L, "rejected", 1L)).withUpload(fold(OPEN_1, SEAL));
        assertEquals("RUNNING", short1.status(), "the view has not read every recipient yet");
        CampaignCounts running =
                new CampaignCounts("t", Map.of("succeeded", 9L, "running", 1L)).withUpload(fold(OPEN_1, SEAL));
        assertEquals("RUNNING", running.status());
        // partitions merge: the upload state sits in one of them
        CampaignCounts merged = new CampaignCounts("t", Map.of("succeeded", 4L))
                .merge(new CampaignCounts("t", Map.of("succeeded", 5L, "rejected", 1L)).withUpload(fold(OPEN_1, SEAL)));
        assertEquals("FINISHED", merged.status());
        assertNull(new CampaignCounts("t", Map.of("queued", 1L)).upload());
    }

    @Test
    void shouldExpireALeaseOnlyOnThisReplicasClock() {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        CampaignLeases leases = new CampaignLeases(now::get);
        leases.observed("camp", "t", fold(OPEN_1));
        now.addAndGet(4_000_000_000L);
        assertEquals(List.of(), leases.expired());
        leases.observed("camp", "t", fold(OPEN_1, OPEN_2)); // a renewal read: the lease starts again
        now.addAndGet(4_000_000_000L);
        assertEquals(List.of(), leases.expired());
        now.addAndGet(2_000_000_000L);
        assertEquals(1, leases.expired().size());
        assertEquals("o2", leases.expired().get(0).openedEventId());
        leases.observed("camp", "other", fold(OPEN_1, SEAL)); // another tenant's campaign with the same id
        assertEquals(1, leases.expired().size(), "another tenant's seal leaves this tenant's lease alone");
        leases.observed("camp", "t", fold(OPEN_1, SEAL));
        assertEquals(List.of(), leases.expired());
    }
}
