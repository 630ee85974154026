package dev.genfleet.training.image;

import dev.genfleet.inference.ImageRequest;
import dev.genfleet.inference.image.GanImageModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Raw throughput of the banner GAN, after warm-up, printed as a Markdown table: images/s through
 * {@code generate} (generator + discriminator score + PNG) and through the generator alone, at batch
 * 1 (one request of one image) and batch 16 (sixteen one-image requests in one call). Each cell runs
 * for about {@value #SECONDS_PER_CELL} s, so the whole run stays near one minute.
 *
 * <p>Usage: {@code ImageModelBenchmark [modelsDir]} (default {@code models}, relative to the working directory); loads
 * {@code banner-gan/1} on the engine's default device.
 */
public final class ImageModelBenchmark {

    static final double SECONDS_PER_CELL = 8;

    private ImageModelBenchmark() {}

    public static void main(String[] args) {
        Path models = Path.of(args.length > 0 ? args[0] : "models");
        Path dir = models.resolve("banner-gan").resolve("1");
        long t0 = System.nanoTime();
        try (GanImageModel model = GanImageModel.load(dir)) {
            double loadMs = (System.nanoTime() - t0) / 1e6;
            // warm-up: first calls pay for kernel selection and allocator growth
            for (int i = 0; i < 20; i++) {
                model.generate(requests(16, i * 100L, model));
                model.generate(requests(1, i, model));
            }
            int[] batches = {1, 16};
            List<String> rows = new ArrayList<>();
            for (int b : batches) {
                double e2e = measure(() -> model.generate(requests(b, System.nanoTime(), model)), b);
                long[] seeds = new long[b];
                int[] labels = new int[b];
                double raw = measure(
                        () -> {
                            for (int i = 0; i < b; i++) {
                                seeds[i] = System.nanoTime() + i;
                                labels[i] = i % model.styles().size();
                            }
                            model.render(seeds, labels);
                        },
                        b);
                rows.add(String.format(
                        Locale.ROOT,
                        "| %d | %.0f | %.2f | %.0f | %.2f |",
                        b,
                        e2e,
                        1000.0 * b / e2e,
                        raw,
                        1000.0 * b / raw));
            }
            System.out.printf(
                    Locale.ROOT,
                    "%n%s on %s, %,d parameters, load %.0f ms, torch threads %s%n%n",
                    model.info().id() + " v" + model.info().version(),
                    model.info().device(),
                    model.info().parameters(),
                    loadMs,
                    System.getProperty("ai.djl.pytorch.num_threads", "default"));
            System.out.println(
                    "| batch | images/s (generate: G + score + PNG) | ms/call | images/s (generator only) | ms/call |");
            System.out.println("|---:|---:|---:|---:|---:|");
            rows.forEach(System.out::println);
        }
    }

    private static List<ImageRequest> requests(int n, long seed, GanImageModel model) {
        List<ImageRequest> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new ImageRequest(
                    seed + i, 1, model.styles().get(i % model.styles().size()), 1));
        }
        return out;
    }

    /** Images per second of {@code call}, which produces {@code imagesPerCall} images. */
    private static double measure(Runnable call, int imagesPerCall) {
        long start = System.nanoTime();
        long deadline = start + (long) (SECONDS_PER_CELL * 1e9);
        long calls = 0;
        while (System.nanoTime() < deadline) {
            call.run();
            calls++;
        }
        double secs = (System.nanoTime() - start) / 1e9;
        return calls * imagesPerCall / secs;
    }
}
