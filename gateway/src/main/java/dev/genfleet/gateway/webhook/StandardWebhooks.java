package dev.genfleet.gateway.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The Standard Webhooks signature scheme (standardwebhooks.com): headers {@code webhook-id},
 * {@code webhook-timestamp} (Unix seconds) and {@code webhook-signature} = {@code v1,<base64 of
 * HMAC-SHA256(key, "<id>.<timestamp>.<body>")>}; the key travels to the receiver as
 * {@code whsec_<base64 key>}. Pure functions; verified against the reference npm package in WebhooksIT.
 */
public final class StandardWebhooks {

    public static final String ID = "webhook-id";
    public static final String TIMESTAMP = "webhook-timestamp";
    public static final String SIGNATURE = "webhook-signature";
    public static final String SECRET_PREFIX = "whsec_";

    private StandardWebhooks() {}

    /** The {@code webhook-signature} value of one delivery attempt. */
    public static String sign(byte[] key, String messageId, long timestampSeconds, byte[] body) {
        Mac mac = hmac(key);
        mac.update((messageId + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8));
        return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
    }

    /** HMAC-SHA256 of {@code data} under {@code key}. */
    public static byte[] hmacSha256(byte[] key, byte[] data) {
        return hmac(key).doFinal(data);
    }

    /** {@code whsec_<base64>} of a key. */
    public static String encodeSecret(byte[] key) {
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /** The key of a {@code whsec_<base64>} secret (the prefix is optional). */
    public static byte[] decodeSecret(String secret) {
        String b64 = secret.startsWith(SECRET_PREFIX) ? secret.substring(SECRET_PREFIX.length()) : secret;
        return Base64.getDecoder().decode(b64);
    }

    /**
     * The message id of an event about a subject (a job or campaign id): derived, not drawn, so every
     * retry, every replica and every restart sends the same id and receivers can deduplicate on it.
     */
    public static String messageId(String eventType, String subjectId) {
        UUID uuid = UUID.nameUUIDFromBytes(
                ("genfleet-webhook\n" + eventType + "\n" + subjectId).getBytes(StandardCharsets.UTF_8));
        return "msg_" + uuid.toString().replace("-", "");
    }

    private static Mac hmac(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
        }
    }
}
