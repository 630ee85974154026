package dev.genfleet.worker.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import dev.genfleet.inference.text.StaticCacheConfig;
import dev.genfleet.inference.text.StaticCacheTextModel;
import dev.genfleet.inference.torchscript.TorchScriptModules;
import dev.genfleet.schemas.Hashes;
import dev.genfleet.schemas.RuntimeFingerprint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The {@link RuntimeFingerprint} of a loaded model on this process: weights digest, engine and DJL
 * versions, device, the CPU's instruction set as oneDNN names it, the CPU model and the engine's thread
 * counts. See worker/README.md, "Determinism", for what it promises.
 */
public final class Fingerprints {

    /** oneDNN's own switches that cap the ISA its kernels use (the first that is set wins). */
    static final List<String> ISA_CAPS = List.of("ONEDNN_MAX_CPU_ISA", "DNNL_MAX_CPU_ISA");

    private static final Path CPUINFO = Path.of("/proc/cpuinfo");

    private Fingerprints() {}

    /** The fingerprint of the model in {@code versionDir} served on {@code device} by this process. */
    public static RuntimeFingerprint of(Path versionDir, Device device) {
        Engine engine = Engine.getEngine(engineName(versionDir));
        boolean pytorch = "PyTorch".equals(engine.getEngineName());
        Map<String, String> cpu = cpuInfo(CPUINFO);
        return RuntimeFingerprint.of(
                weightsSha256(versionDir),
                engine.getEngineName() + " " + engine.getVersion(),
                Engine.getDjlVersion(),
                device.toString(),
                isa(System.getenv(), cpu.get("flags")),
                cpuName(cpu),
                pytorch ? JniUtils.getNumThreads() : StaticCacheTextModel.intraOpThreads(),
                pytorch ? JniUtils.getNumInteropThreads() : 1);
    }

    /** The engine that runs the model: ONNX Runtime for a {@code static-kv} model in ONNX format, else the default. */
    static String engineName(Path versionDir) {
        try {
            StaticCacheConfig c =
                    StaticCacheFamily.NAME.equals(family(versionDir)) ? StaticCacheConfig.read(versionDir, null) : null;
            if (c != null && c.format().equals(StaticCacheConfig.ONNX)) {
                return "OnnxRuntime";
            }
        } catch (IllegalArgumentException e) {
            // the model's own load reports what is wrong with its config.json
        }
        return Engine.getDefaultEngineName();
    }

    private static String family(Path versionDir) {
        try {
            return TorchScriptModules.string(TorchScriptModules.readConfig(versionDir), "family", "");
        } catch (RuntimeException e) {
            return "";
        }
    }

    /**
     * sha256 over the files of a model version directory that decide its outputs, in name order: each
     * file contributes its name and its own sha256. Model cards ({@code *.md}) and pictures
     * ({@code *.png}, samples) do not count.
     */
    public static String weightsSha256(Path versionDir) {
        StringBuilder digests = new StringBuilder();
        try (Stream<Path> files = Files.list(versionDir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                String name = f.getFileName().toString();
                String lower = name.toLowerCase(Locale.ROOT);
                if (lower.endsWith(".md") || lower.endsWith(".png")) {
                    continue;
                }
                digests.append(name)
                        .append(' ')
                        .append(Hashes.sha256Hex(Files.readAllBytes(f)))
                        .append('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + versionDir, e);
        }
        return Hashes.sha256Hex(digests.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The widest oneDNN ISA this CPU offers (oneDNN's names, {@code dnnl::cpu_isa}), or the cap that
     * {@code ONEDNN_MAX_CPU_ISA}/{@code DNNL_MAX_CPU_ISA} set, lowercased; "unknown" without CPU flags.
     */
    static String isa(Map<String, String> env, String flagLine) {
        for (String cap : ISA_CAPS) {
            String v = env.get(cap);
            if (v != null && !v.isBlank() && !v.equalsIgnoreCase("all") && !v.equalsIgnoreCase("default")) {
                return v.trim().toLowerCase(Locale.ROOT) + " (" + cap + ")";
            }
        }
        if (flagLine == null) {
            return "unknown";
        }
        Set<String> f = new HashSet<>(List.of(flagLine.trim().split("\\s+")));
        boolean avx512core = f.containsAll(List.of("avx512f", "avx512bw", "avx512vl", "avx512dq"));
        if (avx512core && f.containsAll(List.of("amx_tile", "amx_bf16", "amx_int8", "avx512_bf16", "avx512_vnni"))) {
            return f.contains("amx_fp16") ? "avx512_core_amx_fp16" : "avx512_core_amx";
        }
        if (avx512core && f.contains("avx512_bf16") && f.contains("avx512_vnni")) {
            return "avx512_core_bf16";
        }
        if (avx512core && f.contains("avx512_vnni")) {
            return "avx512_core_vnni";
        }
        if (avx512core) {
            return "avx512_core";
        }
        if (f.contains("avx2") && f.contains("avx_vnni")) {
            return "avx2_vnni";
        }
        if (f.contains("avx2")) {
            return "avx2";
        }
        if (f.contains("avx")) {
            return "avx";
        }
        return f.contains("sse4_1") ? "sse41" : "unknown";
    }

    /** The first processor's fields of /proc/cpuinfo (empty where there is none). */
    static Map<String, String> cpuInfo(Path file) {
        if (!Files.isReadable(file)) {
            return Map.of();
        }
        try (Stream<String> lines = Files.lines(file)) {
            Map<String, String> fields = new java.util.LinkedHashMap<>();
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.isBlank()) {
                    if (!fields.isEmpty()) {
                        break; // the first processor is enough: they are alike on the machines we serve from
                    }
                    continue;
                }
                int colon = line.indexOf(':');
                if (colon > 0) {
                    fields.putIfAbsent(
                            line.substring(0, colon).trim(),
                            line.substring(colon + 1).trim());
                }
            }
            return fields;
        } catch (IOException | UncheckedIOException e) {
            return Map.of();
        }
    }

    private static String cpuName(Map<String, String> cpu) {
        String vendor = cpu.getOrDefault("vendor_id", "");
        String model = cpu.getOrDefault("model name", "");
        String name = (vendor + " " + model).trim();
        return name.isEmpty() ? System.getProperty("os.arch") : name;
    }
}
