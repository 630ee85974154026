package dev.genfleet.inference.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.genfleet.inference.TextGeneration;
import dev.genfleet.inference.TextRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both committed static-cache exports (different layers, heads, key/value heads, vocabularies and
 * architectures) through the same loading code with no change, each in both formats: greedy decoding
 * replays the exporter's own full-recompute reference ({@code reference.json}) token for token, the
 * exporter's tokenization equals the Java tokenizer's, and seeded sampling gives the same text in
 * TorchScript and ONNX.
 */
class ExportedReferenceTest {

    static final Path MODELS = Path.of("..", "models");

    @ParameterizedTest
    @ValueSource(strings = {"copy-gpt-kv", "tiny-llama-kv"})
    void shouldReplayTheExportersGreedyReferenceInBothFormats(String id) throws IOException {
        Path dir = MODELS.resolve(id).resolve("1");
        JsonObject reference = JsonParser.parseString(
                        Files.readString(dir.resolve("reference.json"), StandardCharsets.UTF_8))
                .getAsJsonObject();
        List<TextRequest> sampled = List.of(
                new TextRequest("Hi Maria, ", 40, 0.8, 20, 0.95, List.of(), 42),
                new TextRequest("Dear Zoë, ", 30, 1.0, 0, 0.9, List.of("!"), 7),
                new TextRequest("", 50, 0.7, 0, 1.0, List.of(), 3));
        List<List<TextGeneration>> samples = new ArrayList<>();
        for (String format : List.of(StaticCacheConfig.TORCHSCRIPT, StaticCacheConfig.ONNX)) {
            try (StaticCacheTextModel model = StaticCacheTextModel.load(dir, Device.cpu(), format)) {
                HfTokenizer tok = model.tokenizer();
                List<TextRequest> greedy = new ArrayList<>();
                List<TextGeneration> expected = new ArrayList<>();
                for (JsonElement e : reference.getAsJsonArray("rows")) {
                    JsonObject row = e.getAsJsonObject();
                    String prompt = row.get("prompt").getAsString();
                    int[] promptIds = ints(row, "prompt_ids");
                    int[] javaIds = new int[promptIds.length];
                    javaIds[0] = tok.bosId();
                    System.arraycopy(tok.encode(prompt), 0, javaIds, 1, promptIds.length - 1);
                    assertArrayEquals(promptIds, javaIds, id + ": the exporter and tokenizer.json tokenize alike");
                    int[] ids = ints(row, "greedy_ids");
                    boolean eos = ids.length > 0 && ids[ids.length - 1] == tok.eosId();
                    int[] text = eos ? java.util.Arrays.copyOf(ids, ids.length - 1) : ids;
                    expected.add(new TextGeneration(
                            tok.decode(text), eos ? "stop" : "length", promptIds.length - 1, ids.length));
                    greedy.add(new TextRequest(prompt, 40, 0, 0, 1.0, List.of(), 1));
                }
                assertEquals(expected, model.generate(greedy), id + " " + format + " vs the exporter's reference");
                samples.add(model.generate(sampled));
            }
        }
        assertEquals(samples.get(0), samples.get(1), id + ": the same tokens from TorchScript and ONNX");
    }

    private static int[] ints(JsonObject row, String key) {
        return row.getAsJsonArray(key).asList().stream()
                .mapToInt(JsonElement::getAsInt)
                .toArray();
    }
}
