package dev.genfleet.worker.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.genfleet.inference.ModelInfo;
import dev.genfleet.inference.image.GanImageModel;
import dev.genfleet.inference.text.GptTextModel;
import dev.genfleet.schemas.RuntimeFingerprint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;

/**
 * Loads models by id and version from model directories laid out {@code <id>/<version>/} with a
 * {@code config.json} whose {@code family} names the code that reads the weights. A user drops in a
 * bigger model of a known family (new folder, new config) without code changes, including any
 * TorchScript module that keeps the text or image contract of family {@code torchscript}
 * ({@link TorchScriptFamily}) and any exported language model with a {@code tokenizer.json} and a static
 * key/value cache, TorchScript or ONNX, of family {@code static-kv} ({@link StaticCacheFamily}). With several directories, the first that holds the model wins.
 */
public final class ModelRegistry {

    private final List<Path> roots;
    private final Device device;
    private final Map<String, ModelFamily> families = new LinkedHashMap<>();

    /** @param device null = the engine's default (the GPU when DJL sees one, else the CPU) */
    public ModelRegistry(List<Path> roots, Device device) {
        this.roots = List.copyOf(roots);
        this.device = device;
        register(ModelFamily.of("gpt-char", (dir, d) -> new TextHostedModel(GptTextModel.load(dir, d))));
        register(ModelFamily.of("dcgan", (dir, d) -> new ImageHostedModel(GanImageModel.load(dir, d))));
        register(new TorchScriptFamily());
        register(new StaticCacheFamily());
        ServiceLoader.load(ModelFamily.class).forEach(this::register);
    }

    private void register(ModelFamily family) {
        families.put(family.name(), family);
    }

    public Device device() {
        return device != null ? device : Engine.getInstance().defaultDevice();
    }

    /**
     * Loads a model.
     *
     * @param version a version folder name, or null/"latest" for the highest version present
     * @throws IllegalArgumentException when the model, version or family is unknown
     */
    public HostedModel load(String id, String version) {
        Path modelDir = roots.stream()
                .map(root -> root.resolve(id).normalize())
                .filter(dir -> roots.stream().anyMatch(r -> dir.startsWith(r.normalize())) && Files.isDirectory(dir))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no model '" + id + "' under " + roots));
        String resolved = version == null || version.equals("latest") ? latestVersion(modelDir) : version;
        Path versionDir = modelDir.resolve(resolved).normalize();
        if (!versionDir.startsWith(modelDir) || !Files.isRegularFile(versionDir.resolve("config.json"))) {
            throw new IllegalArgumentException(
                    "no version '" + resolved + "' of model '" + id + "' (config.json missing)");
        }
        String family = family(versionDir);
        ModelFamily loader = families.get(family);
        if (loader == null) {
            throw new IllegalArgumentException(
                    "model " + id + "/" + resolved + ": unknown family '" + family + "', known: " + families.keySet());
        }
        Device d = device();
        HostedModel model = loader.load(versionDir, d);
        try {
            return new Fingerprinted(model, Fingerprints.of(versionDir, d));
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** A loaded model whose {@link ModelInfo} carries the runtime fingerprint its results record. */
    private record Fingerprinted(HostedModel model, RuntimeFingerprint runtime) implements HostedModel {
        @Override
        public ModelInfo info() {
            return model.info();
        }

        @Override
        public void check(dev.genfleet.schemas.JobInput input) {
            model.check(input);
        }

        @Override
        public List<dev.genfleet.schemas.JobOutput> run(List<dev.genfleet.schemas.JobInput> inputs) {
            return model.run(inputs);
        }

        @Override
        public void close() {
            model.close();
        }
    }

    /** {@code id/version} of every model present. */
    public List<String> available() {
        List<String> found = new ArrayList<>();
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> configs =
                    Files.find(root, 3, (p, a) -> p.getFileName().toString().equals("config.json"))) {
                configs.forEach(c -> found.add(root.relativize(c.getParent()).toString()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        found.sort(Comparator.naturalOrder());
        return found;
    }

    private static String latestVersion(Path modelDir) {
        try (Stream<Path> versions = Files.list(modelDir)) {
            return versions.filter(p -> Files.isRegularFile(p.resolve("config.json")))
                    .map(p -> p.getFileName().toString())
                    .max(ModelRegistry::compareVersions)
                    .orElseThrow(
                            () -> new IllegalArgumentException("model " + modelDir.getFileName() + " has no version"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Numeric segments compare as numbers: 10 > 9, 1.10 > 1.9. */
    static int compareVersions(String a, String b) {
        String[] x = a.split("[.-]");
        String[] y = b.split("[.-]");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            String p = i < x.length ? x[i] : "0";
            String q = i < y.length ? y[i] : "0";
            int c = p.matches("\\d+") && q.matches("\\d+")
                    ? Long.compare(Long.parseLong(p), Long.parseLong(q))
                    : p.compareTo(q);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static String family(Path versionDir) {
        try {
            JsonNode config = new ObjectMapper()
                    .readTree(versionDir.resolve("config.json").toFile());
            return config.path("family").asText("");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + versionDir.resolve("config.json"), e);
        }
    }
}
