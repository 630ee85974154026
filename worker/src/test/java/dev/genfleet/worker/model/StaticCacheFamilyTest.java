package dev.genfleet.worker.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.genfleet.inference.Modality;
import dev.genfleet.inference.ModelInfo;
import dev.genfleet.schemas.JobOutput;
import dev.genfleet.schemas.TextInput;
import dev.genfleet.schemas.TextOutput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code static-kv} family through {@link ModelRegistry}: the committed exports in both formats, and
 * broken copies that must be refused at load with the file and the rule they break (a refused load keeps
 * the worker unready: {@code WorkerModelLoadFailureIT}).
 */
class StaticCacheFamilyTest {

    static final Path MODELS = TorchScriptFamilyTest.MODELS;
    static final Path COPY_GPT_KV = MODELS.resolve("copy-gpt-kv").resolve("1");

    @TempDir
    Path temp;

    private static final List<TextInput> JOBS = List.of(
            new TextInput("Hi Maria,", 30, 0.8, 0, 0.95, List.of("\n"), 42),
            new TextInput("Zoë, ", 20, 0, 0, 1.0, List.of(), 1));

    @Test
    void shouldServeTheExportInBothFormatsWithTheSameOutputs() throws IOException {
        ModelRegistry registry = new ModelRegistry(List.of(MODELS, temp), Device.cpu());
        assertTrue(
                registry.available().contains("copy-gpt-kv/1"),
                registry.available().toString());
        Path onnxDir = copyOf(COPY_GPT_KV, "copy-gpt-kv-onnx");
        edit(onnxDir, "\"format\": \"torchscript\"", "\"format\": \"onnx\"");
        edit(onnxDir, "\"id\": \"copy-gpt-kv\"", "\"id\": \"copy-gpt-kv-onnx\"");
        try (HostedModel ts = registry.load("copy-gpt-kv", null);
                HostedModel onnx = registry.load("copy-gpt-kv-onnx", "1")) {
            assertEquals(new ModelInfo("copy-gpt-kv", "1", Modality.TEXT, "cpu()", 620_160), ts.info());
            assertTrue(
                    ts.runtime().engine().startsWith("PyTorch "), ts.runtime().engine());
            assertTrue(
                    onnx.runtime().engine().startsWith("OnnxRuntime "),
                    onnx.runtime().engine());
            List<JobOutput> a = ts.run(List.copyOf(JOBS));
            assertEquals(a, onnx.run(List.copyOf(JOBS)), "same tokens from both formats");
            TextOutput unicode = assertInstanceOf(TextOutput.class, a.get(1));
            assertEquals(6, unicode.promptTokens(), "'ë' is two byte-fallback tokens: " + unicode);
        }
    }

    @Test
    void shouldRefuseAMissingTokenizer() throws IOException {
        Path dir = copyOf(COPY_GPT_KV, "no-tokenizer");
        Files.delete(dir.resolve("tokenizer.json"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> load("no-tokenizer"));
        assertTrue(e.getMessage().contains(dir.resolve("tokenizer.json") + " is missing"), e.getMessage());
    }

    @Test
    void shouldRefuseATokenizerThatLosesText() throws IOException {
        Path dir = copyOf(COPY_GPT_KV, "lossy-tokenizer");
        edit(dir.resolve("tokenizer.json"), "\"byte_fallback\": true", "\"byte_fallback\": false");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> load("lossy-tokenizer"));
        assertTrue(e.getMessage().contains(dir.resolve("tokenizer.json").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("must round-trip exactly"), e.getMessage());
    }

    @Test
    void shouldRefuseAGrowingCache() throws IOException {
        Path dir = copyOf(COPY_GPT_KV, "growing");
        edit(dir, "\"slots,layers,kv,kv_heads,context,head_size\"", "\"batch,heads,sequence,head_size\"");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> load("growing"));
        assertTrue(e.getMessage().contains(dir.resolve("config.json") + ": cache layout must be"), e.getMessage());
        assertTrue(e.getMessage().contains("would not be batch-invariant"), e.getMessage());
    }

    @Test
    void shouldRefuseAVocabularyTheLogitsDoNotCover() throws IOException {
        Path dir = copyOf(COPY_GPT_KV, "small-vocab");
        edit(dir, "\"vocab_size\": 324", "\"vocab_size\": 300");
        IllegalArgumentException small = assertThrows(IllegalArgumentException.class, () -> load("small-vocab"));
        assertTrue(small.getMessage().contains("every token id must have a logit"), small.getMessage());
        edit(dir, "\"vocab_size\": 300", "\"vocab_size\": 400");
        IllegalStateException big = assertThrows(IllegalStateException.class, () -> load("small-vocab"));
        assertTrue(big.getMessage().contains(dir.resolve("model.pt").toString()), big.getMessage());
        assertTrue(big.getMessage().contains("expected float32 (8, 1, 400)"), big.getMessage());
    }

    @Test
    void shouldRefuseAnOnnxFileOfOtherSlotsOrNoOnnxAtAll() throws IOException {
        Path dir = copyOf(COPY_GPT_KV, "other-slots");
        edit(dir, "\"format\": \"torchscript\"", "\"format\": \"onnx\"");
        edit(dir, "\"slots\": 8", "\"slots\": 4");
        IllegalStateException slots = assertThrows(IllegalStateException.class, () -> load("other-slots"));
        assertTrue(slots.getMessage().contains(dir.resolve("model.onnx").toString()), slots.getMessage());
        assertTrue(slots.getMessage().contains("the contract is forward(input_ids: int64 [4, T]"), slots.getMessage());
        byte[] junk = new byte[4096];
        new SplittableRandom(1).nextBytes(junk);
        Files.write(dir.resolve("model.onnx"), junk);
        IllegalStateException garbage = assertThrows(IllegalStateException.class, () -> load("other-slots"));
        assertTrue(
                garbage.getMessage().contains("cannot load ONNX file " + dir.resolve("model.onnx")),
                garbage.getMessage());
        edit(dir, "\"format\": \"onnx\"", "\"format\": \"safetensors\"");
        IllegalArgumentException format = assertThrows(IllegalArgumentException.class, () -> load("other-slots"));
        assertTrue(format.getMessage().contains("\"format\" must be \"torchscript\" or \"onnx\""), format.getMessage());
    }

    private static void edit(Path dirOrFile, String from, String to) throws IOException {
        Path file = Files.isDirectory(dirOrFile) ? dirOrFile.resolve("config.json") : dirOrFile;
        String text = Files.readString(file);
        assertTrue(text.contains(from), file + " has no " + from);
        Files.writeString(file, text.replace(from, to));
    }

    private Path copyOf(Path source, String id) throws IOException {
        Path dir = temp.resolve(id).resolve("1");
        Files.createDirectories(dir);
        try (var files = Files.list(source)) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        return dir;
    }

    private HostedModel load(String id) {
        return new ModelRegistry(List.of(temp), Device.cpu()).load(id, "1");
    }
}
