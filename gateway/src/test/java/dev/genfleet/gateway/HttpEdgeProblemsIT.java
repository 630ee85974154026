package dev.genfleet.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.genfleet.testkit.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.ValidatableResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every error the HTTP edge answers is {@code application/problem+json}, also those that Vert.x would
 * answer before any JAX-RS code runs (URI too long, header fields too large, a declared body over the
 * server's limit): real requests through the test app, the transport-level ones over a raw socket so
 * that the client adds and checks nothing.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = false)
class HttpEdgeProblemsIT {

    static final String KEY_A = "Bearer test-key-a";
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldAnswerAnOverLongUriWithProblem414() throws IOException {
        Raw r = raw("GET /v1/jobs/" + "a".repeat(5_000) + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + KEY_A
                + "\r\nConnection: close\r\n\r\n");
        r.assertProblem(414, "URI Too Long");
        assertTrue(r.problem.path("detail").asText().contains("4096"), r.body);
    }

    @Test
    void shouldAnswerAHundredKilobytePathWithProblem414() throws IOException {
        Raw r = raw("GET /" + "p".repeat(100_000) + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        r.assertProblem(414, "URI Too Long");
        assertTrue(r.body.length() < 1_000, "the problem does not echo the path: " + r.body.length());
    }

    @Test
    void shouldAnswerOverLargeHeaderFieldsWithProblem431() throws IOException {
        Raw r = raw("GET /v1/jobs/x HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + KEY_A + "\r\nX-Filler: "
                + "h".repeat(30_000) + "\r\nConnection: close\r\n\r\n");
        r.assertProblem(431, "Request Header Fields Too Large");
        assertTrue(r.problem.path("detail").asText().contains("20480"), r.body);
    }

    @Test
    void shouldAnswerADeclaredBodyOverTheServerLimitWithProblem413BeforeReadingIt() throws IOException {
        Raw r = raw("POST /v1/campaigns HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + KEY_A
                + "\r\nContent-Type: application/x-ndjson\r\nContent-Length: 3000000000\r\nConnection: close\r\n\r\n");
        r.assertProblem(413, "Content Too Large");
        assertEquals("/v1/campaigns", r.problem.path("instance").asText());
    }

    @Test
    void shouldAnswerAJobBodyOverItsLimitWithProblem413() {
        String big = "{\"model\":\"copy-gpt\",\"input\":{\"prompt\":\"" + "w".repeat(70_000) + "\"}}";
        problem(
                        given().header("Authorization", KEY_A)
                                .contentType("application/json")
                                .body(big)
                                .post("/v1/jobs")
                                .then(),
                        413,
                        "Content Too Large")
                .body("detail", containsString("65536"));
    }

    @Test
    void shouldAnswerAWrongContentTypeWithProblem415() {
        problem(
                        given().header("Authorization", KEY_A)
                                .contentType("text/plain")
                                .body("write me an ad")
                                .post("/v1/jobs")
                                .then(),
                        415,
                        "Unsupported Media Type")
                .body("instance", equalTo("/v1/jobs"));
    }

    @Test
    void shouldAnswerAWrongMethodWithProblem405() {
        // Quarkus REST's 405 carries no Allow header to pass on (ProblemMappers would copy one)
        problem(given().header("Authorization", KEY_A).delete("/v1/jobs").then(), 405, "Method Not Allowed")
                .body("detail", containsString("/v1/jobs"));
    }

    @Test
    void shouldAnswerAnUnacceptableAcceptWithProblem406() {
        problem(
                given().header("Authorization", KEY_A)
                        .accept("image/gif")
                        .get("/v1/jobs/" + java.util.UUID.randomUUID())
                        .then(),
                406,
                "Not Acceptable");
    }

    @Test
    void shouldAnswerAnUnknownPathUnderV1WithProblem404() {
        problem(given().header("Authorization", KEY_A).get("/v1/no-such-thing").then(), 404, "Not Found")
                .body("detail", containsString("/v1/no-such-thing"))
                .body("instance", equalTo("/v1/no-such-thing"));
    }

    @Test
    void shouldAnswerBrokenJsonWithProblem400() {
        problem(
                        given().header("Authorization", KEY_A)
                                .contentType("application/json")
                                .body("{\"model\": \"copy-gpt\", \"input\": {")
                                .post("/v1/jobs")
                                .then(),
                        400,
                        "Bad Request")
                .body("detail", startsWith("malformed JSON"));
    }

    static ValidatableResponse problem(ValidatableResponse r, int status, String title) {
        return r.statusCode(status)
                .contentType(startsWith("application/problem+json"))
                .body("type", equalTo("about:blank"))
                .body("title", equalTo(title))
                .body("status", equalTo(status))
                .body("detail", org.hamcrest.Matchers.not(org.hamcrest.Matchers.emptyOrNullString()));
    }

    /** One HTTP/1.1 exchange on its own connection, read to the end (the request says close). */
    static Raw raw(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) > 0; ) {
                all.write(buf, 0, n);
            }
            return Raw.parse(all.toString(StandardCharsets.UTF_8));
        }
    }

    record Raw(int status, Map<String, String> headers, String body, JsonNode problem) {

        static Raw parse(String text) throws IOException {
            int end = text.indexOf("\r\n\r\n");
            assertTrue(end > 0, "no complete response: " + text);
            String[] lines = text.substring(0, end).split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(
                        lines[i].substring(0, colon).toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).strip());
            }
            String body = text.substring(end + 4);
            JsonNode problem = body.isEmpty() ? JSON.createObjectNode() : JSON.readTree(body);
            return new Raw(status, headers, body, problem);
        }

        void assertProblem(int expected, String title) {
            assertEquals(expected, status, "status of " + headers + " " + body);
            assertTrue(
                    headers.getOrDefault("content-type", "").startsWith("application/problem+json"),
                    "content type: " + headers);
            assertEquals("about:blank", problem.path("type").asText(), body);
            assertEquals(title, problem.path("title").asText(), body);
            assertEquals(expected, problem.path("status").asInt(), body);
            assertTrue(!problem.path("detail").asText().isEmpty(), body);
        }
    }
}
