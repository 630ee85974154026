package dev.genfleet.deploy;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * KEDA has no Java model, so its kinds are checked against an explicit allow-list of the fields of
 * {@code keda.sh/v1alpha1} (KEDA 2.12-2.17 CRDs): an unknown key, a value of the wrong type or a missing
 * required field fails. The HPA behavior inside {@code advanced} is loaded into fabric8's typed model.
 * Kafka trigger metadata is a string map in the CRD; its keys and values are checked against the Kafka
 * scaler's parameters.
 */
final class KedaModel {

    static final String API_VERSION = "keda.sh/v1alpha1";

    /** A field type: "string", "int", "bool", "string-map", "hpa-behavior", a nested Map or a List of one. */
    private static final Map<String, Object> OBJECT_META =
            Map.of("name", "string", "namespace", "string", "labels", "string-map", "annotations", "string-map");

    private static final Map<String, Object> SCALED_OBJECT = Map.of(
            "apiVersion",
            "string",
            "kind",
            "string",
            "metadata",
            OBJECT_META,
            "spec",
            Map.ofEntries(
                    Map.entry(
                            "scaleTargetRef",
                            Map.of(
                                    "apiVersion",
                                    "string",
                                    "kind",
                                    "string",
                                    "name",
                                    "string",
                                    "envSourceContainerName",
                                    "string")),
                    Map.entry("pollingInterval", "int"),
                    Map.entry("cooldownPeriod", "int"),
                    Map.entry("initialCooldownPeriod", "int"),
                    Map.entry("idleReplicaCount", "int"),
                    Map.entry("minReplicaCount", "int"),
                    Map.entry("maxReplicaCount", "int"),
                    Map.entry("fallback", Map.of("failureThreshold", "int", "replicas", "int", "behavior", "string")),
                    Map.entry(
                            "advanced",
                            Map.of(
                                    "restoreToOriginalReplicaCount",
                                    "bool",
                                    "horizontalPodAutoscalerConfig",
                                    Map.of("name", "string", "behavior", "hpa-behavior"))),
                    Map.entry(
                            "triggers",
                            List.of(Map.of(
                                    "type",
                                    "string",
                                    "name",
                                    "string",
                                    "metadata",
                                    "string-map",
                                    "authenticationRef",
                                    Map.of("name", "string", "kind", "string"),
                                    "metricType",
                                    "string",
                                    "useCachedMetrics",
                                    "bool")))));

    private static final Map<String, Object> TRIGGER_AUTHENTICATION = Map.of(
            "apiVersion",
            "string",
            "kind",
            "string",
            "metadata",
            OBJECT_META,
            "spec",
            Map.of(
                    "secretTargetRef", List.of(Map.of("parameter", "string", "name", "string", "key", "string")),
                    "configMapTargetRef", List.of(Map.of("parameter", "string", "name", "string", "key", "string")),
                    "env", List.of(Map.of("parameter", "string", "name", "string", "containerName", "string"))));

    private static final Map<String, List<String>> REQUIRED = Map.of(
            "ScaledObject", List.of("metadata.name", "spec.scaleTargetRef.name", "spec.triggers"),
            "TriggerAuthentication", List.of("metadata.name"));

    /** Parameters of KEDA's `kafka` scaler (trigger metadata) and of its TriggerAuthentication. */
    static final Set<String> KAFKA_METADATA = Set.of(
            "bootstrapServers",
            "consumerGroup",
            "topic",
            "lagThreshold",
            "activationLagThreshold",
            "offsetResetPolicy",
            "allowIdleConsumers",
            "excludePersistentLag",
            "scaleToZeroOnInvalidOffset",
            "limitToPartitionsWithLag",
            "ensureEvenDistributionOfPartitions",
            "partitionLimitation",
            "version",
            "sasl",
            "tls",
            "unsafeSsl");

    static final Set<String> KAFKA_AUTH_PARAMETERS =
            Set.of("sasl", "username", "password", "tls", "ca", "cert", "key", "keyPassword", "unsafeSsl");
    private static final Set<String> KAFKA_BOOLEANS = Set.of(
            "allowIdleConsumers",
            "excludePersistentLag",
            "scaleToZeroOnInvalidOffset",
            "limitToPartitionsWithLag",
            "ensureEvenDistributionOfPartitions",
            "unsafeSsl");

