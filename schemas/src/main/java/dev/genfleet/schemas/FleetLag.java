package dev.genfleet.schemas;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Consumer lag of each pool's job topics: what {@code ./genfleet status} prints and what KEDA scales
 * on. Workers of pool {@code p} consume {@code genfleet.jobs.<p>.<priority>} in the group
 * {@code genfleet-worker-<p>-<priority>}.
 */
public final class FleetLag {

    /** Lag of one pool at one priority: records written but not yet committed by the pool's group. */
    public record Lag(String pool, Priority priority, String topic, String group, long end, long committed) {
        public long lag() {
            return Math.max(0, end - committed);
        }
    }

    private FleetLag() {}

    public static String groupOf(String pool, Priority priority) {
        return "genfleet-worker-" + pool + "-" + priority.wireName();
    }

    public static List<Lag> measure(Admin admin, Topics topics, List<String> pools)
            throws ExecutionException, InterruptedException {
        List<Lag> lags = new ArrayList<>();
        var existing = admin.listTopics().names().get();
        for (String pool : pools) {
            for (Priority priority : Priority.values()) {
                String topic = topics.jobs(pool, priority);
                if (!existing.contains(topic)) {
                    continue;
                }
                int partitions = admin.describeTopics(List.of(topic))
                        .allTopicNames()
                        .get()
                        .get(topic)
                        .partitions()
                        .size();
                Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
                for (int p = 0; p < partitions; p++) {
                    latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
                }
                Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
                        admin.listOffsets(latest).all().get();
                String group = groupOf(pool, priority);
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata()
                        .get();
                long end = 0;
                long done = 0;
                for (TopicPartition tp : latest.keySet()) {
                    end += ends.get(tp).offset();
                    OffsetAndMetadata c = committed.get(tp);
                    done += c == null ? 0 : c.offset();
                }
                lags.add(new Lag(pool, priority, topic, group, end, done));
            }
        }
        return lags;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: FleetLag <Kafka client properties file> [pool ...]");
            System.exit(2);
        }
        List<String> pools = args.length > 1 ? List.of(args).subList(1, args.length) : Topics.DEFAULT_POOLS;
        Map<String, Object> config = KafkaClientProperties.load(
                Path.of(args[0]),
                Map.of(
                        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                        5000,
                        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                        8000));
        try (Admin admin = Admin.create(config)) {
            System.out.printf("%-8s %-12s %10s %10s %8s%n", "pool", "priority", "written", "committed", "lag");
            for (Lag lag : measure(admin, Topics.defaults(), pools)) {
                System.out.printf(
                        "%-8s %-12s %10d %10d %8d%n",
                        lag.pool(), lag.priority().wireName(), lag.end(), lag.committed(), lag.lag());
            }
        }
    }
}
