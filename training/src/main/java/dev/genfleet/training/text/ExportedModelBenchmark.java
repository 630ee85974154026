package dev.genfleet.training.text;

import ai.djl.Device;
import dev.genfleet.inference.TextGeneration;
import dev.genfleet.inference.TextModel;
import dev.genfleet.inference.TextRequest;
import dev.genfleet.inference.text.GptTextModel;
import dev.genfleet.inference.text.StaticCacheConfig;
import dev.genfleet.inference.text.StaticCacheTextModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Raw throughput of the {@code static-kv} exports ({@code copy-gpt-kv}, {@code tiny-llama-kv}) in both
 * formats (TorchScript on the PyTorch engine, ONNX on ONNX Runtime) beside copy-gpt itself (DJL blocks),
 * at batch 1 and 16, on the CPU with one intra-op thread for either engine. Same requests as
 * {@link TextModelBenchmark} (48 max tokens, temperature 0.8, top-p 0.95, no stop; tiny-llama-kv may end
 * a row earlier at its end-of-text token: tokens/s counts the tokens generated). Prints a Markdown table.
 *
 * <p>Usage: {@code ExportedModelBenchmark [modelsDir]}; {@code -Dgenfleet.bench.seconds} per row (default 5).
 */
public final class ExportedModelBenchmark {

    private ExportedModelBenchmark() {}

    public static void main(String[] args) {
        System.setProperty("ai.djl.pytorch.num_threads", System.getProperty("ai.djl.pytorch.num_threads", "1"));
        System.setProperty(
                "ai.djl.pytorch.num_interop_threads", System.getProperty("ai.djl.pytorch.num_interop_threads", "1"));
        Path models = Path.of(args.length > 0 ? args[0] : "models");
        double seconds = Double.parseDouble(System.getProperty("genfleet.bench.seconds", "5"));
        List<String> rows = new ArrayList<>();
        try (GptTextModel copyGpt = GptTextModel.load(models.resolve("copy-gpt/1"), Device.cpu())) {
            rows.addAll(measure("copy-gpt", "DJL blocks (PyTorch)", copyGpt, seconds));
        }
        for (String id : List.of("copy-gpt-kv", "tiny-llama-kv")) {
            Path dir = models.resolve(id).resolve("1");
            if (!Files.isDirectory(dir)) {
                System.out.println("(skipped " + id + ": no " + dir + ")");
                continue;
            }
            for (String format : List.of(StaticCacheConfig.TORCHSCRIPT, StaticCacheConfig.ONNX)) {
                try (StaticCacheTextModel model = StaticCacheTextModel.load(dir, Device.cpu(), format)) {
                    rows.addAll(measure(id, format + " (" + model.engine() + ")", model, seconds));
                }
            }
        }
        System.out.printf(
                Locale.ROOT,
                "%n### exported text models (static key/value cache), CPU, %s intra-op thread(s), 8 slots%n%n",
                System.getProperty("ai.djl.pytorch.num_threads"));
        System.out.println("| model | format (engine) | batch | jobs | tokens | seconds | tokens/s |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|");
        rows.forEach(System.out::println);
    }

    private static List<String> measure(String id, String format, TextModel model, double seconds) {
        run(model, 16, 1.0); // warm-up
        run(model, 1, 0.5);
        List<String> out = new ArrayList<>();
        for (int batch : new int[] {1, 16}) {
            long start = System.nanoTime();
            long jobs = 0;
            long tokens = 0;
            int round = 0;
            do {
                for (TextGeneration g : model.generate(requests(batch, round++))) {
                    jobs++;
                    tokens += g.completionTokens();
                }
            } while ((System.nanoTime() - start) / 1e9 < seconds);
            double s = (System.nanoTime() - start) / 1e9;
            out.add(String.format(
                    Locale.ROOT,
                    "| %s | %s | %d | %d | %d | %.2f | %.0f |",
                    id,
                    format,
                    batch,
                    jobs,
                    tokens,
                    s,
                    tokens / s));
        }
        return out;
    }

    private static void run(TextModel model, int batch, double seconds) {
        long start = System.nanoTime();
        int round = 1000;
        do {
            model.generate(requests(batch, round++));
        } while ((System.nanoTime() - start) / 1e9 < seconds);
    }

    private static List<TextRequest> requests(int batch, int round) {
        List<TextRequest> out = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
            out.add(new TextRequest(
                    i % 2 == 0 ? "Hi Maria," : "",
                    TextModelBenchmark.MAX_TOKENS,
                    0.8,
                    0,
                    0.95,
                    List.of(),
                    round * 1000L + i));
        }
        return out;
    }
}
