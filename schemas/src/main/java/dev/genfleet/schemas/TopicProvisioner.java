package dev.genfleet.schemas;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the topics of the AsyncAPI document that do not exist yet, with its partitions and topic
 * configs; replicas are capped at the brokers present (one on a laptop). Existing topics are left
 * alone. {@code main(client properties file, pool...)} is what the local mode runs ({@link KafkaClientProperties}).
 */
public final class TopicProvisioner {

    private TopicProvisioner() {}

    /** @return the names of the topics created now */
    public static List<String> ensure(Admin admin, Collection<TopicCatalog.TopicSpec> topics)
            throws ExecutionException, InterruptedException {
        Set<String> existing = admin.listTopics().names().get();
        int brokers = admin.describeCluster().nodes().get().size();
        List<NewTopic> missing = new ArrayList<>();
        for (TopicCatalog.TopicSpec spec : topics) {
            if (!existing.contains(spec.name())) {
                missing.add(new NewTopic(spec.name(), spec.partitions(), (short) Math.min(spec.replicas(), brokers))
                        .configs(spec.configs()));
            }
        }
        List<String> created = new ArrayList<>();
        for (var entry : admin.createTopics(missing).values().entrySet()) {
            try {
                entry.getValue().get();
                created.add(entry.getKey());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
        return created;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: TopicProvisioner <Kafka client properties file> [pool ...]");
            System.exit(2);
        }
        TopicCatalog catalog = TopicCatalog.load();
        List<String> pools = args.length > 1 ? List.of(args).subList(1, args.length) : catalog.pools();
        Map<String, Object> config = KafkaClientProperties.load(
                Path.of(args[0]),
                Map.of(
                        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                        5000,
                        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                        8000));
        try (Admin admin = Admin.create(config)) {
            List<String> created = ensure(admin, catalog.topics(pools));
            System.out.println(
                    "topics created: " + (created.isEmpty() ? "none (all present)" : String.join(", ", created)));
        }
    }
}
