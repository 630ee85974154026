package dev.genfleet.e2e.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An NDJSON campaign upload as a client following the upload protocol of the README does it: one
 * {@code Idempotency-Key}; after a broken connection, a 409 (the upload's lease is live elsewhere) or a 5xx,
 * the same key and the same body again, after {@code Retry-After} where given, until 202. The first attempt
 * streams its lines slowly (so a gateway can be killed in its middle) and opens {@link #midway} once
 * {@code midwayAt} lines were sent.
 */
final class CampaignUploader implements Runnable {

    private static final ObjectMapper JSON = new ObjectMapper();

    final CountDownLatch midway = new CountDownLatch(1);
    final CountDownLatch done = new CountDownLatch(1);
    /** One line per attempt: its outcome as the client saw it. */
    final List<String> attempts = new CopyOnWriteArrayList<>();
    /** Campaign ids named by any answer (202 or problem). */
    final List<String> campaignIds = new CopyOnWriteArrayList<>();

    private final URI endpoint;
    private final String apiKey;
    private final String idempotencyKey;
    private final List<String> lines;
    private final int midwayAt;
    private final int firstAttemptLinesPerSecond;
    private final long deadlineNanos;
    private final AtomicInteger linesSentFirst = new AtomicInteger();
    private final long startNanos = System.nanoTime();
    private volatile JsonNode accepted;
    private volatile Throwable failure;

    CampaignUploader(
            URI gateway,
            String apiKey,
            String idempotencyKey,
            List<String> lines,
            int midwayAt,
            int firstAttemptLinesPerSecond,
            Duration deadline) {
        this.endpoint = gateway.resolve("/v1/campaigns");
        this.apiKey = apiKey;
        this.idempotencyKey = idempotencyKey;
        this.lines = lines;
        this.midwayAt = midwayAt;
        this.firstAttemptLinesPerSecond = firstAttemptLinesPerSecond;
        this.deadlineNanos = System.nanoTime() + deadline.toNanos();
    }

    @Override
    public void run() {
        try {
            for (int attempt = 1; accepted == null; attempt++) {
                if (System.nanoTime() > deadlineNanos) {
                    throw new IllegalStateException("upload not accepted before its deadline; attempts: " + attempts);
                }
                long pauseMs = attempt(attempt);
                if (accepted == null) {
                    Thread.sleep(pauseMs);
                }
            }
        } catch (Throwable t) {
            failure = t;
        } finally {
            midway.countDown();
            done.countDown();
        }
    }

    /** One POST; returns how long to wait before the next (when not accepted). */
    private long attempt(int attempt) throws InterruptedException {
        HttpURLConnection c = null;
        int sent = 0;
        try {
            c = (HttpURLConnection) endpoint.toURL().openConnection();
            c.setRequestMethod("POST");
            c.setDoOutput(true);
            c.setConnectTimeout(5_000);
            c.setReadTimeout(120_000);
            c.setChunkedStreamingMode(4096);
            c.setRequestProperty("Authorization", "Bearer " + apiKey);
            c.setRequestProperty("Content-Type", "application/x-ndjson");
            c.setRequestProperty("Idempotency-Key", idempotencyKey);
            boolean paced = attempt == 1;
            long start = System.nanoTime();
            try (OutputStream out = c.getOutputStream()) {
                for (String line : lines) {
                    out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                    sent++;
                    if (paced) {
                        linesSentFirst.set(sent);
                        if (sent % 20 == 0) {
                            out.flush();
                            long due = start + sent * 1_000_000_000L / firstAttemptLinesPerSecond;
                            long wait = due - System.nanoTime();
                            if (wait > 0) {
                                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                            }
                        }
                        if (sent == midwayAt) {
                            midway.countDown();
                        }
                    }
                }
            }
            int status = c.getResponseCode();
            InputStream stream = status < 400 ? c.getInputStream() : c.getErrorStream();
            JsonNode body = stream == null ? JSON.createObjectNode() : JSON.readTree(stream.readAllBytes());
            if (body.hasNonNull("campaign_id")) {
                campaignIds.add(body.get("campaign_id").asText());
            }
            String replayed = c.getHeaderField("Idempotent-Replayed");
            attempts.add(at() + "attempt " + attempt + ": HTTP " + status + (replayed != null ? " (replayed)" : "")
                    + " after " + sent + " lines: " + ChaosFleet.tail(body.toString(), 300));
            if (status == 202 || status == 200) {
                campaignIds.add(body.path("id").asText());
                accepted = body;
                return 0;
            }
            if (status == 409 || status == 429 || status >= 500 || status == 400) {
                // 409: the lease of the broken upload is still live; 400: the body was cut; 5xx: Kafka away
                long retryAfter = parseRetryAfter(c.getHeaderField("Retry-After"));
                return Math.max(1000, Math.min(15_000, retryAfter * 1000));
            }
            throw new IllegalStateException("upload refused: HTTP " + status + " " + body);
        } catch (IOException e) {
            attempts.add(at() + "attempt " + attempt + ": " + e.getClass().getSimpleName() + " after " + sent
                    + " lines: " + e.getMessage());
            return 1000;
        } finally {
            if (c != null) {
                c.disconnect();
            }
        }
    }

    private String at() {
        return "+" + (System.nanoTime() - startNanos) / 1_000_000_000 + " s ";
    }

    private static long parseRetryAfter(String value) {
        try {
            return value == null ? 1 : Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /** Lines the first, paced attempt had written when it ended. */
    int linesSentByFirstAttempt() {
        return linesSentFirst.get();
    }

    JsonNode accepted() {
        if (failure != null) {
            throw new AssertionError("the upload failed: " + failure, failure);
        }
        return accepted;
    }
}
