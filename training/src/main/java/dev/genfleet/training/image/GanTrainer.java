package dev.genfleet.training.image;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.genfleet.inference.GeneratedImage;
import dev.genfleet.inference.ImageGeneration;
import dev.genfleet.inference.ImageRequest;
import dev.genfleet.inference.image.GanConfig;
import dev.genfleet.inference.image.GanImageModel;
import dev.genfleet.inference.image.GanNetworks;
import dev.genfleet.inference.image.ImageCodec;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Trains the banner GAN on {@link BannerPainter} images and writes {@code <models>/banner-gan/1/}:
 * generator/discriminator {@code .params}, {@code config.json}, {@code samples.png},
 * {@code training-samples.png} and {@code MODEL_CARD.md}.
 *
 * <p>Recipe: conditional DCGAN, non-saturating BCE loss with one-sided label smoothing (real target
 * 0.9), Adam (lr 2e-4, β1 0.5, β2 0.999) for both nets, batch 32, 4,000 steps, an exponential
 * moving average of the generator's weights (whose batch-norm statistics are re-estimated before
 * saving). The generator's linear "template" branch (see {@link GanNetworks#generator}) is what makes
 * this converge in a few minutes on two CPU cores. Seeds are fixed (engine seed for initialisation, seeded Java RNGs for data and
 * latents), so a rerun on the same machine reproduces the run; a wall-clock cap only stops a run that
 * is far slower than planned, and the card says so.
 *
 * <p>Usage: {@code GanTrainer [modelsDir]} (default {@code models}, relative to the working directory). System properties
 * {@code gan.steps}, {@code gan.batch}, {@code gan.maxSeconds}, {@code gan.lrG}, {@code gan.lrD},
 * {@code gan.ema} override the recipe for experiments.
 */
public final class GanTrainer {

    static final int SEED = 20261128;
    static final String VERSION = "1";

    private GanTrainer() {}

    public static void main(String[] args) throws Exception {
        Path modelsDir = Path.of(args.length > 0 ? args[0] : "models");
        // one intra-op thread: these small ops gain little from a second thread, and on a shared
        // 2-core machine a spinning second OpenMP thread made steps up to 6x slower (measured)
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", "1");
        }
        if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        int steps = Integer.getInteger("gan.steps", 4000);
        int batch = Integer.getInteger("gan.batch", 32);
        long maxSeconds = Long.getLong("gan.maxSeconds", 420);
        float lrG = Float.parseFloat(System.getProperty("gan.lrG", "2e-4"));
        float lrD = Float.parseFloat(System.getProperty("gan.lrD", "2e-4"));
        float emaDecay = Float.parseFloat(System.getProperty("gan.ema", "0.998"));
        float realTarget = 0.9f;
        String previewProp = System.getProperty("gan.previewDir");
        Path previewDir = previewProp == null ? null : Files.createDirectories(Path.of(previewProp));
        int previewEvery = Integer.getInteger("gan.previewEvery", 200);
        int logEvery = 100;

        GanConfig cfg = GanConfig.defaults();
        Path out = modelsDir.resolve("banner-gan").resolve(VERSION);
        Files.createDirectories(out);

        Engine engine = Engine.getInstance();
        engine.setRandomSeed(SEED);
        Device device = Device.cpu();
        int styles = cfg.styleCount();
        int size = cfg.imageSize();
        BannerPainter painter = new BannerPainter(size);
        Random rnd = new Random(SEED);
        SplittableRandom latentRnd = new SplittableRandom(SEED + 1L);

