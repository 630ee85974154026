package dev.genfleet.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A thin client of the gateway's v1 API on the JDK's HTTP client. Errors come back as
 * {@link ApiException} carrying the problem+json body.
 */
public final class GenfleetClient {

    /** A non-2xx answer, with the RFC 9457 problem the gateway sent. */
    public static final class ApiException extends RuntimeException {
        private final int status;
        private final String body;

        ApiException(int status, String body) {
            super("HTTP " + status + ": " + body);
            this.status = status;
            this.body = body;
        }

        public int status() {
            return status;
        }

        public String body() {
            return body;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String apiKey;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public GenfleetClient(URI base, String apiKey) {
        this.base = base;
        this.apiKey = apiKey;
    }

    public JsonNode submitJob(JsonNode body) {
        return json(post("/v1/jobs", "application/json", body.toString()));
    }

    public JsonNode job(String id) {
        return json(send(request("/v1/jobs/" + id).GET().build()));
    }

    public byte[] output(String id, int index) {
        return send(request("/v1/jobs/" + id + "/output?index=" + index).GET().build())
                .body();
    }

    public JsonNode submitCampaign(JsonNode body) {
        return json(post("/v1/campaigns", "application/json", body.toString()));
    }

    public JsonNode campaign(String id) {
        return json(send(request("/v1/campaigns/" + id).GET().build()));
    }

    /** The campaign's results, one JSON object per recipient. */
    public List<JsonNode> campaignResults(String id) {
        HttpRequest request = request("/v1/campaigns/" + id + "/results").GET().build();
        try {
            HttpResponse<java.io.InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() / 100 != 2) {
                throw new ApiException(
                        response.statusCode(), new String(response.body().readAllBytes(), StandardCharsets.UTF_8));
            }
            List<JsonNode> lines = new ArrayList<>();
            try (BufferedReader reader =
                    new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    if (!line.isBlank()) {
                        lines.add(JSON.readTree(line));
                    }
                }
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<byte[]> post(String path, String contentType, String body) {
        return send(request(path)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + apiKey);
    }

    private HttpResponse<byte[]> send(HttpRequest request) {
        try {
            HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() / 100 != 2) {
                throw new ApiException(response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
            }
            return response;
        } catch (IOException e) {
            throw new UncheckedIOException("gateway " + base + " unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(HttpResponse<byte[]> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ObjectMapper mapper() {
        return JSON;
    }
}
