package dev.genfleet.inference.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import dev.genfleet.inference.TextGeneration;
import dev.genfleet.inference.TextRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The committed static-cache exports through the real engines: {@code models/copy-gpt-kv/1} as
 * TorchScript (PyTorch engine) and as ONNX (ONNX Runtime engine) against copy-gpt itself (the DJL-block
 * model in this process), and both formats against each other and against batching.
 */
class StaticCacheTextModelTest {

    static final Path COPY_GPT_KV = Path.of("..", "models", "copy-gpt-kv", "1");

    static GptTextModel original;
    static StaticCacheTextModel torchscript;
    static StaticCacheTextModel onnx;

    @BeforeAll
    static void load() {
        original = GptTextModel.load(GptTextModelTest.VERSION_DIR, Device.cpu());
        torchscript = StaticCacheTextModel.load(COPY_GPT_KV, Device.cpu(), StaticCacheConfig.TORCHSCRIPT);
        onnx = StaticCacheTextModel.load(COPY_GPT_KV, Device.cpu(), StaticCacheConfig.ONNX);
    }

    @AfterAll
    static void close() {
        for (AutoCloseable c : new AutoCloseable[] {original, torchscript, onnx}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Greedy, sampled (temperature, top-k, top-p), stop sequences, a prompt past the context, a slide. */
    static List<TextRequest> requests() {
        String longPrompt = "Hi Maria, ".repeat(20);
        return List.of(
                new TextRequest("Hi Maria,", 30, 0, 0, 1.0, List.of(), 1),
                new TextRequest("Hello Sam! ", 40, 0.8, 10, 0.95, List.of(), 42),
                new TextRequest("Our new ", 60, 1.0, 0, 0.9, List.of(".", "!"), 7),
                new TextRequest("", 25, 0.7, 5, 1.0, List.of(), 3),
                new TextRequest(longPrompt, 20, 0.8, 0, 0.95, List.of(), 11),
                new TextRequest("Dear Lee, ", 150, 0.9, 20, 1.0, List.of(), 5));
    }

    @Test
    void shouldEngineAndLayoutBeWhatTheConfigSays() {
        assertEquals("PyTorch", torchscript.engine());
        assertEquals("OnnxRuntime", onnx.engine());
        assertEquals(original.info().parameters(), torchscript.info().parameters(), "copy-gpt's weights");
        StaticCacheConfig c = torchscript.config();
        assertEquals(68 + 256, c.vocabSize());
        assertEquals(new Shape(8, 3, 2, 4, 128, 32), c.cacheShape());
    }

    @Test
    void shouldReadTheCopyGptAlphabetAsCopyGptDoesAndRoundTripAnyText() {
        CharTokenizer chars = original.tokenizer();
        HfTokenizer hf = torchscript.tokenizer();
        String text = "Hi Maria, our new espresso grinder is here: 20% off with code SAVE!\n";
        assertArrayEquals(chars.encode(text), hf.encode(text));
        assertEquals(chars.bosId(), hf.bosId());
        for (String s :
                List.of(HfTokenizer.ROUND_TRIP_PROBE, "Zoë’s café — 50 % off 🎉", "", " ", "tab\tand\r\nnewlines")) {
            assertEquals(s, hf.decode(hf.encode(s)), "round trip of " + s);
        }
    }

    @Test
    void shouldGenerateWhatCopyGptGeneratesInBothFormats() {
        List<TextRequest> requests = requests();
        List<TextGeneration> expected = original.generate(requests);
        assertEquals(expected, torchscript.generate(requests), "TorchScript vs copy-gpt");
        assertEquals(expected, onnx.generate(requests), "ONNX vs copy-gpt");
        assertTrue(
                expected.get(2).finishReason().equals("stop") || expected.get(2).completionTokens() == 60);
        assertEquals(150, expected.get(5).completionTokens(), "decodes past the context (window slides)");
    }

    @Test
    void shouldGiveTheSameBytesAloneAndInAnyBatch() {
        List<TextRequest> requests = new ArrayList<>(requests());
        requests.addAll(requests().subList(0, 4)); // 10 rows: two groups of slots, rows in other slots
        for (StaticCacheTextModel model : List.of(torchscript, onnx)) {
            List<TextGeneration> batched = model.generate(requests);
            for (int i = 0; i < requests.size(); i++) {
                assertEquals(
                        model.generate(List.of(requests.get(i))).get(0), batched.get(i), model.engine() + " row " + i);
            }
        }
    }
}
