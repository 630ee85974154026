package dev.genfleet.gateway;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.genfleet.gateway.api.contract.Quality;
import dev.genfleet.schemas.CopyQuality;
import dev.genfleet.schemas.Decoded;
import dev.genfleet.schemas.EventCodec;
import dev.genfleet.schemas.JobRequest;
import dev.genfleet.schemas.Json;
import dev.genfleet.schemas.TextInput;
import dev.genfleet.testkit.KafkaBrokerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The brief examples of the top-level README ({@code brief-examples} section) are what the gateway accepts: the
 * job and the campaign are posted as written (the model they name, {@code copywriter}, is announced by a fake
 * worker), and the output shown has the keys the API writes.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaBrokerResource.class, restrictToAnnotatedClass = false)
class ReadmeBriefExamplesIT extends WithFakeWorker {

    static final String KEY_A = "Bearer test-key-a";
    static final EventCodec CODEC = EventCodec.forComponent("test");
    static final ObjectMapper JSON = new ObjectMapper();

    static List<String> examples() throws IOException {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !(Files.isDirectory(dir.resolve("gateway")) && Files.exists(dir.resolve("README.md")))) {
            dir = dir.getParent();
        }
        assertTrue(dir != null, "no repository root above " + Path.of("").toAbsolutePath());
        String readme = Files.readString(dir.resolve("README.md"));
        Matcher section = Pattern.compile(
                        "<!-- brief-examples:start -->(.*?)<!-- brief-examples:end -->", Pattern.DOTALL)
                .matcher(readme);
        assertTrue(section.find(), "README.md has no brief-examples section");
        List<String> blocks = new ArrayList<>();
        Matcher block = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL).matcher(section.group(1));
        while (block.find()) {
            blocks.add(block.group(1));
        }
        return blocks;
    }

    @Test
    void shouldAcceptTheReadmesBriefJobAndCampaignAsWritten() throws Exception {
        List<String> blocks = examples();
        assertEquals(3, blocks.size(), "a job, an output, a campaign");
        JsonNode job = JSON.readTree(blocks.get(0));
        JsonNode output = JSON.readTree("{" + blocks.get(1) + "}").get("output");
        JsonNode campaign = JSON.readTree(blocks.get(2));
        assertEquals("copywriter", job.get("model").asText());
        assertEquals("copywriter", campaign.get("model").asText());

        worker().announce("copywriter", "text", "text", true);
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> given().header("Authorization", KEY_A)
                        .get("/v1/models")
                        .then()
                        .body("models.id", hasItem("copywriter")));

        String jobId = given().header("Authorization", KEY_A)
                .contentType("application/json")
                .body(blocks.get(0).getBytes(StandardCharsets.UTF_8))
                .post("/v1/jobs")
                .then()
                .statusCode(202)
                .extract()
                .path("id");
        var records = worker().read("genfleet.jobs.text.interactive", jobId::equals, 1);
        TextInput input = (TextInput) ((Decoded.Ok<JobRequest>) CODEC.decode(records.get(0), JobRequest.class))
                .payload()
                .input();
        assertEquals(job.at("/input/brief/name").asText(), input.brief().name());
        assertEquals(job.at("/input/best_of").asInt(), input.bestOf());

        Response r = given().header("Authorization", KEY_A)
                .contentType("application/json")
                .body(blocks.get(2).getBytes(StandardCharsets.UTF_8))
                .post("/v1/campaigns");
        r.then()
                .statusCode(202)
                .body("queued", equalTo(3))
                .body("rejected", equalTo(1))
                .body("rejections[0].custom_id", equalTo("r-3"))
                .body("rejections[0].code", equalTo("TEMPLATE_MISSING_VARIABLE"));
        String campaignId = r.path("id");
        Map<String, String> names = new TreeMap<>();
        for (var rec : worker().read("genfleet.jobs.text.bulk", k -> true, 0)) {
            if (CODEC.decode(rec, JobRequest.class) instanceof Decoded.Ok<JobRequest> ok
                    && campaignId.equals(ok.payload().campaignId())) {
                names.put(
                        ok.payload().customId(),
                        String.valueOf(
                                ((TextInput) ok.payload().input()).brief().name()));
            }
        }
        // r-4 has no first_name: its brief has no name (an optional field is left out, not rejected)
        assertEquals(Map.of("r-1", "José", "r-2", "Zoë", "r-4", "null"), names);

        Set<String> documented = new TreeSet<>();
        output.get("quality").fieldNames().forEachRemaining(documented::add);
        Set<String> written = new TreeSet<>();
        Json.mapper()
                .valueToTree(Quality.of(new CopyQuality(true, List.of(), List.of(), 0.0, 1)))
                .fieldNames()
                .forEachRemaining(written::add);
        assertEquals(written, documented, "the README shows output.quality as the API writes it");
    }
}
