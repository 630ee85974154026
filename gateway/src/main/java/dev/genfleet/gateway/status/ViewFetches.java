package dev.genfleet.gateway.status;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The view's main consumer interceptor: remembers, per partition, one past the last record each poll handed to
 * Kafka Streams. The consumer's lag metric counts from its position, which runs ahead of what the view has folded
 * by the records Kafka Streams buffers; comparing this with {@link ViewProgress} tells "fetched" from "read".
 * Kafka builds the interceptor (no CDI), so the positions sit in a static map by application id (the main
 * consumer's {@code group.id}).
 */
public final class ViewFetches implements ConsumerInterceptor<Object, Object> {

    private static final Map<String, Map<TopicPartition, Long>> BY_APPLICATION = new ConcurrentHashMap<>();

    private Map<TopicPartition, Long> fetched = new ConcurrentHashMap<>();

    /** One past the last offset handed to the view's application {@code applicationId}, per partition. */
    static Map<TopicPartition, Long> of(String applicationId) {
        return BY_APPLICATION.computeIfAbsent(applicationId, k -> new ConcurrentHashMap<>());
    }

    @Override
    public void configure(Map<String, ?> configs) {
        Object group = configs.get("group.id");
        if (group != null) {
            Map<TopicPartition, Long> fresh = new ConcurrentHashMap<>();
            BY_APPLICATION.put(group.toString(), fresh); // a new run of the application starts over
            fetched = fresh;
        }
    }

    @Override
    public ConsumerRecords<Object, Object> onConsume(ConsumerRecords<Object, Object> records) {
        for (TopicPartition tp : records.partitions()) {
            var list = records.records(tp);
            if (!list.isEmpty()) {
                fetched.merge(tp, list.get(list.size() - 1).offset() + 1, Math::max);
            }
        }
        return records;
    }

    @Override
    public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {}

    @Override
    public void close() {}
}
