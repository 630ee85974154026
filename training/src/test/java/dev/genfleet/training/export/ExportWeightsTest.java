package dev.genfleet.training.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.repository.zoo.ZooModel;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.genfleet.inference.torchscript.TorchScriptModules;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java half of {@code exec:exec@export-torchscript}: every DJL parameter is dumped under its PyTorch
 * name with the right size, and the committed TorchScript files hold exactly the dumped values (so they
 * are not stale against {@code copy-gpt/1} and {@code banner-gan/1}). The Python half needs
 * python3-torch and is not run here.
 */
class ExportWeightsTest {

    static final Path MODELS = Path.of("..", "models");

    @TempDir
    Path dump;

    @Test
    void shouldDumpEveryParameterAndMatchTheCommittedTorchScriptFiles() throws Exception {
        ExportWeights.main(new String[] {MODELS.toString(), dump.toString()});

        JsonObject gpt = manifest(dump.resolve("copy-gpt"));
        assertEquals(40, gpt.getAsJsonArray("tensors").size());
        assertTrue(Files.isRegularFile(dump.resolve("copy-gpt").resolve("vocab.json")));
        Map<String, float[]> gptTensors = read(dump.resolve("copy-gpt"), gpt.getAsJsonArray("tensors"));
        assertTrue(
                gptTensors.containsKey("layers.2.fc2.weight") && gptTensors.containsKey("ln_f.bias"),
                gptTensors.keySet().toString());
        assertEquals(
                620_160, gptTensors.values().stream().mapToLong(a -> a.length).sum());
        assertEquals(
                40, assertSameParameters(MODELS.resolve("copy-gpt-torchscript").resolve("1"), "model.pt", gptTensors));

        JsonObject gan = manifest(dump.resolve("banner-gan"));
        Map<String, float[]> g = read(dump.resolve("banner-gan").resolve("generator"), gan.getAsJsonArray("generator"));
        Map<String, float[]> d =
                read(dump.resolve("banner-gan").resolve("discriminator"), gan.getAsJsonArray("discriminator"));
        assertTrue(
                g.containsKey("stages.1.bn.running_var") && g.containsKey("template.weight"),
                g.keySet().toString());
        assertEquals(
                Set.of(
                        "convs.0.weight",
                        "convs.0.bias",
                        "convs.1.weight",
                        "convs.1.bias",
                        "convs.2.weight",
                        "convs.2.bias",
                        "fc.weight",
                        "fc.bias"),
                d.keySet());
        Path ganDir = MODELS.resolve("banner-gan-torchscript").resolve("1");
        // BatchNorm running statistics are buffers, not parameters: 19 dumped, 13 compared here
        assertEquals(19, g.size());
        assertEquals(13, assertSameParameters(ganDir, "generator.pt", g));
        assertEquals(8, assertSameParameters(ganDir, "discriminator.pt", d));
    }

    private static JsonObject manifest(Path dir) throws IOException {
        return JsonParser.parseString(Files.readString(dir.resolve("manifest.json"), StandardCharsets.UTF_8))
                .getAsJsonObject();
    }

    private static Map<String, float[]> read(Path dir, JsonArray tensors) throws IOException {
        Map<String, float[]> out = new HashMap<>();
        Set<String> names = new HashSet<>();
        for (JsonElement e : tensors) {
            JsonObject t = e.getAsJsonObject();
            String name = t.get("name").getAsString();
            assertTrue(names.add(name), "duplicate " + name);
            long size = 1;
            for (JsonElement s : t.getAsJsonArray("shape")) {
                size *= s.getAsLong();
            }
            byte[] bytes = Files.readAllBytes(dir.resolve(t.get("file").getAsString()));
            assertEquals(4 * size, bytes.length, name);
            float[] values = new float[(int) size];
            ByteBuffer.wrap(bytes)
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .asFloatBuffer()
                    .get(values);
            out.put(name, values);
        }
        return out;
    }

    /** Every named parameter of the .pt equals the dumped tensor of the same name, bit for bit; returns how many. */
    private static int assertSameParameters(Path dir, String file, Map<String, float[]> dumped) {
        try (ZooModel<NDList, NDList> module = TorchScriptModules.loadModule(dir, file, Device.cpu(), "test")) {
            int compared = 0;
            for (var p : module.getBlock().getParameters()) {
                float[] expected = dumped.get(p.getKey());
                assertTrue(expected != null, file + " has a parameter the dump lacks: " + p.getKey());
                assertArrayEquals(expected, p.getValue().getArray().toFloatArray(), file + " " + p.getKey());
                compared++;
            }
            return compared;
        }
    }
}