        List<double[]> trace = new ArrayList<>(); // step, lossD, lossG, D(real), D(fake)
        long t0;
        long trainNanos;
        int done = 0;
        boolean capped = false;
        long gParams;
        long dParams;
        try (NDManager root = engine.newBaseManager(device)) {
            Block g = GanNetworks.generator(cfg);
            Block d = GanNetworks.discriminator(cfg);
            GanNetworks.initialize(cfg, g, d, root);
            gParams = GanNetworks.parameterCount(g);
            dParams = GanNetworks.parameterCount(d);
            System.out.printf(
                    Locale.ROOT, "G %,d params, D %,d params; %d steps x batch %d%n", gParams, dParams, steps, batch);
            ParameterStore ps = new ParameterStore(root, false);
            Optimizer optG = adam(lrG);
            Optimizer optD = adam(lrD);
            List<Parameter> gTrainable = trainable(g);
            List<Parameter> dTrainable = trainable(d);
            List<NDArray> ema = new ArrayList<>();
            for (Parameter p : gTrainable) {
                ema.add(p.getArray().duplicate());
            }

            double sumD = 0;
            double sumG = 0;
            double sumReal = 0;
            double sumFake = 0;
            int window = 0;
            t0 = System.nanoTime();
            for (int step = 1; step <= steps; step++) {
                try (NDManager sm = root.newSubManager()) {
                    int[] labels = new int[batch];
                    int[][] real = new int[batch][];
                    float[][] z = new float[batch][];
                    for (int i = 0; i < batch; i++) {
                        labels[i] = rnd.nextInt(styles);
                        real[i] = painter.paintRgb(cfg.styles().get(labels[i]), rnd.nextLong());
                        z[i] = GanNetworks.latent(latentRnd.nextLong(), cfg.latentDim());
                    }
                    NDArray realIn =
                            GanNetworks.discriminatorInput(GanNetworks.imagesToArray(sm, real, size), cfg, labels);
                    NDArray gIn = GanNetworks.generatorInput(sm, cfg, z, labels);

                    // D step: real -> realTarget, fake (detached) -> 0
                    NDArray fake;
                    float lossD;
                    float pReal;
                    float pFake;
                    try (GradientCollector gc = engine.newGradientCollector()) {
                        fake = g.forward(ps, new NDList(gIn), true).singletonOrThrow();
                        NDArray dReal = d.forward(ps, new NDList(realIn), true).singletonOrThrow();
                        NDArray fakeIn = GanNetworks.discriminatorInput(fake.stopGradient(), cfg, labels);
                        NDArray dFake = d.forward(ps, new NDList(fakeIn), true).singletonOrThrow();
                        NDArray loss = bceWithLogits(dReal, realTarget).add(bceWithLogits(dFake, 0f));
                        gc.backward(loss);
                        lossD = loss.getFloat();
                        pReal = meanSigmoid(dReal);
                        pFake = meanSigmoid(dFake);
                    }
                    update(optD, dTrainable);

                    // G step: non-saturating loss through the updated D, reusing G's recorded graph
                    float lossG;
                    try (GradientCollector gc = engine.newGradientCollector()) {
                        NDArray fakeIn = GanNetworks.discriminatorInput(fake, cfg, labels);
                        NDArray dFake = d.forward(ps, new NDList(fakeIn), true).singletonOrThrow();
                        NDArray loss = bceWithLogits(dFake, 1f);
                        gc.backward(loss);
                        lossG = loss.getFloat();
                    }
                    update(optG, gTrainable);
                    zeroGradients(dTrainable); // PyTorch accumulates: D's grads from the G step must go

                    if (emaDecay > 0) {
                        // warm-up: early on the average must not remember the random initialisation
                        float decay = Math.min(emaDecay, (1f + step) / (10f + step));
                        for (int i = 0; i < ema.size(); i++) {
                            NDArray w = gTrainable.get(i).getArray();
                            try (NDArray part = w.mul(1f - decay)) {
                                ema.get(i).muli(decay).addi(part);
                            }
                        }
                    }

                    sumD += lossD;
                    sumG += lossG;
                    sumReal += pReal;
                    sumFake += pFake;
                    window++;
                }
                done = step;
                if (previewDir != null && step % previewEvery == 0) {
                    preview(g, ps, root, cfg, previewDir.resolve(String.format(Locale.ROOT, "preview-%05d.png", step)));
                }
                if (step % logEvery == 0 || step == steps) {
                    double[] row = {step, sumD / window, sumG / window, sumReal / window, sumFake / window};
                    trace.add(row);
                    double secs = (System.nanoTime() - t0) / 1e9;
                    System.out.printf(
                            Locale.ROOT,
                            "step %5d  %6.1fs  %.2f steps/s  lossD %.3f  lossG %.3f  D(real) %.3f  D(fake) %.3f%n",
                            step,
                            secs,
                            step / secs,
                            row[1],
                            row[2],
                            row[3],
                            row[4]);
                    sumD = sumG = sumReal = sumFake = 0;
                    window = 0;
                    if (secs > maxSeconds && step < steps) {
                        capped = true;
                        System.out.printf(Locale.ROOT, "wall-clock cap of %ds reached at step %d%n", maxSeconds, step);
                        break;
                    }
                }
            }
            trainNanos = System.nanoTime() - t0;

            if (emaDecay > 0) {
                // swap in the averaged weights and re-estimate batch-norm statistics for them
                for (int i = 0; i < ema.size(); i++) {
                    ema.get(i).copyTo(gTrainable.get(i).getArray());
                }
                recalibrateBatchNorm(g, ps, root, cfg, latentRnd, rnd, batch);
            }
            save(g, out.resolve(GanConfig.GENERATOR_FILE));
            save(d, out.resolve(GanConfig.DISCRIMINATOR_FILE));
        }
        double trainSeconds = trainNanos / 1e9;
        System.out.printf(
                Locale.ROOT, "trained %d steps in %.1fs (%.2f steps/s)%n", done, trainSeconds, done / trainSeconds);