    static List<String> check(Map<String, Object> doc) {
        String kind = (String) doc.get("kind");
        String id = kind + "/" + Tree.str(doc, "metadata.name");
        List<String> problems = new ArrayList<>();
        if (!API_VERSION.equals(doc.get("apiVersion"))) {
            problems.add(id + " has apiVersion " + doc.get("apiVersion"));
        }
        Map<String, Object> schema = switch (kind) {
            case "ScaledObject" -> SCALED_OBJECT;
            case "TriggerAuthentication" -> TRIGGER_AUTHENTICATION;
            default -> null;
        };
        if (schema == null) {
            problems.add(id + ": not a KEDA kind");
            return problems;
        }
        check(doc, schema, id, problems);
        for (String path : REQUIRED.get(kind)) {
            if (Tree.get(doc, path) == null) {
                problems.add(id + ": missing required " + path);
            }
        }
        if (kind.equals("ScaledObject")) {
            for (Map<String, Object> trigger : Tree.maps(doc, "spec.triggers")) {
                checkKafkaTrigger(trigger, id, problems);
            }
        } else {
            for (Map<String, Object> ref : Tree.maps(doc, "spec.secretTargetRef")) {
                if (!KAFKA_AUTH_PARAMETERS.contains(ref.get("parameter"))) {
                    problems.add(id + ": unknown kafka auth parameter " + ref.get("parameter"));
                }
                for (String key : List.of("parameter", "name", "key")) {
                    if (ref.get(key) == null) {
                        problems.add(id + ": secretTargetRef without " + key);
                    }
                }
            }
        }
        return problems;
    }

    private static void checkKafkaTrigger(Map<String, Object> trigger, String id, List<String> problems) {
        if (!"kafka".equals(trigger.get("type"))) {
            problems.add(id + ": trigger type " + trigger.get("type") + " is not kafka");
            return;
        }
        Map<String, Object> metadata = Tree.map(trigger, "metadata");
        for (String required : List.of("bootstrapServers", "consumerGroup", "topic", "lagThreshold")) {
            if (!metadata.containsKey(required)) {
                problems.add(id + ": kafka trigger without " + required);
            }
        }
        metadata.forEach((k, v) -> {
            if (!KAFKA_METADATA.contains(k)) {
                problems.add(id + ": unknown kafka trigger parameter " + k);
            } else if (KAFKA_BOOLEANS.contains(k) && !Set.of("true", "false").contains(v)) {
                problems.add(id + ": " + k + " must be \"true\" or \"false\", is " + v);
            }
        });
        for (String number : List.of("lagThreshold", "activationLagThreshold")) {
            Object v = metadata.get(number);
            if (v != null && !v.toString().matches("[0-9]+")) {
                problems.add(id + ": " + number + " is not a whole number: " + v);
            }
        }
        Object reset = metadata.get("offsetResetPolicy");
        if (reset != null && !Set.of("earliest", "latest").contains(reset)) {
            problems.add(id + ": offsetResetPolicy must be earliest or latest, is " + reset);
        }
    }

    @SuppressWarnings("unchecked")
    private static void check(Object value, Object type, String path, List<String> problems) {
        if (value == null) {
            return;
        }
        if (type instanceof Map<?, ?> fields) {
            if (!(value instanceof Map<?, ?> map)) {
                problems.add(path + ": expected an object, got " + value);
                return;
            }
            map.forEach((k, v) -> {
                if (!fields.containsKey(k)) {
                    problems.add(path + "." + k + ": unknown field");
                } else {
                    check(v, fields.get(k), path + "." + k, problems);
                }
            });
        } else if (type instanceof List<?> element) {
            if (!(value instanceof List<?> list)) {
                problems.add(path + ": expected a list, got " + value);
                return;
            }
            for (int i = 0; i < list.size(); i++) {
                check(list.get(i), element.get(0), path + "[" + i + "]", problems);
            }
        } else {
            boolean ok = switch ((String) type) {
                case "string" -> value instanceof String;
                case "int" -> value instanceof Integer || value instanceof Long;
                case "bool" -> value instanceof Boolean;
                case "string-map" ->
                    value instanceof Map<?, ?> m && m.values().stream().allMatch(v -> v instanceof String);
                case "hpa-behavior" -> {
                    var behavior = CoreModel.load((Map<String, Object>) value, HorizontalPodAutoscalerBehavior.class);
                    int before = problems.size();
                    ModelWalker.walk(behavior, path, problems);
                    yield problems.size() == before;
                }
                default -> throw new IllegalArgumentException(type.toString());
            };
            if (!ok && !"hpa-behavior".equals(type)) {
                problems.add(path + ": expected " + type + ", got "
                        + value.getClass().getSimpleName() + " " + value);
            }
        }
    }

    private KedaModel() {}
}
