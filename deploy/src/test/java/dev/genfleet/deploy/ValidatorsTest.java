package dev.genfleet.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The checks themselves: a mistake of each class must be caught, or the example tests prove nothing. */
class ValidatorsTest {

    private static Map<String, Object> yaml(String text) {
        return Chart.parse(text).get(0);
    }

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: d}
            spec:
              selector: {matchLabels: {a: b}}
              template:
                metadata: {labels: {a: b}}
                spec:
                  %s
                  containers:
                    - name: c
                      image: i
                      %s
            """;

    @Test
    void shouldAcceptAValidDeployment() {
        assertEquals(
                List.of(),
                Kinds.check(yaml(DEPLOYMENT.formatted("nodeSelector: {a: b}", "ports: [{containerPort: 80}]"))));
    }

    @Test
    void shouldRejectAnUnknownCoreField() {
        List<String> problems = Kinds.check(yaml(DEPLOYMENT.formatted("nodeSelectr: {a: b}", "")));
        assertTrue(problems.toString().contains("nodeSelectr"), problems::toString);
    }

    @Test
    void shouldRejectAWrongCoreType() {
        List<String> problems = Kinds.check(yaml(DEPLOYMENT.formatted("", "ports: [{containerPort: eighty}]")));
        assertTrue(!problems.isEmpty(), "a string port passed");
    }

    @Test
    void shouldRejectAMissingRequiredCoreField() {
        List<String> problems =
                Kinds.check(yaml(DEPLOYMENT.formatted("", "").replace("image: i", "imagePullPolicy: Always")));
        assertTrue(problems.toString().contains("containers[].image"), problems::toString);
    }

    @Test
    void shouldRejectAWrongApiVersion() {
        List<String> problems = Kinds.check(yaml(DEPLOYMENT.formatted("", "").replace("apps/v1", "apps/v1beta1")));
        assertTrue(problems.toString().contains("apiVersion"), problems::toString);
    }

    @Test
    void shouldRejectAnUnknownStrimziField() {
        List<String> problems = Kinds.check(yaml("""
                apiVersion: kafka.strimzi.io/v1beta2
                kind: KafkaTopic
                metadata: {name: t, labels: {strimzi.io/cluster: k}}
                spec: {partitions: 3, replicas: 1, retention: 5}
                """));
        assertTrue(problems.toString().contains("retention"), problems::toString);
    }

    @Test
    void shouldRejectAWrongStrimziType() {
        List<String> problems = Kinds.check(yaml("""
                apiVersion: kafka.strimzi.io/v1beta2
                kind: KafkaTopic
                metadata: {name: t, labels: {strimzi.io/cluster: k}}
                spec: {partitions: many, replicas: 1}
                """));
        assertTrue(!problems.isEmpty(), "partitions: many passed");
    }

    @Test
    void shouldRejectAnUnknownServiceMonitorField() {
        List<String> problems = Kinds.check(yaml("""
                apiVersion: monitoring.coreos.com/v1
                kind: ServiceMonitor
                metadata: {name: m}
                spec: {selector: {matchLabels: {a: b}}, endpoints: [{port: http, pathh: /q/metrics}]}
                """));
        assertTrue(problems.toString().contains("pathh"), problems::toString);
    }

    @Test
    void shouldRejectAnUnknownScaledObjectFieldAndKafkaParameter() {
        List<String> problems = Kinds.check(yaml("""
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata: {name: s}
                spec:
                  scaleTargetRef: {name: d}
                  maxReplicas: 3
                  triggers:
                    - type: kafka
                      metadata: {bootstrapServers: k:9092, consumerGroup: g, topic: t, lagThreshold: "5", lagTreshold: "5"}
                """));
        assertTrue(problems.toString().contains("maxReplicas"), problems::toString);
        assertTrue(problems.toString().contains("lagTreshold"), problems::toString);
    }

    @Test
    void shouldRejectAWrongScaledObjectTypeAndMissingRequiredField() {
        List<String> problems = Kinds.check(yaml("""
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata: {name: s}
                spec:
                  scaleTargetRef: {kind: Deployment}
                  maxReplicaCount: "3"
                  triggers:
                    - type: kafka
                      metadata: {bootstrapServers: k:9092, consumerGroup: g, topic: t, lagThreshold: 5}
                """));
        assertTrue(problems.toString().contains("maxReplicaCount"), problems::toString);
        assertTrue(problems.toString().contains("scaleTargetRef.name"), problems::toString);
        assertTrue(problems.toString().contains("lagThreshold"), problems::toString);
    }

    @Test
    void shouldRejectAnUnknownFieldInTheHpaBehaviorOfAScaledObject() {
        List<String> problems = Kinds.check(yaml("""
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata: {name: s}
                spec:
                  scaleTargetRef: {name: d}
                  advanced: {horizontalPodAutoscalerConfig: {behavior: {scaleDown: {stabilisationWindowSeconds: 5}}}}
                  triggers: [{type: kafka, metadata: {bootstrapServers: k, consumerGroup: g, topic: t, lagThreshold: "1"}}]
                """));
        assertTrue(problems.toString().contains("stabilisationWindowSeconds"), problems::toString);
    }

    @Test
    void shouldRejectADuplicateKey() {
        RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(
                RuntimeException.class,
                () -> Chart.parse("kind: ConfigMap\nmetadata:\n  labels: {a: b}\n  labels: {a: c}\n"));
        assertTrue(e.getMessage().contains("Duplicate"), e::getMessage);
    }

    @Test
    void shouldRejectAKindWithoutAModel() {
        assertTrue(Kinds.check(yaml("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"))
                .toString()
                .contains("no typed model"));
    }
}
