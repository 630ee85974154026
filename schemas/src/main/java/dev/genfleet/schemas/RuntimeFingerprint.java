package dev.genfleet.schemas;

import java.nio.charset.StandardCharsets;

/**
 * What a result's bits depend on besides its request: the tuple under which a worker promises
 * bit-identical output for the same request (weights, engine, device, instruction set, CPU, threads).
 * Two results with the same {@code id} ran under the same tuple; a replay compares ids to tell whether
 * it ran on matching hardware before comparing bytes.
 *
 * @param id first 16 hex digits of the sha256 of the other fields ({@link #idOf}); equal ids, same tuple
 * @param weightsSha256 sha256 over the model version directory's files that determine outputs (weights,
 *     config, vocabulary/tokenizer; not the model card or sample images), in name order
 * @param engine inference engine and its native version, e.g. {@code PyTorch 2.7.1}
 * @param djl the DJL version that drives the engine
 * @param device e.g. {@code cpu()} or {@code gpu(0)}
 * @param isa the widest CPU instruction set the engine's kernels may use: the oneDNN ISA of this CPU
 *     ({@code avx512_core_amx}, {@code avx512_core_bf16}, {@code avx512_core}, {@code avx2}, …), or the
 *     lower one {@code ONEDNN_MAX_CPU_ISA} / {@code DNNL_MAX_CPU_ISA} pins
 * @param cpu vendor and model name of the CPU (kernel choice also depends on it, not only on the ISA)
 * @param threads intra-op threads of the engine
 * @param interopThreads inter-op threads of the engine
 */
public record RuntimeFingerprint(
        String id,
        String weightsSha256,
        String engine,
        String djl,
        String device,
        String isa,
        String cpu,
        int threads,
        int interopThreads) {

    public RuntimeFingerprint {
        Checks.required("id", id);
        Checks.required("weights_sha256", weightsSha256);
        Checks.required("engine", engine);
        Checks.required("device", device);
    }

    /** A fingerprint whose id is computed from the fields. */
    public static RuntimeFingerprint of(
            String weightsSha256,
            String engine,
            String djl,
            String device,
            String isa,
            String cpu,
            int threads,
            int interopThreads) {
        return new RuntimeFingerprint(
                idOf(weightsSha256, engine, djl, device, isa, cpu, threads, interopThreads),
                weightsSha256,
                engine,
                djl,
                device,
                isa,
                cpu,
                threads,
                interopThreads);
    }

    /** First 16 hex digits of the sha256 of the fields joined by newlines (null as the empty string). */
    public static String idOf(
            String weightsSha256,
            String engine,
            String djl,
            String device,
            String isa,
            String cpu,
            int threads,
            int interopThreads) {
        String canonical = String.join(
                "\n",
                nz(weightsSha256),
                nz(engine),
                nz(djl),
                nz(device),
                nz(isa),
                nz(cpu),
                Integer.toString(threads),
                Integer.toString(interopThreads));
        return Hashes.sha256Hex(canonical.getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
