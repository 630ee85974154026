package dev.genfleet.gateway.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class CampaignCountsTest {

    @Test
    void shouldBeCompleteOnlyOnceEveryExpectedRecipientIsFinal() {
        CampaignCounts p0 = new CampaignCounts("t", Map.of("succeeded", 2L));
        CampaignCounts p1 = new CampaignCounts("t", Map.of("queued", 1L, "rejected", 1L)).withExpected(4);
        assertTrue(p0.finished(), "without a known total the old rule applies");
        assertFalse(p0.complete(), "but the campaign may still have unseen recipients");
        CampaignCounts sum = p0.merge(p1);
        assertEquals(4L, sum.expected());
        assertFalse(sum.finished());
        CampaignCounts done = p0.merge(p1.plus("queued", -1).plus("succeeded", 1));
        assertTrue(done.complete());
        assertEquals(null, done.notified());
        assertTrue(done.merge(new CampaignCounts("t", Map.of()).withNotified()).notified());
        assertFalse(
                new CampaignCounts("t", Map.of("succeeded", 1L)).withExpected(2).finished(), "one not yet seen");
    }
}
