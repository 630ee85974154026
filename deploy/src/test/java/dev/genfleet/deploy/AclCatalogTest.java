package dev.genfleet.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.genfleet.testkit.KafkaAcls;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.common.acl.AclBinding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The chart's KafkaUsers grant exactly what {@code acls.yaml} lists, the file the secured integration tests
 * apply to their broker through {@link KafkaAcls}: an ACL that the chart drops, adds or misspells fails
 * here, and one that the file lacks fails the tests that run the fleet against the secured broker.
 */
class AclCatalogTest {

    static Stream<Path> examplesWithUsers() {
        return Chart.examples().stream()
                .filter(p -> !Chart.render(p).ofKind("KafkaUser").isEmpty());
    }

    @Test
    void shouldShipTheChartsAclFileInTheTestkit() throws IOException {
        try (InputStream in = KafkaAcls.class.getClassLoader().getResourceAsStream(KafkaAcls.RESOURCE)) {
            assertNotNull(in, KafkaAcls.RESOURCE);
            assertEquals(
                    Files.readString(Chart.dir().resolve("acls.yaml")),
                    new String(in.readAllBytes(), StandardCharsets.UTF_8),
                    "the testkit carries a stale copy of acls.yaml: rebuild it (./mvnw install -pl testkit)");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examplesWithUsers")
    void shouldRenderEveryKafkaUserFromTheAclFile(Path values) {
        Rendered r = Chart.render(values);
        KafkaAcls catalog = KafkaAcls.load(Chart.dir().resolve("acls.yaml"));
        @SuppressWarnings("unchecked")
        Map<String, String> topics = (Map<String, String>) (Map<?, ?>) Tree.map(r.values(), "topics");
        List<String> pools = r.pools().stream().map(p -> (String) p.get("name")).toList();
        Set<String> components = new TreeSet<>();
        for (Map<String, Object> user : r.ofKind("KafkaUser")) {
            String name = Tree.str(user, "metadata.name");
            String component = (String) Tree.at(user, List.of("metadata", "labels", "app.kubernetes.io/component"));
            String pool = "worker".equals(component)
                    ? (String) Tree.at(user, List.of("metadata", "labels", "genfleet.dev/pool"))
                    : null;
            components.add(component);
            Set<String> expected = catalog.bindings(component, name, pool, pools, topics).stream()
                    .map(AclCatalogTest::grant)
                    .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(expected, rendered(user), name + " in " + r);
        }
        assertEquals(new TreeSet<>(KafkaAcls.COMPONENTS), components, "one KafkaUser kind per component");
    }

    private static Set<String> rendered(Map<String, Object> user) {
        Set<String> grants = new TreeSet<>();
        for (Map<String, Object> acl : Tree.maps(user, "spec.authorization.acls")) {
            for (Object op : (List<?>) acl.get("operations")) {
                grants.add(op + " " + Tree.str(acl, "resource.type") + " " + Tree.str(acl, "resource.name") + " "
                        + Tree.str(acl, "resource.patternType"));
            }
        }
        return grants;
    }

    /** The Strimzi spelling of a Kafka binding: "DescribeConfigs topic name prefix". */
    private static String grant(AclBinding b) {
        String op = Stream.of(b.entry().operation().name().split("_"))
                .map(w -> w.charAt(0) + w.substring(1).toLowerCase(java.util.Locale.ROOT))
                .collect(Collectors.joining());
        String type = switch (b.pattern().resourceType()) {
            case TOPIC -> "topic";
            case GROUP -> "group";
            case TRANSACTIONAL_ID -> "transactionalId";
            case CLUSTER -> "cluster";
            default -> throw new IllegalArgumentException(b.toString());
        };
        String pattern = switch (b.pattern().patternType()) {
            case LITERAL -> "literal";
            case PREFIXED -> "prefix";
            default -> throw new IllegalArgumentException(b.toString());
        };
        return op + " " + type + " " + b.pattern().name() + " " + pattern;
    }
}
