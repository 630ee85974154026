package dev.genfleet.training.text;

import ai.djl.engine.Engine;
import dev.genfleet.inference.TextGeneration;
import dev.genfleet.inference.TextRequest;
import dev.genfleet.inference.text.GptTextModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Raw throughput of {@link GptTextModel} at batch 1 and batch 16 with fixed max tokens (48, no stop
 * sequence, temperature 0.8, top-p 0.95), after warm-up; also the same without the key/value cache
 * (full recompute per token). Prints a Markdown table; bounded to about a minute.
 *
 * <p>Usage: {@code TextModelBenchmark [modelsDir]} (default {@code models}, relative to the working directory). Uses one PyTorch
 * intra-op thread unless {@code -Dai.djl.pytorch.num_threads} says otherwise.
 */
public final class TextModelBenchmark {

    static final int MAX_TOKENS = 48;

    private TextModelBenchmark() {}

    public static void main(String[] args) {
        System.setProperty("ai.djl.pytorch.num_threads", System.getProperty("ai.djl.pytorch.num_threads", "1"));
        System.setProperty(
                "ai.djl.pytorch.num_interop_threads", System.getProperty("ai.djl.pytorch.num_interop_threads", "1"));
        Path dir = Path.of(args.length > 0 ? args[0] : "models")
                .resolve("copy-gpt")
                .resolve("1");
        double seconds = Double.parseDouble(System.getProperty("genfleet.bench.seconds", "10"));
        long loadStart = System.nanoTime();
        try (GptTextModel model = GptTextModel.load(dir, Engine.getInstance().defaultDevice())) {
            double loadMs = (System.nanoTime() - loadStart) / 1e6;
            run(model, 16, 1.0); // warm-up
            run(model, 1, 1.0);
            List<String> rows = new ArrayList<>();
            rows.add(line(model, "yes", 1, seconds));
            rows.add(line(model, "yes", 16, seconds));
            model.setFullRecompute(true);
            run(model, 1, 0.5);
            rows.add(line(model, "no (full recompute)", 1, seconds / 2));
            rows.add(line(model, "no (full recompute)", 16, seconds / 2));
            model.setFullRecompute(false);
            // the served model computes all its slots every step; one slot is the fastest single-row path
            try (GptTextModel single =
                    GptTextModel.load(dir, Engine.getInstance().defaultDevice(), 1)) {
                run(single, 1, 1.0);
                rows.add(line(single, "yes (one slot per step)", 1, seconds));
            }
            System.out.printf(Locale.ROOT, "%n### copy-gpt text throughput%n%n");
            System.out.printf(
                    Locale.ROOT,
                    "device %s, %,d parameters, torch threads %s, %d rows per step, max_tokens %d, load %.0f ms%n%n",
                    model.info().device(),
                    model.info().parameters(),
                    System.getProperty("ai.djl.pytorch.num_threads"),
                    model.rowsPerStep(),
                    MAX_TOKENS,
                    loadMs);
            System.out.println("| KV cache | batch | jobs | tokens | seconds | jobs/s | tokens/s |");
            System.out.println("|---|---:|---:|---:|---:|---:|---:|");
            rows.forEach(System.out::println);
        }
    }

    private static String line(GptTextModel model, String cache, int batch, double seconds) {
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
        return String.format(
                Locale.ROOT,
                "| %s | %d | %d | %d | %.2f | %.2f | %.0f |",
                cache,
                batch,
                jobs,
                tokens,
                s,
                jobs / s,
                tokens / s);
    }

    private static void run(GptTextModel model, int batch, double seconds) {
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
                    i % 2 == 0 ? "Hi Maria," : "", MAX_TOKENS, 0.8, 0, 0.95, List.of(), round * 1000L + i));
        }
        return out;
    }
}
