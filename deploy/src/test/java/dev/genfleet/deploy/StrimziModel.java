package dev.genfleet.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Strict loading of Strimzi kinds and the Prometheus Operator's ServiceMonitor, PodMonitor and
 * PrometheusRule. Strimzi's {@code io.strimzi:api} is built on
 * fabric8 7.4 and Jackson 2, whose model classes share package names with the fabric8 8 the core checks
 * use; so those jars (copied to {@code target/strimzi-model} by the build) get a class loader of their own
 * whose parent is the platform loader: neither side can see the other's classes. Only JSON text crosses.
 */
final class StrimziModel {

    static final Map<String, String> KINDS = Map.of(
            "Kafka", "io.strimzi.api.kafka.model.kafka.Kafka",
            "KafkaNodePool", "io.strimzi.api.kafka.model.nodepool.KafkaNodePool",
            "KafkaTopic", "io.strimzi.api.kafka.model.topic.KafkaTopic",
            "KafkaUser", "io.strimzi.api.kafka.model.user.KafkaUser",
            "ServiceMonitor", "io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor",
            "PodMonitor", "io.fabric8.openshift.api.model.monitoring.v1.PodMonitor",
            "PrometheusRule", "io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule");

    static final Map<String, List<String>> API_VERSIONS = Map.of(
            "Kafka", List.of("kafka.strimzi.io/v1beta2", "kafka.strimzi.io/v1"),
            "KafkaNodePool", List.of("kafka.strimzi.io/v1beta2", "kafka.strimzi.io/v1"),
            "KafkaTopic", List.of("kafka.strimzi.io/v1beta2", "kafka.strimzi.io/v1"),
            "KafkaUser", List.of("kafka.strimzi.io/v1beta2", "kafka.strimzi.io/v1"),
            "ServiceMonitor", List.of("monitoring.coreos.com/v1"),
            "PodMonitor", List.of("monitoring.coreos.com/v1"),
            "PrometheusRule", List.of("monitoring.coreos.com/v1"));

    private static final ClassLoader LOADER = loader();
    private static final Object MAPPER = mapper();

    static List<String> check(Map<String, Object> doc) {
        List<String> problems = new ArrayList<>();
        String kind = (String) doc.get("kind");
        String id = kind + "/" + Tree.str(doc, "metadata.name");
        if (!API_VERSIONS.getOrDefault(kind, List.of()).contains(doc.get("apiVersion"))) {
            problems.add(id + " has apiVersion " + doc.get("apiVersion"));
        }
        try {
            Class<?> type = Class.forName(KINDS.get(kind), true, LOADER);
            Object model = MAPPER.getClass()
                    .getMethod("readValue", String.class, Class.class)
                    .invoke(MAPPER, Chart.YAML.writeValueAsString(doc), type);
            ModelWalker.walk(model, id, problems);
        } catch (java.lang.reflect.InvocationTargetException e) {
            problems.add(id + ": " + e.getCause().getMessage());
        } catch (ReflectiveOperationException | IOException e) {
            problems.add(id + ": " + e);
        }
        return problems;
    }

    private static ClassLoader loader() {
        Path dir = Path.of(System.getProperty("genfleet.strimzi-model", "target/strimzi-model"));
        try (Stream<Path> jars = Files.list(dir)) {
            URL[] urls = jars.filter(p -> p.toString().endsWith(".jar"))
                    .map(StrimziModel::url)
                    .toArray(URL[]::new);
            if (urls.length == 0) {
                throw new IllegalStateException("no jars in " + dir + "; run the build (dependency:copy)");
            }
            return new URLClassLoader("strimzi-model", urls, ClassLoader.getPlatformClassLoader());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static URL url(Path p) {
        try {
            return p.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static Object mapper() {
        try {
            Class<?> factoryType = Class.forName("com.fasterxml.jackson.core.JsonFactory", true, LOADER);
            Object yamlFactory = Class.forName("com.fasterxml.jackson.dataformat.yaml.YAMLFactory", true, LOADER)
                    .getConstructor()
                    .newInstance();
            return Class.forName("com.fasterxml.jackson.databind.ObjectMapper", true, LOADER)
                    .getConstructor(factoryType)
                    .newInstance(yamlFactory);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private StrimziModel() {}
}
