package dev.genfleet.gateway.status;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;

/**
 * How far the status view is behind the log, from its main consumer's own {@code records-lag} per partition (end
 * offset minus position; transaction markers count as offsets). Readiness shows it while a replica replays, and
 * {@code genfleet_gateway_view_offsets_behind} (-1 until the consumer has fetched) lets a dashboard draw the
 * catch-up.
 */
@Singleton
public class ViewCatchUp {

    private final KafkaStreams streams;
    private final ViewProgress progress;
    private final String applicationId;

    @Inject
    public ViewCatchUp(KafkaStreams streams, ViewProgress progress, ViewState state) {
        this.streams = streams;
        this.progress = progress;
        this.applicationId = state.applicationId();
    }

    void register(@Observes StartupEvent event, MeterRegistry registry) {
        Gauge.builder(
                        "genfleet.gateway.view.offsets.behind",
                        this,
                        c -> c.lag(null).offsetsBehind())
                .description("offsets the status view still has to read (-1: not known yet)")
                .register(registry);
        Gauge.builder("genfleet.gateway.view.records.read", progress, ViewProgress::recordsRead)
                .description("records the status view has read since this replica started")
                .register(registry);
    }

    /** The partitions ({@code topic-partition}) of the view's active tasks on this instance. */
    public Set<String> assigned() {
        Set<String> out = new java.util.HashSet<>();
        streams.metadataForLocalThreads()
                .forEach(t -> t.activeTasks()
                        .forEach(task ->
                                task.topicPartitions().forEach(tp -> out.add(tp.topic() + "-" + tp.partition()))));
        return out;
    }

    /**
     * Whether the view has read every record its consumer handed over of each of {@code topics}: the lag metric
     * counts from the consumer's position, which runs ahead of the view by the records Kafka Streams buffers.
     */
    public boolean bufferDrained(Set<String> topics) {
        for (Map.Entry<TopicPartition, Long> e : ViewFetches.of(applicationId).entrySet()) {
            if (topics.contains(e.getKey().topic()) && progress.next(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /**
     * The lag per partition the main consumer knows, of {@code topics} only (all when null); NaN where the
     * consumer has not fetched yet.
     */
    public Lag lag(Set<String> topics) {
        Map<String, Double> byPartition = new TreeMap<>();
        for (Map.Entry<MetricName, ? extends Metric> e : streams.metrics().entrySet()) {
            MetricName name = e.getKey();
            String topic = name.tags().get("topic");
            String client = name.tags().getOrDefault("client-id", "");
            if (!"records-lag".equals(name.name())
                    || topic == null
                    || (topics != null && !topics.contains(topic))
                    || !name.group().equals("consumer-fetch-manager-metrics")
                    || client.contains("restore")
                    || !name.tags().containsKey("partition")) {
                continue;
            }
            if (topics == null && topic.contains("_") && !topic.contains(".")) {
                continue; // the same metric again under the topic name with '_' for '.' (older metric names)
            }
            Object value = e.getValue().metricValue();
            byPartition.put(
                    topic + "-" + name.tags().get("partition"),
                    value instanceof Number n ? n.doubleValue() : Double.NaN);
        }
        return new Lag(byPartition);
    }

    /** Lag per partition ({@code topic-partition}). */
    public record Lag(Map<String, Double> byPartition) {

        /** Sum over the partitions whose lag is known; -1 when none is. */
        public long offsetsBehind() {
            long sum = 0;
            boolean known = false;
            for (double d : byPartition.values()) {
                if (!Double.isNaN(d)) {
                    known = true;
                    sum += (long) Math.max(0, d);
                }
            }
            return known ? sum : -1;
        }

        /** Partitions not known to be caught up (lag above 0 or not known yet). */
        public long partitionsBehind() {
            return byPartition.values().stream()
                    .filter(d -> Double.isNaN(d) || d > 0)
                    .count();
        }

        /**
         * Whether every one of {@code assigned} partitions ({@code topic-partition}) of {@code topics} has a known lag,
         * and no known partition lags. A topic none of whose partitions is assigned yet is not caught up.
         */
        public boolean caughtUp(Set<String> topics, Set<String> assigned) {
            for (String t : topics) {
                if (assigned.stream().noneMatch(k -> k.startsWith(t + "-"))) {
                    return false;
                }
            }
            for (String partition : assigned) {
                if (topics.stream().anyMatch(t -> partition.startsWith(t + "-"))
                        && !byPartition.containsKey(partition)) {
                    return false;
                }
            }
            return partitionsBehind() == 0;
        }
    }
}
