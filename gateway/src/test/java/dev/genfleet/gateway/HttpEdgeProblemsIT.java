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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every error the HTTP edge answers is {@code application/problem+json}, also those that Vert.x would
 * answer before any JAX-RS code runs (URI too long, header fields too large, a declared body over the
 * server's limit): real requests through the test app, the transport-level ones over a raw socket so
 * that the client adds and checks nothing. Each kind of problem carries its own stable {@code type} URI, and a 405
 * names the path's methods in {@code Allow}.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = false)
class HttpEdgeProblemsIT {

    static final String KEY_A = "Bearer test-key-a";
    static final ObjectMapper JSON = new ObjectMapper();
    /** Where every problem kind's stable type URI starts: written out, so that a renamed kind fails here. */
    static final String TYPES = "https://genfleet.dev/problems/";

    @Test
    void shouldAnswerAnOverLongUriWithProblem414() throws IOException {
        Raw r = raw("GET /v1/jobs/" + "a".repeat(5_000) + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + KEY_A
                + "\r\nConnection: close\r\n\r\n");
        r.assertProblem(414, "URI Too Long", "uri-too-long");
        assertTrue(r.problem.path("detail").asText().contains("4096"), r.body);
    }

    @Test
    void shouldAnswerAHundredKilobytePathWithProblem414() throws IOException {
        Raw r = raw("GET /" + "p".repeat(100_000) + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        r.assertProblem(414, "URI Too Long", "uri-too-long");
        assertTrue(r.body.length() < 1_000, "the problem does not echo the path: " + r.body.length());
    }

    @Test
    void shouldAnswerOverLargeHeaderFieldsWithProblem431() throws IOException {
        Raw r = raw("GET /v1/jobs/x HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + KEY_A + "\r\nX-Filler: "
                + "h".repeat(30_000) + "\r\nConnection: close\r\n\r\n");
        r.assertProblem(431, "Request Header Fields Too Large", "header-fields-too-large");
        assertTrue(r.problem.path("detail").asText().contains("20480"), r.body);
    }

    @Test
    void shouldAnswerADeclaredBodyOverTheServerLimitWithProblem413BeforeReadingIt() throws IOException {
        Raw r = raw("POST /v1/campaigns HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + KEY_A
                + "\r\nContent-Type: application/x-ndjson\r\nContent-Length: 3000000000\r\nConnection: close\r\n\r\n");
        r.assertProblem(413, "Content Too Large", "content-too-large");
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
                        "Content Too Large",
                        "content-too-large")
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
                        "Unsupported Media Type",
                        "unsupported-media-type")
                .body("instance", equalTo("/v1/jobs"));
    }

    @Test
    void shouldAnswerAWrongMethodWithProblem405NamingTheAllowedMethods() {
        problem(
                        given().header("Authorization", KEY_A)
                                .delete("/v1/jobs")
                                .then(),
                        405,
                        "Method Not Allowed",
                        "method-not-allowed")
                .header("Allow", "POST")
                .body("detail", containsString("/v1/jobs"));
        String job = "/v1/jobs/" + java.util.UUID.randomUUID();
        problem(
                        given().header("Authorization", KEY_A)
                                .contentType("application/json")
                                .body("{}")
                                .put(job)
                                .then(),
                        405,
                        "Method Not Allowed",
                        "method-not-allowed")
                .header("Allow", "GET")
                .body("instance", equalTo(job));
        problem(
                        given().header("Authorization", KEY_A)
                                .get("/v1/campaigns/c/cancel")
                                .then(),
                        405,
                        "Method Not Allowed",
                        "method-not-allowed")
                .header("Allow", "POST");
    }

    @Test
    void shouldAllowWhatAllowNames() {
        // every method a 405's Allow names is one the path answers (whatever else it says, not 405)
        for (String path : List.of("/v1/jobs", "/v1/jobs/" + java.util.UUID.randomUUID(), "/v1/models")) {
            String allow = given().header("Authorization", KEY_A)
                    .patch(path)
                    .then()
                    .statusCode(405)
                    .extract()
                    .header("Allow");
            for (String method : allow.split(",\\s*")) {
                int status = given().header("Authorization", KEY_A)
                        .contentType("application/json")
                        .body("{}")
                        .request(method, path)
                        .then()
                        .extract()
                        .statusCode();
                assertTrue(status != 405, method + " " + path + " is in Allow: " + allow + ", yet answered 405");
            }
        }
    }

    @Test
    void shouldAnswerAMissingKeyWithProblem401() {
        problem(given().get("/v1/models").then(), 401, "Unauthorized", "unauthorized")
                .header("WWW-Authenticate", startsWith("Bearer"));
    }

    @Test
    void shouldGiveEachKindOf422ItsOwnType() {
        problem(
                        given().header("Authorization", KEY_A)
                                .contentType("application/json")
                                .body("{\"model\":\"copy-gpt\",\"input\":{\"prompt\":\"Hi\",\"max_tokens\":-1}}")
                                .post("/v1/jobs")
                                .then(),
                        422,
                        "Invalid request",
                        "invalid-request")
                .body("errors[0].field", equalTo("input.max_tokens"));
        problem(
                        given().header("Authorization", KEY_A)
                                .contentType("application/json")
                                .body("{\"model\":\"copy-gpt\",\"input\":{\"prompt\":\"a forbiddenword ad\"}}")
                                .post("/v1/jobs")
                                .then(),
                        422,
                        "Refused by content policy",
                        "policy-refused")
                .body("rule", org.hamcrest.Matchers.notNullValue());
        String key = "problem-types-" + java.util.UUID.randomUUID();
        given().header("Authorization", KEY_A)
                .header("Idempotency-Key", key)
                .contentType("application/json")
                .body("{\"model\":\"copy-gpt\",\"input\":{\"prompt\":\"Hi\"}}")
                .post("/v1/jobs")
                .then()
                .statusCode(202);
        problem(
                given().header("Authorization", KEY_A)
                        .header("Idempotency-Key", key)
                        .contentType("application/json")
                        .body("{\"model\":\"copy-gpt\",\"input\":{\"prompt\":\"Hello\"}}")
                        .post("/v1/jobs")
                        .then(),
                422,
                "Idempotency-Key reused",
                "idempotency-key-reused");
    }

    @Test
    void shouldAnswerAnUnacceptableAcceptWithProblem406() {
        problem(
                given().header("Authorization", KEY_A)
                        .accept("image/gif")
                        .get("/v1/jobs/" + java.util.UUID.randomUUID())
                        .then(),
                406,
                "Not Acceptable",
                "not-acceptable");
    }

    @Test
    void shouldAnswerAnUnknownPathUnderV1WithProblem404() {
        problem(given().header("Authorization", KEY_A).get("/v1/no-such-thing").then(), 404, "Not Found", "not-found")
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
                        "Bad Request",
                        "bad-request")
                .body("detail", startsWith("malformed JSON"));
    }

    /** A problem of the kind {@code https://genfleet.dev/problems/<kind>} (gateway/README.md, "Errors"). */
    static ValidatableResponse problem(ValidatableResponse r, int status, String title, String kind) {
        return r.statusCode(status)
                .contentType(startsWith("application/problem+json"))
                .body("type", equalTo(TYPES + kind))
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

        void assertProblem(int expected, String title, String kind) {
            assertEquals(expected, status, "status of " + headers + " " + body);
            assertTrue(
                    headers.getOrDefault("content-type", "").startsWith("application/problem+json"),
                    "content type: " + headers);
            assertEquals(TYPES + kind, problem.path("type").asText(), body);
            assertEquals(title, problem.path("title").asText(), body);
            assertEquals(expected, problem.path("status").asInt(), body);
            assertTrue(!problem.path("detail").asText().isEmpty(), body);
        }
    }
}