        // evaluate through the saved model, exactly as the worker will load it
        JsonObject training = new JsonObject();
        training.addProperty("seed", SEED);
        training.addProperty("steps", done);
        training.addProperty("plannedSteps", steps);
        training.addProperty("stoppedByWallClockCap", capped);
        training.addProperty("batchSize", batch);
        training.addProperty("optimizer", "adam");
        training.addProperty("lrG", lrG);
        training.addProperty("lrD", lrD);
        training.addProperty("beta1", 0.5);
        training.addProperty("beta2", 0.999);
        training.addProperty("loss", "non-saturating BCE with logits");
        training.addProperty("realLabel", realTarget);
        training.addProperty("generatorEmaDecay", emaDecay);
        training.addProperty("wallSeconds", round(trainSeconds, 1));
        training.addProperty("stepsPerSecond", round(done / trainSeconds, 2));
        training.addProperty("torchThreads", Integer.getInteger("ai.djl.pytorch.num_threads", 1));
        JsonArray traceJson = new JsonArray();
        for (double[] row : trace) {
            JsonObject o = new JsonObject();
            o.addProperty("step", (int) row[0]);
            o.addProperty("lossD", round(row[1], 4));
            o.addProperty("lossG", round(row[2], 4));
            o.addProperty("dReal", round(row[3], 4));
            o.addProperty("dFake", round(row[4], 4));
            traceJson.add(o);
        }
        training.add("lossTrace", traceJson);
        // write the architecture first so the model can be loaded for evaluation
        cfg.write(out, training, null);

