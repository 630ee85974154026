package dev.genfleet.gateway.webhook;

import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Per-receiver queues: at most {@code limit} attempts of one lane in flight; the rest wait in the lane's
 * queue, in order. Lanes exist while they have work. A slow receiver fills only its own lane.
 */
final class Lanes {
    private final int limit;
    private final Map<String, Lane> lanes = new HashMap<>();

    private static final class Lane {
        final ArrayDeque<Supplier<CompletableFuture<?>>> queue = new ArrayDeque<>();
        int active;
    }

    /** One lane per receiver: the tenant and the origin (scheme, host, port) of the URL. */
    static String key(String tenant, String url) {
        try {
            URI u = URI.create(url);
            return tenant + " " + u.getScheme() + "://" + u.getHost() + ":" + u.getPort();
        } catch (IllegalArgumentException e) {
            return tenant + " " + url;
        }
    }

    Lanes(int limit) {
        this.limit = limit;
    }

    void submit(String key, Supplier<CompletableFuture<?>> task) {
        List<Supplier<CompletableFuture<?>>> start;
        synchronized (this) {
            lanes.computeIfAbsent(key, k -> new Lane()).queue.add(task);
            start = take(key);
        }
        run(key, start);
    }

    /** Attempts in flight plus queued, over all lanes (for tests and diagnostics). */
    synchronized int pending() {
        int n = 0;
        for (Lane l : lanes.values()) {
            n += l.active + l.queue.size();
        }
        return n;
    }

    private List<Supplier<CompletableFuture<?>>> take(String key) {
        Lane lane = lanes.get(key);
        List<Supplier<CompletableFuture<?>>> out = new ArrayList<>();
        while (lane != null && lane.active < limit && !lane.queue.isEmpty()) {
            lane.active++;
            out.add(lane.queue.poll());
        }
        if (lane != null && lane.active == 0 && lane.queue.isEmpty()) {
            lanes.remove(key);
        }
        return out;
    }

    private void done(String key) {
        List<Supplier<CompletableFuture<?>>> start;
        synchronized (this) {
            Lane lane = lanes.get(key);
            if (lane != null) {
                lane.active--;
            }
            start = take(key);
        }
        run(key, start);
    }

    private void run(String key, List<Supplier<CompletableFuture<?>>> tasks) {
        for (Supplier<CompletableFuture<?>> task : tasks) {
            CompletableFuture<?> f;
            try {
                f = task.get();
            } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(e);
            }
            f.whenComplete((x, e) -> done(key));
        }
    }
}
