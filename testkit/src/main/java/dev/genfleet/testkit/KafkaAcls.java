package dev.genfleet.testkit;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Every genfleet component's Kafka ACLs, from the one source the Helm chart renders its KafkaUsers from
 * ({@code deploy/helm/genfleet/acls.yaml}, in this jar as {@value #RESOURCE}). The names in it are
 * templates ({@code {pool}}, {@code {user}}, {@code {results}}, …); {@link #bindings} fills them in as the
 * chart's {@code genfleet.kafka.acls} helper does.
 */
public final class KafkaAcls {

    public static final String RESOURCE = "genfleet/acls.yaml";

    /** Components with a Kafka user of their own. */
    public static final List<String> COMPONENTS = List.of("gateway", "worker", "keda", "operator");

    /** One entry of the file: a resource pattern with placeholders and the operations it allows. */
    public record Entry(String type, String name, String patternType, boolean forEachPool, List<String> operations) {}

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Map<String, List<Entry>> entries;

    private KafkaAcls(Map<String, List<Entry>> entries) {
        this.entries = entries;
    }

    /** The file as this jar carries it. */
    public static KafkaAcls load() {
        try (InputStream in = KafkaAcls.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the classpath (the testkit's build copies it)");
            }
            return parse(YAML.readValue(in, new TypeReference<Map<String, List<Map<String, Object>>>>() {}));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file at {@code path} (the chart's copy). */
    public static KafkaAcls load(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            return parse(YAML.readValue(in, new TypeReference<Map<String, List<Map<String, Object>>>>() {}));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static KafkaAcls parse(Map<String, List<Map<String, Object>>> raw) {
        Map<String, List<Entry>> entries = new LinkedHashMap<>();
        raw.forEach((component, list) -> {
            List<Entry> parsed = new ArrayList<>();
            for (Map<String, Object> e : list) {
                Map<String, Object> resource = (Map<String, Object>) e.get("resource");
                parsed.add(new Entry(
                        (String) resource.get("type"),
                        (String) resource.get("name"),
                        (String) resource.get("patternType"),
                        Boolean.TRUE.equals(e.get("forEachPool")),
                        List.copyOf((List<String>) e.get("operations"))));
            }
            entries.put(component, List.copyOf(parsed));
        });
        return new KafkaAcls(entries);
    }

    /** The topic names the chart's values default to, keyed as in the file's placeholders. */
    public static Map<String, String> defaultTopics() {
        Map<String, String> t = new LinkedHashMap<>();
        t.put("jobsPrefix", "genfleet.jobs.");
        t.put("results", "genfleet.results");
        t.put("audit", "genfleet.audit");
        t.put("deadLetters", "genfleet.jobs.dlq");
        t.put("control", "genfleet.control");
        t.put("models", "genfleet.models");
        return t;
    }

    public List<Entry> entries(String component) {
        List<Entry> list = entries.get(component);
        if (list == null) {
            throw new IllegalArgumentException("acls.yaml lists no ACLs for " + component);
        }
        return list;
    }

    /**
     * The grants of {@code user} acting as {@code component}: for a worker, {@code pool} is its pool; {@code
     * pools} are all worker pools (what {@code forEachPool} entries repeat over); {@code topics} the topic
     * names by placeholder ({@link #defaultTopics()}).
     */
    public List<AclBinding> bindings(
            String component, String user, String pool, List<String> pools, Map<String, String> topics) {
        List<AclBinding> out = new ArrayList<>();
        for (Entry e : entries(component)) {
            for (String p : e.forEachPool() ? pools : java.util.Collections.singletonList(pool)) {
                String name = e.name().replace("{user}", user);
                if (p != null) {
                    name = name.replace("{pool}", p);
                }
                for (Map.Entry<String, String> t : topics.entrySet()) {
                    name = name.replace("{" + t.getKey() + "}", t.getValue());
                }
                if (name.contains("{") || name.contains("}")) {
                    throw new IllegalArgumentException(
                            "acls.yaml: unfilled placeholder in " + e.name() + " -> " + name);
                }
                ResourcePattern pattern =
                        new ResourcePattern(resourceType(e.type()), name, patternType(e.patternType()));
                for (String op : e.operations()) {
                    out.add(new AclBinding(
                            pattern,
                            new AccessControlEntry("User:" + user, "*", operation(op), AclPermissionType.ALLOW)));
                }
            }
        }
        return out;
    }

    static ResourceType resourceType(String strimzi) {
        return switch (strimzi) {
            case "topic" -> ResourceType.TOPIC;
            case "group" -> ResourceType.GROUP;
            case "transactionalId" -> ResourceType.TRANSACTIONAL_ID;
            case "cluster" -> ResourceType.CLUSTER;
            default -> throw new IllegalArgumentException("unknown ACL resource type " + strimzi);
        };
    }

    static PatternType patternType(String strimzi) {
        return switch (strimzi) {
            case "literal" -> PatternType.LITERAL;
            case "prefix" -> PatternType.PREFIXED;
            default -> throw new IllegalArgumentException("unknown ACL pattern type " + strimzi);
        };
    }

    /** {@code DescribeConfigs} -> {@link AclOperation#DESCRIBE_CONFIGS}; {@code All} is refused. */
    static AclOperation operation(String strimzi) {
        String upper = strimzi.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
        AclOperation op = AclOperation.valueOf(upper);
        if (op == AclOperation.ALL || op == AclOperation.ANY || op == AclOperation.UNKNOWN) {
            throw new IllegalArgumentException("not a least-privilege ACL operation: " + strimzi);
        }
        return op;
    }
}