        JsonObject metrics;
        try (GanImageModel model = GanImageModel.load(out, device)) {
            metrics = evaluate(model, painter, out);
            cfg.write(out, training, metrics);
            writeCard(out, cfg, model, gParams, dParams, training, metrics, trace);
        }
        System.out.println("wrote " + out.toAbsolutePath().normalize());
    }

    private static Optimizer adam(float lr) {
        return Adam.builder()
                .optLearningRateTracker(Tracker.fixed(lr))
                .optBeta1(0.5f)
                .optBeta2(0.999f)
                .build();
    }

    private static List<Parameter> trainable(Block block) {
        List<Parameter> out = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().requiresGradient()) {
                out.add(p.getValue());
            }
        }
        return out;
    }

    /** One Adam step on each parameter (DJL's PyTorch Adam zeroes the gradient it consumed). */
    private static void update(Optimizer optimizer, List<Parameter> params) {
        for (Parameter p : params) {
            NDArray w = p.getArray();
            try (NDArray grad = w.getGradient()) {
                optimizer.update(p.getId(), w, grad);
            }
        }
    }

    private static void zeroGradients(List<Parameter> params) {
        for (Parameter p : params) {
            try (NDArray grad = p.getArray().getGradient()) {
                grad.muli(0f);
            }
        }
    }

    /** Mean binary cross-entropy of logits {@code x} against a constant target, numerically stable. */
    private static NDArray bceWithLogits(NDArray x, float target) {
        return x.maximum(0f)
                .sub(x.mul(target))
                .add(x.abs().neg().exp().add(1f).log())
                .mean();
    }

    private static float meanSigmoid(NDArray logits) {
        float[] v = logits.toFloatArray();
        double s = 0;
        for (float x : v) {
            s += 1.0 / (1.0 + Math.exp(-x));
        }
        return (float) (s / v.length);
    }

    /** Forward passes in training mode (no gradients) so batch norm's running stats fit the EMA weights. */
    private static void recalibrateBatchNorm(
            Block g,
            ParameterStore ps,
            NDManager root,
            GanConfig cfg,
            SplittableRandom latentRnd,
            Random rnd,
            int batch) {
        for (int k = 0; k < 100; k++) {
            try (NDManager sm = root.newSubManager()) {
                int[] labels = new int[batch];
                float[][] z = new float[batch][];
                for (int i = 0; i < batch; i++) {
                    labels[i] = rnd.nextInt(cfg.styleCount());
                    z[i] = GanNetworks.latent(latentRnd.nextLong(), cfg.latentDim());
                }
                g.forward(ps, new NDList(GanNetworks.generatorInput(sm, cfg, z, labels)), true);
            }
        }
    }

    /** Debug aid: the current (non-averaged) generator in inference mode on the sample-grid latents. */
    private static void preview(Block g, ParameterStore ps, NDManager root, GanConfig cfg, Path file)
            throws IOException {
        int n = 8 * 2 * cfg.styleCount();
        float[][] z = new float[n][];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i / 16;
            z[i] = GanNetworks.latent(
                    GanImageModel.imageSeed(1000L * (labels[i] + 1) + (i / 8) % 2, i % 8), cfg.latentDim());
        }
        List<int[]> images = new ArrayList<>();
        try (NDManager sm = root.newSubManager()) {
            float[] chw = g.forward(ps, new NDList(GanNetworks.generatorInput(sm, cfg, z, labels)), false)
                    .singletonOrThrow()
                    .toFloatArray();
            for (int i = 0; i < n; i++) {
                images.add(GanNetworks.fromChw(chw, i, cfg.imageSize()));
            }
        }
        ImageCodec.writeGrid(file, images, cfg.imageSize(), 8, 3, 2);
    }

    private static void save(Block block, Path file) throws IOException {
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(file));
                DataOutputStream dos = new DataOutputStream(os)) {
            block.saveParameters(dos);
        }
    }

    /** Sample grids and realism scores of real, generated and noise images. */
    private static JsonObject evaluate(GanImageModel model, BannerPainter painter, Path out) throws IOException {
        GanConfig cfg = model.config();
        int size = cfg.imageSize();
        int perStyle = 16;
        List<int[]> generated = new ArrayList<>();
        List<int[]> realGrid = new ArrayList<>();
        double genScore = 0;
        int genCount = 0;
        for (String style : cfg.styles()) {
            for (int row = 0; row < 2; row++) {
                long seed = 1000L * (cfg.styleIndex(style) + 1) + row;
                ImageGeneration gen = model.generate(List.of(new ImageRequest(seed, 8, style, 8)))
                        .get(0);
                for (GeneratedImage img : gen.images()) {
                    generated.add(decode(img.png(), size));
                }
            }
            for (int i = 0; i < perStyle; i++) {
                realGrid.add(painter.paintRgb(style, 777_000L + i));
            }
        }
        ImageCodec.writeGrid(out.resolve("samples.png"), generated, size, 8, 4, 4);
        ImageCodec.writeGrid(out.resolve("training-samples.png"), realGrid, size, 8, 4, 4);

        // realism: 128 fresh real images per style vs 128 generated per style vs uniform noise
        int n = 128;
        double real = 0;
        double fake = 0;
        double noise = 0;
        JsonObject perStyleJson = new JsonObject();
        SplittableRandom noiseRnd = new SplittableRandom(99);
        for (String style : cfg.styles()) {
            List<int[]> reals = new ArrayList<>();
            List<int[]> noises = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                reals.add(painter.paintRgb(style, 5_000_000L + i));
                int[] px = new int[size * size];
                for (int p = 0; p < px.length; p++) {
                    px[p] = noiseRnd.nextInt(0x1000000);
                }
                noises.add(px);
            }
            double r = mean(model.score(reals, style));
            double z = mean(model.score(noises, style));
            ImageGeneration gen = model.generate(
                            List.of(new ImageRequest(424242L + cfg.styleIndex(style), n, style, n)))
                    .get(0);
            double f = gen.images().stream()
                    .mapToDouble(GeneratedImage::realismScore)
                    .average()
                    .orElse(0);
            JsonObject s = new JsonObject();
            s.addProperty("real", round(r, 4));
            s.addProperty("generated", round(f, 4));
            s.addProperty("noise", round(z, 4));
            perStyleJson.add(style, s);
            real += r / cfg.styleCount();
            fake += f / cfg.styleCount();
            noise += z / cfg.styleCount();
            genScore += f;
            genCount++;
        }
        JsonObject metrics = new JsonObject();
        metrics.addProperty("meanRealismReal", round(real, 4));
        metrics.addProperty("meanRealismGenerated", round(fake, 4));
        metrics.addProperty("meanRealismNoise", round(noise, 4));
        metrics.addProperty("imagesPerStyleScored", n);
        metrics.add("perStyle", perStyleJson);
        System.out.printf(Locale.ROOT, "realism: real %.3f  generated %.3f  noise %.3f%n", real, fake, noise);
        return metrics;
    }

    private static int[] decode(byte[] png, int size) throws IOException {
        var img = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png));
        return img.getRGB(0, 0, size, size, null, 0, size);
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    private static void writeCard(
            Path out,
            GanConfig cfg,
            GanImageModel model,
            long gParams,
            long dParams,
            JsonObject training,
            JsonObject metrics,
            List<double[]> trace)
            throws IOException {
        StringBuilder md = new StringBuilder();
        double[] last = trace.isEmpty() ? new double[5] : trace.get(trace.size() - 1);
        md.append("# banner-gan v").append(VERSION).append(" — model card\n\n");
        md.append("A small class-conditional DCGAN that draws ")
                .append(cfg.imageSize())
                .append("×")
                .append(cfg.imageSize())
                .append(" RGB banner-like images in one of ")
                .append(cfg.styleCount())
                .append(" styles: ")
                .append(String.join(", ", cfg.styles()))
                .append(" (default `")
                .append(cfg.defaultStyle())
                .append("`).\n")
                .append("Trained from scratch, on CPU, on procedurally painted images only (`BannerPainter`); ")
                .append("no external data or weights.\n\n");
        md.append("## Files\n\n")
                .append("| file | content |\n|---|---|\n")
                .append(
                        "| `generator.params` | generator weights (DJL block parameters, EMA of the training weights) |\n")
                .append("| `discriminator.params` | discriminator weights (gives the realism score) |\n")
                .append(
                        "| `config.json` | family `dcgan`, architecture (needed to rebuild the blocks), training recipe, loss trace, metrics |\n")
                .append(
                        "| `samples.png` | 8×8 generated images, ×4 nearest upscale; two rows per style in the order above; request seeds 1000·(style+1)+row, count 8 |\n")
                .append(
                        "| `training-samples.png` | 8×8 training images in the same layout (painter seeds 777000..777015 per style) |\n\n");
        md.append("## Architecture\n\n")
                .append("- Generator (")
                .append(String.format(Locale.ROOT, "%,d", gParams))
                .append(" parameters): ")
                .append("latent z ∈ R^")
                .append(cfg.latentDim())
                .append(" (standard normal, from the image seed) ‖ one-hot style → ")
                .append("Linear → 4×4×")
                .append(cfg.gBase())
                .append(" → BatchNorm → ReLU → ");
        for (int c : cfg.gChannels()) {
            md.append("[nearest ×2 upsample → conv3×3 ").append(c).append(" → BatchNorm → ReLU] → ");
        }
        md.append(
                        "nearest ×2 upsample → conv3×3 3; plus a *template* branch (one bias-free Linear from the one-hot style ")
                .append("straight to ")
                .append(cfg.imageSize())
                .append("×")
                .append(cfg.imageSize())
                .append("×3, zero-initialised: a learned base image per style) summed with it before the tanh. ")
                .append(
                        "The template branch leaves the conv path only the latent-driven part (shape positions, jitter), which is what makes ")
                .append("training converge in minutes on a CPU. Conv-path weights start from N(0, 0.02) (DCGAN). ")
                .append("(The PyTorch engine has no transposed convolution, hence nearest upsampling + conv.)\n")
                .append("- Discriminator (")
                .append(String.format(Locale.ROOT, "%,d", dParams))
                .append(" parameters): ")
                .append("image ‖ ")
                .append(cfg.styleCount())
                .append(" constant one-hot style planes → ");
        for (int c : cfg.dChannels()) {
            md.append("[conv4×4 stride 2 ")
                    .append(c)
                    .append(" → LeakyReLU ")
                    .append(cfg.leakySlope())
                    .append("] → ");
        }
        md.append("flatten → Linear → logit. No normalisation, so scores do not depend on the batch.\n")
                .append("- Total ")
                .append(String.format(Locale.ROOT, "%,d", gParams + dParams))
                .append(" trainable parameters (ModelInfo reports G + D: both run at inference).\n\n");
        md.append("## Data\n\n")
                .append(
                        "`BannerPainter` paints each training image from (style, seed) with pure arithmetic: a vertical gradient ")
                .append(
                        "background and a few large, anti-aliased shapes, low variance by design (jittered positions/sizes, ")
                .append("±8% brightness):\n\n")
                .append("- `sunset`: purple→orange sky, large yellow sun on the horizon, dark ground band\n")
                .append("- `ocean`: pale blue sky, deep blue sea, two light wave stripes\n")
                .append("- `forest`: pale green sky, three dark green triangular trees, green ground\n")
                .append("- `neon`: near-black background, thick magenta ring, cyan bar\n\n")
                .append(
                        "Every step draws a fresh batch (uniform style labels, seeded), so the data set is unbounded.\n\n");
        md.append("## Training\n\n")
                .append("| | |\n|---|---|\n")
                .append("| steps | ")
                .append(training.get("steps").getAsInt())
                .append(training.get("stoppedByWallClockCap").getAsBoolean() ? " (stopped by the wall-clock cap)" : "")
                .append(" |\n")
                .append("| batch | ")
                .append(training.get("batchSize").getAsInt())
                .append(" |\n")
                .append("| optimiser | Adam lr G ")
                .append(training.get("lrG").getAsFloat())
                .append(", D ")
                .append(training.get("lrD").getAsFloat())
                .append(", β1 0.5, β2 0.999 |\n")
                .append("| loss | non-saturating BCE on logits, real label smoothed to ")
                .append(training.get("realLabel").getAsFloat())
                .append(" |\n")
                .append("| generator EMA decay | ")
                .append(training.get("generatorEmaDecay").getAsFloat())
                .append(" (batch-norm statistics re-estimated with 100 batches afterwards) |\n")
                .append("| seed | ")
                .append(SEED)
                .append(" (engine + data + latents) |\n")
                .append("| wall time | ")
                .append(training.get("wallSeconds").getAsDouble())
                .append(" s (training loop only) |\n")
                .append("| speed | ")
                .append(training.get("stepsPerSecond").getAsDouble())
                .append(" steps/s on CPU, ")
                .append(training.get("torchThreads").getAsInt())
                .append(" torch thread(s) |\n")
                .append(String.format(
                        Locale.ROOT,
                        "| final losses (mean of last %d steps) | D %.3f, G %.3f |%n",
                        trace.size() > 1 ? (int) (last[0] - trace.get(trace.size() - 2)[0]) : (int) last[0],
                        last[1],
                        last[2]))
                .append("\n### Loss trace (means over each window)\n\n")
                .append("| step | loss D | loss G | D(real) | D(fake) |\n|---:|---:|---:|---:|---:|\n");
        for (double[] row : trace) {
            md.append(String.format(
                    Locale.ROOT, "| %d | %.3f | %.3f | %.3f | %.3f |%n", (int) row[0], row[1], row[2], row[3], row[4]));
        }
        md.append("\n## Realism score\n\n")
                .append("sigmoid(D(image, style)) in [0, 1], on the 8-bit images the model returns; ")
                .append(metrics.get("imagesPerStyleScored").getAsInt())
                .append(" images per style.\n\n")
                .append("| images | mean score |\n|---|---:|\n")
                .append("| real (fresh painter seeds) | ")
                .append(metrics.get("meanRealismReal").getAsDouble())
                .append(" |\n")
                .append("| generated | ")
                .append(metrics.get("meanRealismGenerated").getAsDouble())
                .append(" |\n")
                .append("| uniform noise | ")
                .append(metrics.get("meanRealismNoise").getAsDouble())
                .append(" |\n\n")
                .append(
                        "Per style: see `config.json` → `metrics.perStyle`. A discriminator at the end of GAN training is not a ")
                .append(
                        "calibrated judge: use the score to rank candidates of one request (best-of), not as an absolute quality.\n\n");
        md.append("## Use\n\n")
                .append("`GanImageModel.load(dir)`; image i of a request uses latent seed `imageSeed(seed, i)` ")
                .append("(`imageSeed(seed, 0) == seed`), so every returned image can be reproduced alone. ")
                .append("Same seed ⇒ identical PNG bytes, alone or in a batch.\n\n")
                .append("Retrain: `./mvnw -q install -DskipTests && ./mvnw -q -pl worker exec:exec@train-image`.\n");
        Files.writeString(out.resolve("MODEL_CARD.md"), md.toString(), StandardCharsets.UTF_8);
    }
}
