package dev.genfleet.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.genfleet.testkit.KafkaAcls;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * KEDA's kafka scaler and the apps reach Kafka the same secured way: SASL (SCRAM-SHA-512 with the chart's Strimzi
 * cluster; SCRAM or PLAIN with an external Kafka) over TLS, or mutual TLS, each as its own user, trusting the
 * brokers' CA. The shipped examples cover the internal cluster and an external Kafka with SASL_SSL + SCRAM,
 * SASL_SSL + PLAIN and mutual TLS.
 */
class KafkaAuthTest {

    static final String TRIGGER_AUTH = Chart.RELEASE + "-keda-kafka";

    static Stream<Path> examples() {
        return Chart.examples().stream();
    }

    /** How an install reaches Kafka, from its values. */
    record Security(String protocol, String mechanism, boolean mtls, boolean customCa) {
        boolean sasl() {
            return protocol.startsWith("SASL_");
        }

        boolean tls() {
            return protocol.equals("SSL") || protocol.equals("SASL_SSL");
        }

        static Security of(Rendered r) {
            if ("strimzi".equals(Tree.str(r.values(), "kafka.mode"))) {
                return new Security("SASL_SSL", "SCRAM-SHA-512", false, true);
            }
            Map<String, Object> ext = Tree.map(r.values(), "kafka.external");
            String protocol = (String) ext.get("securityProtocol");
            boolean tls = protocol.equals("SSL") || protocol.equals("SASL_SSL");
            String ca = Tree.str(ext, "caSecret.name");
            return new Security(
                    protocol,
                    (String) ext.get("saslMechanism"),
                    protocol.equals("SSL") && Boolean.TRUE.equals(ext.get("tlsClientAuth")),
                    tls && ca != null && !ca.isEmpty());
        }
    }

