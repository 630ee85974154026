package dev.genfleet.gateway.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Per-receiver queues of webhook attempts: bounded per lane, independent across lanes. */
class LanesTest {

    @Test
    void shouldBoundEachLaneAndNeverLetOneLaneWaitForAnother() {
        Lanes lanes = new Lanes(2);
        List<CompletableFuture<Void>> slow = new ArrayList<>();
        List<String> started = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            lanes.submit("tenant-a http://slow:80", () -> {
                started.add("slow-" + n);
                CompletableFuture<Void> f = new CompletableFuture<>();
                slow.add(f);
                return f;
            });
        }
        assertEquals(List.of("slow-0", "slow-1"), started, "two in flight, three queued in order");
        lanes.submit("tenant-b http://fast:80", () -> {
            started.add("fast");
            return CompletableFuture.completedFuture(null);
        });
        lanes.submit("tenant-a http://fast:80", () -> {
            started.add("same-tenant-other-endpoint");
            return CompletableFuture.completedFuture(null);
        });
        assertTrue(
                started.contains("fast") && started.contains("same-tenant-other-endpoint"),
                "other receivers start at once while the slow lane is full: " + started);
        assertEquals(5, lanes.pending(), "2 slow in flight + 3 queued; the fast ones are done");

        slow.get(0).complete(null);
        assertEquals("slow-2", started.get(started.size() - 1), "a finished attempt frees its lane's slot");
        slow.get(1).completeExceptionally(new IllegalStateException("failed attempts free their slot too"));
        assertEquals("slow-3", started.get(started.size() - 1));
        for (int i = 2; i < 5; i++) {
            if (i < slow.size()) {
                slow.get(i).complete(null);
            }
        }
        slow.get(slow.size() - 1).complete(null);
        assertEquals(0, lanes.pending(), "empty lanes are dropped");
    }

    @Test
    void shouldKeyLanesByTenantAndOrigin() {
        assertEquals("t https://hooks.example.com:-1", Lanes.key("t", "https://hooks.example.com/a"));
        assertEquals(Lanes.key("t", "http://h:8080/a"), Lanes.key("t", "http://h:8080/b?x=1"));
        assertTrue(!Lanes.key("t", "http://h/a").equals(Lanes.key("u", "http://h/a")));
    }
}
