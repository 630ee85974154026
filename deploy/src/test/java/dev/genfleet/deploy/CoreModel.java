package dev.genfleet.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Strict loading of the core Kubernetes kinds into fabric8 8 models. */
final class CoreModel {

    /** kind -> (apiVersion, model class) of every core kind the chart may render. */
    static final Map<String, Map.Entry<String, Class<? extends HasMetadata>>> KINDS = Map.of(
            "Deployment", Map.entry("apps/v1", Deployment.class),
            "StatefulSet", Map.entry("apps/v1", StatefulSet.class),
            "Service", Map.entry("v1", Service.class),
            "ConfigMap", Map.entry("v1", ConfigMap.class),
            "Secret", Map.entry("v1", Secret.class),
            "ServiceAccount", Map.entry("v1", ServiceAccount.class),
            "PodDisruptionBudget", Map.entry("policy/v1", PodDisruptionBudget.class),
            "HorizontalPodAutoscaler", Map.entry("autoscaling/v2", HorizontalPodAutoscaler.class),
            "NetworkPolicy", Map.entry("networking.k8s.io/v1", NetworkPolicy.class),
            "PersistentVolumeClaim", Map.entry("v1", PersistentVolumeClaim.class));

    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    /** Problems of one document: wrong apiVersion, a type mismatch, unknown fields. Empty = valid. */
    static List<String> check(Map<String, Object> doc) {
        List<String> problems = new ArrayList<>();
        String kind = (String) doc.get("kind");
        var expected = KINDS.get(kind);
        if (expected == null) {
            problems.add("not a core kind: " + kind);
            return problems;
        }
        if (!expected.getKey().equals(doc.get("apiVersion"))) {
            problems.add(kind + " has apiVersion " + doc.get("apiVersion") + ", expected " + expected.getKey());
        }
        try {
            Object model = SERIALIZATION.unmarshal(Chart.YAML.writeValueAsString(doc), expected.getValue());
            ModelWalker.walk(model, kind + "/" + Tree.str(doc, "metadata.name"), problems);
        } catch (Exception e) {
            problems.add(kind + "/" + Tree.str(doc, "metadata.name") + ": " + e.getMessage());
        }
        return problems;
    }

    static <T> T load(Map<String, Object> doc, Class<T> type) {
        try {
            return SERIALIZATION.unmarshal(Chart.YAML.writeValueAsString(doc), type);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private CoreModel() {}
}