    @Test
    void shouldShipExamplesForEveryWayToReachAnExternalKafka() {
        Map<String, Security> external = new HashMap<>();
        for (Path p : Chart.examples()) {
            if (p.startsWith(Chart.dir())) {
                Rendered r = Chart.render(p);
                if ("external".equals(Tree.str(r.values(), "kafka.mode"))) {
                    external.put(p.getFileName().toString(), Security.of(r));
                }
            }
        }
        assertTrue(external.values().stream()
                .anyMatch(s -> s.protocol().equals("SASL_SSL") && s.mechanism().startsWith("SCRAM-")));
        assertTrue(external.values().stream()
                .anyMatch(s -> s.protocol().equals("SASL_SSL") && s.mechanism().equals("PLAIN")));
        assertTrue(external.values().stream().anyMatch(Security::mtls), "mutual TLS: " + external);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void shouldAuthenticateKedaLikeTheApps(Path values) {
        Rendered r = Chart.render(values);
        Security s = Security.of(r);
        List<Map<String, Object>> triggers = r.ofKind("ScaledObject").stream()
                .flatMap(so -> Tree.maps(so, "spec.triggers").stream())
                .toList();
        assertFalse(triggers.isEmpty());
        if (!s.sasl() && !s.tls()) {
            assertTrue(r.ofKind("TriggerAuthentication").isEmpty());
            triggers.forEach(t -> assertNull(t.get("authenticationRef"), "nothing to authenticate with"));
            return;
        }
        for (Map<String, Object> t : triggers) {
            assertEquals(TRIGGER_AUTH, Tree.str(t, "authenticationRef.name"), "every trigger authenticates");
        }
        Map<String, Map<String, Object>> params = new HashMap<>();
        for (Map<String, Object> ref :
                Tree.maps(r.one("TriggerAuthentication", TRIGGER_AUTH), "spec.secretTargetRef")) {
            params.put((String) ref.get("parameter"), ref);
        }
        Map<String, Object> own = Tree.map(r.one("Secret", TRIGGER_AUTH), "stringData");
        assertEquals(TRIGGER_AUTH, Tree.str(params.get("sasl"), "name"));
        assertEquals(TRIGGER_AUTH, Tree.str(params.get("tls"), "name"));
        String sasl = (String) own.get(Tree.str(params.get("sasl"), "key"));
        String tls = (String) own.get(Tree.str(params.get("tls"), "key"));
        assertEquals(s.tls() ? "enable" : "disable", tls);
        String kedaSecret = kedaUserSecret(r);
        if (s.sasl()) {
            String expected = switch (s.mechanism()) {
                case "PLAIN" -> "plaintext";
                case "SCRAM-SHA-256" -> "scram_sha256";
                case "SCRAM-SHA-512" -> "scram_sha512";
                default -> throw new AssertionError(s.mechanism());
            };
            assertEquals(expected, sasl, "KEDA's sasl mode for " + s.mechanism());
            assertEquals(kedaUser(r), own.get(Tree.str(params.get("username"), "key")));
            assertEquals(kedaSecret, Tree.str(params.get("password"), "name"));
            assertEquals("password", Tree.str(params.get("password"), "key"));
        } else {
            assertEquals("none", sasl);
            assertFalse(params.containsKey("username") || params.containsKey("password"));
        }
        if (s.customCa()) {
            String ca = "strimzi".equals(Tree.str(r.values(), "kafka.mode"))
                    ? Chart.RELEASE + "-kafka-cluster-ca-cert"
                    : Tree.str(r.values(), "kafka.external.caSecret.name");
            assertEquals(ca, Tree.str(params.get("ca"), "name"));
        } else {
            assertFalse(params.containsKey("ca"), "no CA of our own: KEDA trusts the system's");
        }
        if (s.mtls()) {
            assertEquals(kedaSecret, Tree.str(params.get("cert"), "name"));
            assertEquals("user.crt", Tree.str(params.get("cert"), "key"));
            assertEquals(kedaSecret, Tree.str(params.get("key"), "name"));
            assertEquals("user.key", Tree.str(params.get("key"), "key"));
        } else {
            assertFalse(params.containsKey("cert") || params.containsKey("key"));
        }
        Map<String, Object> kedaUser = r.ofKind("KafkaUser").stream()
                .filter(u -> kedaUser(r).equals(Tree.str(u, "metadata.name")))
                .findFirst()
                .orElse(null);
        if (kedaUser != null) { // the chart's Strimzi user: SCRAM-SHA-512 (tls with mutual TLS)
            assertEquals(s.mtls() ? "tls" : "scram-sha-512", Tree.str(kedaUser, "spec.authentication.type"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void shouldLetTheKedaUserDescribeEveryTopicAndGroupItWatches(Path values) {
        Rendered r = Chart.render(values);
        if (!Security.of(r).sasl() && !Security.of(r).mtls()) {
            return;
        }
        @SuppressWarnings("unchecked")
        Map<String, String> topics = (Map<String, String>) (Map<?, ?>) Tree.map(r.values(), "topics");
        List<String> pools = r.pools().stream().map(p -> (String) p.get("name")).toList();
        List<AclBinding> acls =
                KafkaAcls.load(Chart.dir().resolve("acls.yaml")).bindings("keda", kedaUser(r), null, pools, topics);
        for (Map<String, Object> so : r.ofKind("ScaledObject")) {
            for (Map<String, Object> t : Tree.maps(so, "spec.triggers")) {
                assertTrue(describes(acls, ResourceType.TOPIC, Tree.str(t, "metadata.topic")));
                assertTrue(describes(acls, ResourceType.GROUP, Tree.str(t, "metadata.consumerGroup")));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void shouldGiveTheAppsTheSameSecurityAndEachItsOwnCredentials(Path values) {
        Rendered r = Chart.render(values);
        Security s = Security.of(r);
        for (String component : List.of("gateway", "worker")) {
            String config = Tree.str(r.one("ConfigMap", Chart.RELEASE + "-" + component), "data");
            assertTrue(config.contains("kafka.security.protocol=" + s.protocol() + "\n"), component);
            assertEquals(s.sasl(), config.contains("kafka.sasl.mechanism=" + s.mechanism() + "\n"), component);
            assertEquals(s.sasl(), config.contains("kafka.sasl.jaas.config=${KAFKA_SASL_JAAS_CONFIG}"), component);
            assertEquals(s.customCa(), config.contains("kafka.ssl.truststore.type=PEM"), component);
            assertEquals(s.mtls(), config.contains("kafka.ssl.keystore.type=PKCS12"), component);
            assertEquals(
                    s.mtls(),
                    config.contains("kafka.ssl.keystore.location=/etc/genfleet/kafka-user/user.p12"),
                    component);
            assertEquals(s.mtls(), config.contains("kafka.ssl.keystore.password=${KAFKA_SSL_KEYSTORE_PASSWORD}"));
        }
        for (Map<String, Object> sts : r.ofKind("StatefulSet")) {
            Map<String, Object> pod = Tree.map(sts, "spec.template.spec");
            Map<String, Object> container = Tree.maps(pod, "containers").get(0);
            Map<String, String> env = ScalingTest.env(container);
            String name = Tree.str(sts, "metadata.name");
            assertEquals(s.sasl(), env.containsKey("KAFKA_SASL_JAAS_CONFIG"), name);
            assertEquals(s.mtls(), env.containsKey("KAFKA_SSL_KEYSTORE_PASSWORD"), name);
            boolean mounted = Tree.maps(pod, "volumes").stream().anyMatch(v -> "kafka-user".equals(v.get("name")));
            assertEquals(s.mtls(), mounted, name + ": the client certificate's keystore");
            if (s.mtls()) {
                Map<String, Object> volume = Tree.maps(pod, "volumes").stream()
                        .filter(v -> "kafka-user".equals(v.get("name")))
                        .findFirst()
                        .orElseThrow();
                String secret = Tree.str(volume, "secret.secretName");
                assertTrue(env.get("KAFKA_SSL_KEYSTORE_PASSWORD").contains("name=" + secret), name);
                assertFalse(secret.equals(kedaUserSecret(r)), name + " uses KEDA's certificate");
            }
        }
    }

    private static boolean describes(List<AclBinding> acls, ResourceType type, String name) {
        return acls.stream()
                .anyMatch(b -> b.entry().operation() == AclOperation.DESCRIBE
                        && b.pattern().resourceType() == type
                        && b.pattern().name().equals(name));
    }

    private static boolean ownsUsers(Rendered r) {
        return !r.ofKind("KafkaUser").isEmpty();
    }

    private static String kedaUser(Rendered r) {
        return ownsUsers(r) ? Chart.RELEASE + "-keda" : Tree.str(r.values(), "kafka.external.usernames.keda");
    }

    private static String kedaUserSecret(Rendered r) {
        return ownsUsers(r) ? Chart.RELEASE + "-keda" : Tree.str(r.values(), "kafka.external.userSecrets.keda");
    }
}
