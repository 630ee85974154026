package dev.genfleet.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Fields the API server requires but the typed models do not enforce (they accept a missing field as null).
 * A path segment ending in {@code []} means "for every element".
 */
final class Required {

    static final Map<String, List<String>> FIELDS = Map.ofEntries(
            Map.entry(
                    "Deployment",
                    List.of(
                            "spec.selector.matchLabels",
                            "spec.template.metadata.labels",
                            "spec.template.spec.containers[].name",
                            "spec.template.spec.containers[].image",
                            "spec.template.spec.volumes[].name")),
            Map.entry(
                    "StatefulSet",
                    List.of(
                            "spec.selector.matchLabels",
                            "spec.template.metadata.labels",
                            "spec.template.spec.containers[].name",
                            "spec.template.spec.containers[].image",
                            "spec.template.spec.volumes[].name",
                            "spec.volumeClaimTemplates[].metadata.name",
                            "spec.volumeClaimTemplates[].spec.resources.requests.storage")),
            Map.entry("Service", List.of("spec.ports[].port", "spec.selector")),
            Map.entry("ConfigMap", List.of()),
            Map.entry("Secret", List.of()),
            Map.entry("ServiceAccount", List.of()),
            Map.entry("PodDisruptionBudget", List.of("spec.selector")),
            Map.entry(
                    "HorizontalPodAutoscaler",
                    List.of("spec.scaleTargetRef.kind", "spec.scaleTargetRef.name", "spec.maxReplicas")),
            Map.entry("NetworkPolicy", List.of("spec.podSelector")),
            Map.entry("PersistentVolumeClaim", List.of("spec.accessModes", "spec.resources.requests.storage")),
            Map.entry(
                    "Kafka",
                    List.of(
                            "spec.kafka.listeners[].name",
                            "spec.kafka.listeners[].port",
                            "spec.kafka.listeners[].type",
                            "spec.kafka.listeners[].tls")),
            Map.entry(
                    "KafkaNodePool",
                    List.of(
                            "metadata.labels.[strimzi.io/cluster]",
                            "spec.replicas",
                            "spec.roles",
                            "spec.storage.type")),
            Map.entry(
                    "KafkaTopic", List.of("metadata.labels.[strimzi.io/cluster]", "spec.partitions", "spec.replicas")),
            Map.entry(
                    "KafkaUser",
                    List.of(
                            "metadata.labels.[strimzi.io/cluster]",
                            "spec.authentication.type",
                            "spec.authorization.acls[].resource.type",
                            "spec.authorization.acls[].operations")),
            Map.entry("ServiceMonitor", List.of("spec.selector", "spec.endpoints[].port")),
            Map.entry("PodMonitor", List.of("spec.selector", "spec.podMetricsEndpoints[].port")),
            Map.entry(
                    "PrometheusRule",
                    List.of("spec.groups[].name", "spec.groups[].rules[].alert", "spec.groups[].rules[].expr")),
            Map.entry(
                    "ScaledObject",
                    List.of("spec.scaleTargetRef.name", "spec.triggers[].type", "spec.triggers[].metadata")),
            Map.entry("TriggerAuthentication", List.of()));

    static List<String> check(Map<String, Object> doc) {
        List<String> problems = new ArrayList<>();
        String kind = (String) doc.get("kind");
        String id = kind + "/" + Tree.str(doc, "metadata.name");
        for (String required : List.of("apiVersion", "kind", "metadata.name")) {
            if (Tree.get(doc, required) == null) {
                problems.add(id + ": missing " + required);
            }
        }
        for (String path : FIELDS.getOrDefault(kind, List.of("<unknown kind>"))) {
            missing(doc, split(path), 0, path, id, problems);
        }
        return problems;
    }

    private static List<String> split(String path) {
        List<String> parts = new ArrayList<>();
        for (String p : path.split("\\.(?![^\\[]*\\])")) {
            parts.add(p);
        }
        return parts;
    }

    private static void missing(Object node, List<String> parts, int i, String path, String id, List<String> problems) {
        if (i == parts.size()) {
            if (node == null) {
                problems.add(id + ": missing required " + path);
            }
            return;
        }
        String part = parts.get(i);
        boolean each = part.endsWith("[]");
        String key = each ? part.substring(0, part.length() - 2) : part;
        if (key.startsWith("[") && key.endsWith("]")) {
            key = key.substring(1, key.length() - 1);
        }
        Object child = node instanceof Map<?, ?> map ? map.get(key) : null;
        if (each) {
            if (child instanceof List<?> list) {
                for (Object e : list) {
                    missing(e, parts, i + 1, path, id, problems);
                }
            } else if (child != null || !path.contains("volume")) { // no volumes or volume claims is fine
                problems.add(id + ": missing required " + path);
            }
            return;
        }
        missing(child, parts, i + 1, path, id, problems);
    }

    private Required() {}
}
