package dev.genfleet.deploy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The chart under test: renders it with helm-java (Helm as a native library, no CLI, no cluster) and
 * parses what it renders. Renders are cached per values file, so the many checks cost one render each.
 */
final class Chart {

    static final String RELEASE = "genfleet";
    static final String NAMESPACE = "genfleet";
    static final String KUBE_VERSION = "1.32.0";
    /** Duplicate keys fail: Kubernetes' own YAML decoder rejects them too. */
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /** Every shipped example install, plus test-only variants that reach the chart's other branches. */
    static List<Path> examples() {
        List<Path> examples = new ArrayList<>();
        examples.add(dir().resolve("values.yaml"));
        try (Stream<Path> files = Files.list(dir())) {
            files.filter(p -> p.getFileName().toString().matches("values-.+\\.yaml"))
                    .sorted()
                    .forEach(examples::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (Stream<Path> files = Files.list(Path.of("src/test/resources/variants"))) {
            files.filter(p -> p.toString().endsWith(".yaml")).sorted().forEach(examples::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return examples;
    }

    static Path dir() {
        return Path.of(System.getProperty("genfleet.chart", "helm/genfleet")).toAbsolutePath();
    }

    private static final Map<Path, Rendered> RENDERS = new ConcurrentHashMap<>();

    static Rendered render(Path valuesFile) {
        return RENDERS.computeIfAbsent(valuesFile.toAbsolutePath(), Chart::doRender);
    }

    private static Rendered doRender(Path valuesFile) {
        String out = new Helm(dir())
                .template()
                .withName(RELEASE)
                .withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION)
                .withValuesFile(valuesFile)
                .call();
        try { // kept for reading: target/rendered/<values file>
            Path copy = Path.of("target/rendered").resolve(valuesFile.getFileName());
            Files.createDirectories(copy.getParent());
            Files.writeString(copy, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Rendered(valuesFile, parse(out), values(valuesFile));
    }

    /**
     * {@code helm lint --strict} with this values file. helm-java's lint takes no values file, so the chart
     * is copied with the example merged over the defaults (as Helm merges them) as its values.yaml.
     */
    static LintResult lint(Path valuesFile) throws IOException {
        Path copy = Files.createTempDirectory("genfleet-chart-").resolve("genfleet");
        try (Stream<Path> files = Files.walk(dir())) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path target = copy.resolve(dir().relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
        YAML.writeValue(copy.resolve("values.yaml").toFile(), values(valuesFile));
        return new Helm(copy).lint().strict().call();
    }

    /** The values Helm sees: the example deep-merged over the chart's values.yaml (lists replace). */
    static Map<String, Object> values(Path valuesFile) {
        Map<String, Object> defaults = readMap(dir().resolve("values.yaml"));
        if (valuesFile.toAbsolutePath().equals(dir().resolve("values.yaml"))) {
            return defaults;
        }
        return merge(defaults, readMap(valuesFile));
    }

    static Map<String, Object> readMap(Path file) {
        try {
            Map<String, Object> map = YAML.readValue(file.toFile(), new TypeReference<>() {});
            return map == null ? new LinkedHashMap<>() : map;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> over) {
        Map<String, Object> out = new LinkedHashMap<>(base);
        over.forEach((k, v) -> {
            Object b = out.get(k);
            if (b instanceof Map && v instanceof Map) {
                out.put(k, merge((Map<String, Object>) b, (Map<String, Object>) v));
            } else {
                out.put(k, v);
            }
        });
        return out;
    }

    static List<Map<String, Object>> parse(String multiDoc) {
        List<Map<String, Object>> docs = new ArrayList<>();
        try (MappingIterator<Map<String, Object>> it =
                YAML.readerFor(new TypeReference<Map<String, Object>>() {}).readValues(multiDoc)) {
            while (it.hasNext()) {
                Map<String, Object> doc = it.next();
                if (doc != null && !doc.isEmpty()) {
                    docs.add(doc);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return docs;
    }

    private Chart() {}
}
