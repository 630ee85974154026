package dev.genfleet.worker.consume;

import dev.genfleet.schemas.TopicCatalog;
import dev.genfleet.schemas.TopicProvisioner;
import dev.genfleet.testkit.KafkaBrokerResource;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.awaitility.Awaitility;

/**
 * The shared test broker with the text pool's topics as the fleet provisions them (the AsyncAPI
 * document's partitions and configs), in place before the worker starts: a topic auto-created with one
 * partition would hide what several partitions mean (two bulk lanes, rebalancing). A topic that an
 * earlier test class of this JVM auto-created is grown to the catalog's partition count.
 */
public class CatalogTopicsResource extends KafkaBrokerResource {

    @Override
    public Map<String, String> start() {
        Map<String, String> config = super.start();
        List<TopicCatalog.TopicSpec> specs = TopicCatalog.load().topics(List.of("text"));
        try (Admin admin = Admin.create(Map.<String, Object>of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.get("kafka.bootstrap.servers")))) {
            TopicProvisioner.ensure(admin, specs);
            Map<String, TopicDescription> present = admin.describeTopics(
                            specs.stream().map(TopicCatalog.TopicSpec::name).toList())
                    .allTopicNames()
                    .get();
            Map<String, NewPartitions> grow = new HashMap<>();
            for (TopicCatalog.TopicSpec spec : specs) {
                if (present.get(spec.name()).partitions().size() < spec.partitions()) {
                    grow.put(spec.name(), NewPartitions.increaseTo(spec.partitions()));
                }
            }
            if (!grow.isEmpty()) {
                admin.createPartitions(grow).all().get();
            }
            // the worker's consumers read the partition count once at start (then every metadata.max.age.ms,
            // 5 minutes): wait until the broker's metadata shows the new partitions, or a lane may find none
            Awaitility.await("the catalog's partitions in the broker's metadata")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> complete(admin, specs));
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot provision the text pool's topics", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return config;
    }

    private static boolean complete(Admin admin, List<TopicCatalog.TopicSpec> specs)
            throws ExecutionException, InterruptedException {
        Map<String, TopicDescription> present = admin.describeTopics(
                        specs.stream().map(TopicCatalog.TopicSpec::name).toList())
                .allTopicNames()
                .get();
        return specs.stream()
                .allMatch(spec -> present.get(spec.name()).partitions().size() >= spec.partitions());
    }
}
