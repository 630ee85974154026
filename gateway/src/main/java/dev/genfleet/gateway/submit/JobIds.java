package dev.genfleet.gateway.submit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * Deterministic identity of what a client may send more than once. Every id is a name-based UUID of what
 * identifies the request, so any replica, before or after a restart, derives the same id from the same
 * request; a job's default seed derives from its id, so a retried job is the same job with the same seed.
 *
 * <ul>
 * <li>a single job with an {@code Idempotency-Key}: (tenant, key);</li>
 * <li>a campaign with an {@code Idempotency-Key}: (tenant, key), in a namespace of its own;</li>
 * <li>a campaign recipient: (campaign, custom_id), or (campaign, line number) for an NDJSON line whose
 * custom_id cannot be read (it is rejected, and a retry of the same body rejects the same job id).</li>
 * </ul>
 */
public final class JobIds {

    /** Seeds the gateway chooses stay below 2^53 so JavaScript clients read them exactly. */
    public static final long SEED_BOUND = 1L << 53;

    private JobIds() {}

    /** The job id of a single job sent with an {@code Idempotency-Key} (unchanged since the first release). */
    public static String job(String tenant, String idempotencyKey) {
        return name("genfleet-idempotency\n" + tenant + "\n" + idempotencyKey);
    }

    /** The campaign id of an upload sent with an {@code Idempotency-Key}. */
    public static String campaign(String tenant, String idempotencyKey) {
        return name("genfleet-campaign\n" + tenant + "\n" + idempotencyKey);
    }

    /** The job id of a campaign recipient. */
    public static String recipient(String campaignId, String customId) {
        return name("genfleet-recipient\n" + campaignId + "\ncustom_id\n" + customId);
    }

    /** The job id of an NDJSON line without a readable custom_id (always a rejected recipient). */
    public static String line(String campaignId, long line) {
        return name("genfleet-recipient\n" + campaignId + "\nline\n" + line);
    }

    /** A deterministic audit event id: the same fact published twice is one event to every reader. */
    public static String event(String subject, String fact) {
        return name("genfleet-event\n" + subject + "\n" + fact);
    }

    /** The default seed of a job: from its id, in [0, 2^53). */
    public static long seed(String jobId) {
        byte[] digest = sha256(("genfleet-seed\n" + jobId).getBytes(StandardCharsets.UTF_8));
        return ByteBuffer.wrap(digest).getLong() & (SEED_BOUND - 1);
    }

    private static String name(String text) {
        return UUID.nameUUIDFromBytes(text.getBytes(StandardCharsets.UTF_8)).toString();
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
