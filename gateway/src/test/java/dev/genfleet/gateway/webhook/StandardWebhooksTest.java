package dev.genfleet.gateway.webhook;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class StandardWebhooksTest {

    @Test
    void shouldSignTheStandardWebhooksReferenceVector() {
        // the example of the Standard Webhooks libraries (same output from the npm package's sign())
        byte[] key = StandardWebhooks.decodeSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        assertEquals(
                "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
                StandardWebhooks.sign(
                        key,
                        "msg_p5jXN8AQM9LWM0D4loKWxJek",
                        1614265330L,
                        "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void shouldRoundTripSecretsAndDeriveStableMessageIds() {
        byte[] key = {1, 2, 3, 4, 5};
        String secret = StandardWebhooks.encodeSecret(key);
        assertTrue(secret.startsWith("whsec_"));
        assertArrayEquals(key, StandardWebhooks.decodeSecret(secret));
        assertEquals(
                StandardWebhooks.messageId("job.finished", "j1"), StandardWebhooks.messageId("job.finished", "j1"));
        assertNotEquals(
                StandardWebhooks.messageId("job.finished", "j1"),
                StandardWebhooks.messageId("campaign.finished", "j1"));
        assertTrue(StandardWebhooks.messageId("job.finished", "j1").matches("msg_[0-9a-f]{32}"));
    }

    @Test
    void shouldDeriveADistinctSecretPerTenantUnlessConfigured() {
        WebhookSecrets secrets = new WebhookSecrets("master", Map.of("t3", "whsec_AQIDBAU="));
        assertEquals(
                secrets.secret("t1"), new WebhookSecrets("master", Map.of()).secret("t1"), "stable across restarts");
        assertNotEquals(secrets.secret("t1"), secrets.secret("t2"));
        assertNotEquals(secrets.secret("t1"), new WebhookSecrets("other", Map.of()).secret("t1"));
        assertEquals("whsec_AQIDBAU=", secrets.secret("t3"));
    }

    @Test
    void shouldNeverCommitPastARecordWhoseDeliveryIsPending() {
        HeldOffsets offsets = new HeldOffsets();
        TopicPartition tp = new TopicPartition("genfleet.audit", 0);
        offsets.seen(tp, 10);
        HeldOffsets.Hold held = offsets.hold(tp, 11);
        offsets.seen(tp, 11);
        offsets.seen(tp, 12);
        assertEquals(Map.of(tp, new OffsetAndMetadata(11)), offsets.committable(List.of(tp)));
        assertEquals(Map.of(), offsets.committable(List.of(tp)), "nothing new to commit");
        held.release();
        held.release(); // idempotent
        assertEquals(Map.of(tp, new OffsetAndMetadata(13)), offsets.committable(List.of(tp)));
    }
}
