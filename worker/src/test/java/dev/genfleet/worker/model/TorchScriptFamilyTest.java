package dev.genfleet.worker.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.genfleet.inference.Modality;
import dev.genfleet.inference.ModelInfo;
import dev.genfleet.schemas.ImageInput;
import dev.genfleet.schemas.ImageOutput;
import dev.genfleet.schemas.JobOutput;
import dev.genfleet.schemas.TextInput;
import dev.genfleet.schemas.TextOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code torchscript} family through {@link ModelRegistry}, with the committed models and broken copies. */
class TorchScriptFamilyTest {

    /** Surefire runs in worker/; the models are committed under the repository root. */
    static final Path MODELS = Path.of("..", "models");

    static final Path TEXT_DIR = MODELS.resolve("copy-gpt-torchscript").resolve("1");
    static final Path IMAGE_DIR = MODELS.resolve("banner-gan-torchscript").resolve("1");

    @TempDir
    Path temp;

    @Test
    void shouldLoadTheTorchScriptTextModelThroughTheRegistry() {
        ModelRegistry registry = new ModelRegistry(List.of(MODELS), Device.cpu());
        assertTrue(
                registry.available().contains("copy-gpt-torchscript/1"),
                registry.available().toString());
        try (HostedModel model = registry.load("copy-gpt-torchscript", "1")) {
            assertEquals(new ModelInfo("copy-gpt-torchscript", "1", Modality.TEXT, "cpu()", 620_160), model.info());
            assertEquals(
                    Fingerprints.weightsSha256(MODELS.resolve("copy-gpt-torchscript/1")),
                    model.runtime().weightsSha256(),
                    "the registry fingerprints what it loads");
            List<JobOutput> out = model.run(List.of(new TextInput("Hi Maria,", 30, 0.8, 0, 0.95, List.of("\n"), 42)));
            TextOutput text = assertInstanceOf(TextOutput.class, out.get(0));
            assertEquals(9, text.promptTokens());
            assertTrue(text.completionTokens() > 0 && text.completionTokens() <= 30, text.toString());
            assertThrows(IllegalArgumentException.class, () -> model.check(new ImageInput(1L, 1, null, 1, null)));
        }
    }

    @Test
    void shouldLoadTheTorchScriptImageModelThroughTheRegistry() {
        ModelRegistry registry = new ModelRegistry(List.of(MODELS), Device.cpu());
        try (HostedModel model = registry.load("banner-gan-torchscript", null)) {
            assertEquals(new ModelInfo("banner-gan-torchscript", "1", Modality.IMAGE, "cpu()", 218_436), model.info());
            assertEquals(
                    Fingerprints.weightsSha256(MODELS.resolve("banner-gan-torchscript/1")),
                    model.runtime().weightsSha256());
            ImageInput input = new ImageInput(5L, 2, "neon", 4, 32);
            model.check(input);
            ImageOutput out = assertInstanceOf(
                    ImageOutput.class, model.run(List.of(input)).get(0));
            assertEquals(2, out.images().size());
            assertEquals(32, out.images().get(0).width());
            assertThrows(IllegalArgumentException.class, () -> model.check(new ImageInput(5L, 1, "baroque", 1, null)));
        }
    }

    @Test
    void shouldNameTheMissingFile() throws IOException {
        Path dir = copyOf(TEXT_DIR, "missing");
        Files.delete(dir.resolve("model.pt"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> load("missing"));
        assertTrue(e.getMessage().contains(dir.resolve("model.pt").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("is missing") && e.getMessage().contains("forward(tokens"), e.getMessage());
    }

    @Test
    void shouldRejectAGarbageFile() throws IOException {
        Path dir = copyOf(TEXT_DIR, "garbage");
        byte[] junk = new byte[4096];
        new SplittableRandom(1).nextBytes(junk);
        Files.write(dir.resolve("model.pt"), junk);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> load("garbage"));
        assertTrue(e.getMessage().contains(dir.resolve("model.pt").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("torch.jit.save"), e.getMessage());
    }

    @Test
    void shouldRejectAVocabularyTheModuleDoesNotPredict() throws IOException {
        Path dir = copyOf(TEXT_DIR, "small-vocab");
        Files.writeString(
                dir.resolve("vocab.json"),
                "{\"type\":\"char\",\"size\":3,\"fallback\":\" \",\"bos\":\"\\n\",\"tokens\":[\"\\n\",\" \",\"a\"]}",
                StandardCharsets.UTF_8);
        // the config's own vocab_size is checked first
        IllegalArgumentException config = assertThrows(IllegalArgumentException.class, () -> load("small-vocab"));
        assertTrue(config.getMessage().contains("vocab_size 68 != 3"), config.getMessage());
        // without it, the module's output shape gives it away
        Path configFile = dir.resolve("config.json");
        Files.writeString(configFile, Files.readString(configFile).replace("\"vocab_size\": 68,", ""));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> load("small-vocab"));
        assertTrue(e.getMessage().contains("model.pt"), e.getMessage());
        assertTrue(e.getMessage().contains("expected float32 (1, 128, 3)"), e.getMessage());
        assertTrue(e.getMessage().contains("logits: float32 [B, T, 3]"), "states the contract: " + e.getMessage());
    }

    @Test
    void shouldRejectAGeneratorThatBreaksTheImageContract() throws IOException {
        Path dir = copyOf(IMAGE_DIR, "wrong-generator");
        Files.copy(
                TEXT_DIR.resolve("model.pt"),
                dir.resolve("generator.pt"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> load("wrong-generator"));
        assertTrue(e.getMessage().contains("generator.pt"), e.getMessage());
        assertTrue(
                e.getMessage().contains("generator contract is forward(z: float32 [B, 64], style: int64 [B])"),
                e.getMessage());
    }

    @Test
    void shouldRejectAnUnknownModality() throws IOException {
        Path dir = copyOf(TEXT_DIR, "no-modality");
        Path configFile = dir.resolve("config.json");
        Files.writeString(configFile, Files.readString(configFile).replace("\"TEXT\"", "\"AUDIO\""));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> load("no-modality"));
        assertTrue(e.getMessage().contains("AUDIO") && e.getMessage().contains("TEXT"), e.getMessage());
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
