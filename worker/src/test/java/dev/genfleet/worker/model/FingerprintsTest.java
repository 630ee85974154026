package dev.genfleet.worker.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.genfleet.schemas.RuntimeFingerprint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FingerprintsTest {

    @Test
    void shouldNameTheWidestOneDnnIsaOfTheCpuFlags() {
        assertEquals(
                "avx512_core_bf16",
                Fingerprints.isa(
                        Map.of(), "fpu sse4_1 avx avx2 avx512f avx512dq avx512bw avx512vl avx512_vnni avx512_bf16"));
        assertEquals(
                "avx512_core_amx",
                Fingerprints.isa(
                        Map.of(),
                        "avx2 avx512f avx512dq avx512bw avx512vl avx512_vnni avx512_bf16 amx_tile amx_bf16 amx_int8"));
        assertEquals("avx512_core", Fingerprints.isa(Map.of(), "avx2 avx512f avx512dq avx512bw avx512vl"));
        assertEquals("avx2", Fingerprints.isa(Map.of(), "sse4_1 avx avx2 avx512f"), "avx512f alone is not avx512_core");
        assertEquals("unknown", Fingerprints.isa(Map.of(), null));
    }

    @Test
    void shouldReportTheIsaCapThatOneDnnIsToldToUse() {
        assertEquals(
                "avx2 (ONEDNN_MAX_CPU_ISA)", Fingerprints.isa(Map.of("ONEDNN_MAX_CPU_ISA", "AVX2"), "avx2 avx512f"));
        assertEquals(
                "avx512_core (DNNL_MAX_CPU_ISA)", Fingerprints.isa(Map.of("DNNL_MAX_CPU_ISA", "avx512_core"), "avx2"));
        assertEquals("avx2", Fingerprints.isa(Map.of("ONEDNN_MAX_CPU_ISA", "ALL"), "avx avx2"));
    }

    @Test
    void shouldDigestTheFilesThatDecideOutputsAndNotTheModelCard(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("config.json"), "{\"family\":\"x\"}");
        Files.write(dir.resolve("weights.params"), new byte[] {1, 2, 3});
        String before = Fingerprints.weightsSha256(dir);
        Files.writeString(dir.resolve("MODEL_CARD.md"), "# a card");
        Files.write(dir.resolve("samples.png"), new byte[] {9});
        assertEquals(before, Fingerprints.weightsSha256(dir), "cards and pictures do not change outputs");
        Files.write(dir.resolve("weights.params"), new byte[] {1, 2, 4});
        assertNotEquals(before, Fingerprints.weightsSha256(dir), "one changed weight byte changes the digest");
    }

    @Test
    void shouldFingerprintALoadedModelWithItsEngineAndThreads() {
        Path dir = Path.of("..", "models", "banner-gan", "1");
        RuntimeFingerprint fp = Fingerprints.of(dir, Device.cpu());
        assertTrue(fp.engine().startsWith("PyTorch 2."), fp.engine());
        assertEquals("cpu()", fp.device());
        assertEquals(Integer.getInteger("ai.djl.pytorch.num_threads", fp.threads()), fp.threads());
        assertEquals(
                RuntimeFingerprint.idOf(
                        fp.weightsSha256(),
                        fp.engine(),
                        fp.djl(),
                        fp.device(),
                        fp.isa(),
                        fp.cpu(),
                        fp.threads(),
                        fp.interopThreads()),
                fp.id());
        assertEquals(fp, Fingerprints.of(dir, Device.cpu()), "the same process and model, the same fingerprint");
    }
}
