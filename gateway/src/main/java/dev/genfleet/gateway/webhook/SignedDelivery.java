package dev.genfleet.gateway.webhook;

import dev.genfleet.gateway.GatewayConfig;
import dev.genfleet.gateway.submit.JobParser;
import dev.genfleet.gateway.tenant.TenantSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Sends a delivery, signed per Standard Webhooks, until it settles (DESIGN.md, "Attempts: one deadline, a
 * queue per receiver" and "Retries and audit"). An attempt is asynchronous under one deadline that includes the
 * response body, queued in its receiver's {@link Lanes lane}; a failed one is retried after {@code backoff-ms},
 * doubling, up to {@code max-attempts} ({@code 410 Gone} and a private host stop at once). Every attempt is
 * audited; a settled delivery is reported and releases its offset.
 */
final class SignedDelivery {

    private static final Logger LOG = Logger.getLogger(SignedDelivery.class);

    private final GatewayConfig.Webhooks config;
    private final WebhookSecrets secrets;
    private final TenantSettings settings;
    private final DeliveryAudit audit;
    private final BooleanSupplier running;
    private final Consumer<String> settled;
    private final Lanes lanes;
    private HttpClient http;
    private ScheduledExecutorService timers;
    /** Address checks (DNS) and audit publishing: the blocking parts of a delivery, off the timer threads. */
    private ExecutorService blocking;

    /** {@code settled} hears each message id whose delivery ended (delivered, or failed for good). */
    SignedDelivery(
            GatewayConfig.Webhooks config,
            WebhookSecrets secrets,
            TenantSettings settings,
            DeliveryAudit audit,
            BooleanSupplier running,
            Consumer<String> settled) {
        this.config = config;
        this.secrets = secrets;
        this.settings = settings;
        this.audit = audit;
        this.running = running;
        this.settled = settled;
        this.lanes = new Lanes(Math.max(1, config.concurrencyPerEndpoint()));
    }

    /** Retries wait on {@code timers}; address checks and audits run on {@code blocking}. */
    void start(ScheduledExecutorService timers, ExecutorService blocking) {
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofMillis(config.timeoutMs()))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.timers = timers;
        this.blocking = blocking;
    }

    void deliver(Delivery d) {
        enqueue(d, 1);
    }

    /** Queues attempt {@code n} in its receiver's lane; it runs when the lane has a free slot. */
    private void enqueue(Delivery d, int n) {
        if (!running.getAsBoolean()) {
            return; // not settled: the offset stays uncommitted and the next owner delivers
        }
        lanes.submit(
                Lanes.key(d.job().tenant(), d.url()),
                () -> attempt(d, n)
                        .thenAcceptAsync(o -> settle(d, n, o), blocking)
                        .exceptionally(e -> {
                            LOG.warnf(e, "webhook %s attempt %d not settled", d.messageId(), n);
                            return null;
                        }));
    }

    /** What one attempt came to. */
    private record Attempt(int status, String error, boolean permanent, long durationMs) {}

    /**
     * One attempt, asynchronous: the address check runs on an I/O thread, the request on the HTTP client's
     * own; no thread waits for the receiver. The whole attempt, response body included, has one deadline
     * ({@code timeout-ms}); past it the exchange is cancelled and the attempt counts as failed.
     */
    private CompletableFuture<Attempt> attempt(Delivery d, int n) {
        long started = System.nanoTime();
        String tenant = d.job().tenant();
        CompletableFuture<Attempt> result = new CompletableFuture<>();
        AtomicReference<CompletableFuture<HttpResponse<Void>>> sending = new AtomicReference<>();
        result.completeOnTimeout(
                new Attempt(
                        0,
                        "timed out after " + config.timeoutMs() + " ms (deadline of the whole attempt,"
                                + " response body included)",
                        false,
                        config.timeoutMs()),
                config.timeoutMs(),
                TimeUnit.MILLISECONDS);
        result.whenComplete((a, e) -> {
            CompletableFuture<HttpResponse<Void>> s = sending.get();
            if (s != null) {
                s.cancel(true); // no-op once the exchange finished; else it aborts the exchange
            }
        });
        try {
            blocking.execute(() -> {
                try {
                    URI uri = URI.create(d.url());
                    if (!settings.allowPrivateWebhooks(tenant) && resolvesPrivate(uri.getHost())) {
                        result.complete(new Attempt(
                                0,
                                "the webhook host resolves to a loopback or private address",
                                true,
                                millisSince(started)));
                        return;
                    }
                    if (result.isDone()) {
                        return;
                    }
                    long timestamp = Instant.now().getEpochSecond();
                    HttpRequest request = HttpRequest.newBuilder(uri)
                            .timeout(Duration.ofMillis(config.timeoutMs()))
                            .header("Content-Type", "application/json")
                            .header("User-Agent", "genfleet-gateway-webhooks")
                            .header(StandardWebhooks.ID, d.messageId())
                            .header(StandardWebhooks.TIMESTAMP, Long.toString(timestamp))
                            .header(
                                    StandardWebhooks.SIGNATURE,
                                    StandardWebhooks.sign(secrets.key(tenant), d.messageId(), timestamp, d.body()))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(d.body()))
                            .build();
                    CompletableFuture<HttpResponse<Void>> s =
                            http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
                    sending.set(s);
                    if (result.isDone()) {
                        s.cancel(true);
                        return;
                    }
                    s.whenComplete((response, e) -> {
                        if (e == null) {
                            int status = response.statusCode();
                            boolean ok = status >= 200 && status <= 299;
                            result.complete(new Attempt(
                                    status, ok ? null : "HTTP " + status, status == 410, millisSince(started)));
                        } else {
                            Throwable cause =
                                    e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                            result.complete(new Attempt(0, describe(cause), false, millisSince(started)));
                        }
                    });
                } catch (IOException | RuntimeException e) { // unresolvable host, bad URL, client refused
                    result.complete(new Attempt(0, describe(e), false, millisSince(started)));
                }
            });
        } catch (RejectedExecutionException e) {
            result.complete(new Attempt(0, "shutting down", false, 0));
        }
        return result;
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000L;
    }

    private static String describe(Throwable e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    /** Audits an attempt; settles the delivery or schedules the next attempt (410 and private hosts stop). */
    private void settle(Delivery d, int n, Attempt a) {
        if (!running.getAsBoolean()) {
            return; // not settled: the offset stays uncommitted and the next owner delivers
        }
        boolean ok = a.error() == null;
        boolean last = ok || a.permanent() || n >= config.maxAttempts();
        audit.attempt(d, n, ok, last, a.status(), a.error(), a.durationMs());
        if (last) {
            settled.accept(d.messageId());
            d.hold().release();
            if (!ok) {
                LOG.infof(
                        "webhook %s %s to %s failed after %d attempts: %s",
                        d.event(), d.messageId(), d.url(), n, a.error());
            }
        } else {
            long delay = config.backoffMs() << Math.min(n - 1, 20);
            try {
                timers.schedule(() -> enqueue(d, n + 1), delay, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // shutting down: the offset stays uncommitted
            }
        }
    }

    private static boolean resolvesPrivate(String host) throws IOException {
        if (host == null) {
            return true;
        }
        for (InetAddress a : InetAddress.getAllByName(host)) {
            if (JobParser.isPrivate(a)) {
                return true;
            }
        }
        return false;
    }
}
