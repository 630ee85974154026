package dev.genfleet.e2e.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A webhook receiver on 127.0.0.1 that answers 503 to the first {@code failFirst} attempts of every message
 * ({@code webhook-id}) and 200 after that; it keeps the body of every delivery it accepted.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** A delivery answered 200: the event type and its {@code data}. */
    public record Delivery(String webhookId, String type, JsonNode data) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final int failFirst;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final Map<String, List<Delivery>> delivered = new ConcurrentHashMap<>();
    private final AtomicInteger refused = new AtomicInteger();

    public WebhookReceiver(int failFirst) throws IOException {
        this.failFirst = failFirst;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/hooks", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks";
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String id = String.valueOf(exchange.getRequestHeaders().getFirst("webhook-id"));
            int attempt = attempts.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            if (attempt <= failFirst) {
                refused.incrementAndGet();
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            JsonNode message = JSON.readTree(body);
            JsonNode data = message.path("data");
            delivered
                    .computeIfAbsent(data.path("id").asText(), k -> new CopyOnWriteArrayList<>())
                    .add(new Delivery(id, message.path("type").asText(), data));
            exchange.sendResponseHeaders(200, -1);
        }
    }

    /** Deliveries answered 200, by job or campaign id. */
    public List<Delivery> delivered(String id) {
        return delivered.getOrDefault(id, List.of());
    }

    int deliveredCount() {
        return delivered.values().stream().mapToInt(List::size).sum();
    }

    int refusedAttempts() {
        return refused.get();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
