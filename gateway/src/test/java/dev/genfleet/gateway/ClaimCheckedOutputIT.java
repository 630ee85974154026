package dev.genfleet.gateway;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.genfleet.gateway.api.Problem;
import dev.genfleet.schemas.BlobRef;
import dev.genfleet.schemas.Hashes;
import dev.genfleet.schemas.ImageArtifact;
import dev.genfleet.schemas.ImageOutput;
import dev.genfleet.schemas.JobStatus;
import dev.genfleet.testkit.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Claim-checked images through {@code GET /v1/jobs/{id}/output}: the test plays the worker, writing blobs into the
 * gateway's blob store ({@code %test.genfleet.gateway.blobs.dir}) the way the worker's store lays them out, and a
 * result naming them on the real broker.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = false)
class ClaimCheckedOutputIT extends WithFakeWorker {

    private static final String KEY_A = "Bearer test-key-a";
    private static final String KEY_B = "Bearer test-key-b";
    private static final Path STORE = Path.of("target/test-blobs");
    private static final String OUTPUT_UNAVAILABLE = "https://genfleet.dev/problems/output-unavailable";

    @Test
    void shouldServeClaimCheckedImagesFromTheBlobStoreToTheirTenantOnly() throws Exception {
        String id = submitImageJob();
        byte[] stored = png(300 * 1024, 1);
        byte[] inline = png(64, 2);
        byte[] missing = png(1000, 3);
        byte[] corrupt = png(1000, 4);
        write(stored, stored);
        write(corrupt, png(1000, 5)); // a blob file whose bytes are not the ones its name says
        String url = "https://objects.example.com/genfleet/" + Hashes.sha256Hex(inline) + ".png";
        worker().result(
                        id,
                        "tenant-a",
                        JobStatus.SUCCEEDED,
                        new ImageOutput(List.of(
                                byRef(stored, BlobRef.of(stored).uri()),
                                new ImageArtifact("image/png", Hashes.sha256Hex(inline), 8, 8, 2, 0.5, inline, null),
                                byRef(inline, url),
                                byRef(missing, BlobRef.of(missing).uri()),
                                byRef(corrupt, BlobRef.of(corrupt).uri()))),
                        null);
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> given().header("Authorization", KEY_A)
                        .get("/v1/jobs/" + id)
                        .then()
                        .body("status", equalTo("SUCCEEDED"))
                        // the job's JSON is as before: the claim-checked image shows its ref and no bytes
                        .body("output.images[0].ref", equalTo(BlobRef.of(stored).uri()))
                        .body("output.images[0].sha256", equalTo(Hashes.sha256Hex(stored)))
                        .body("output.images[0].url", equalTo("/v1/jobs/" + id + "/output?index=0"))
                        .body("output.images[0].data", nullValue())
                        .body("output.images[1].ref", nullValue()));

        Response png = given().header("Authorization", KEY_A).get("/v1/jobs/" + id + "/output?index=0");
        png.then()
                .statusCode(200)
                .contentType("image/png")
                .header("ETag", "\"" + Hashes.sha256Hex(stored) + "\"")
                .header("Digest", "sha-256=" + Hashes.sha256Hex(stored));
        assertArrayEquals(stored, png.asByteArray());
        // the inline image of the same job answers with the same headers
        given().header("Authorization", KEY_A)
                .get("/v1/jobs/" + id + "/output?index=1")
                .then()
                .statusCode(200)
                .contentType("image/png")
                .header("ETag", "\"" + Hashes.sha256Hex(inline) + "\"");

        // another tenant learns nothing, not even that the job exists
        given().header("Authorization", KEY_B)
                .get("/v1/jobs/" + id + "/output?index=0")
                .then()
                .statusCode(404)
                .contentType(Problem.MEDIA_TYPE);

        // an object store's URL: the client fetches it there
        given().header("Authorization", KEY_A)
                .redirects()
                .follow(false)
                .get("/v1/jobs/" + id + "/output?index=2")
                .then()
                .statusCode(303)
                .header("Location", url);

        // the fleet's fault, typed: a blob that is not there, and one that is not what its name says
        given().header("Authorization", KEY_A)
                .get("/v1/jobs/" + id + "/output?index=3")
                .then()
                .statusCode(502)
                .contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo(OUTPUT_UNAVAILABLE))
                .body("detail", containsString("missing"));
        given().header("Authorization", KEY_A)
                .get("/v1/jobs/" + id + "/output?index=4")
                .then()
                .statusCode(502)
                .contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo(OUTPUT_UNAVAILABLE))
                .body("detail", containsString("does not match its sha256"));
    }

    private String submitImageJob() {
        return given().header("Authorization", KEY_A)
                .contentType("application/json")
                .body("{\"model\":\"banner-gan\",\"input\":{\"count\":5,\"seed\":11}}")
                .post("/v1/jobs")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
    }

    private static ImageArtifact byRef(byte[] png, String ref) {
        return new ImageArtifact("image/png", Hashes.sha256Hex(png), 512, 512, 1, 0.9, null, ref);
    }

    /** Where the worker's directory store puts the blob of {@code named}, holding {@code bytes}. */
    private static void write(byte[] named, byte[] bytes) throws Exception {
        Path file = STORE.resolve(BlobRef.of(named).relativePath());
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
        assertEquals(bytes.length, Files.size(file));
    }

    private static byte[] png(int size, int seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        b[0] = (byte) 0x89;
        b[1] = 'P';
        b[2] = 'N';
        b[3] = 'G';
        return b;
    }
}
