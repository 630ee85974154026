package dev.genfleet.worker.publish;

import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.record.AbstractRecords;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.RecordBatch;

/**
 * The size check the producer would make, made before the transaction: a record over the limit fails
 * its send, which aborts the whole transaction, and since generation is deterministic the rerun fails
 * the same way for ever. Checking each job's records first turns that loop into one dead-lettered job.
 *
 * <p>The estimate is the producer's own ({@link AbstractRecords#estimateSizeInBytesUpperBound}, the
 * bound {@code KafkaProducer} compares with {@code max.request.size}), for an uncompressed batch.
 */
public final class RecordSizes {

    private final int limit;

    public RecordSizes(int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive, got " + limit);
        }
        this.limit = limit;
    }

    public int limit() {
        return limit;
    }

    /** Upper bound of the bytes a record takes on the wire, as the producer estimates it. */
    public static int estimate(ProducerRecord<String, byte[]> record) {
        byte[] key = record.key() == null ? null : record.key().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return AbstractRecords.estimateSizeInBytesUpperBound(
                RecordBatch.CURRENT_MAGIC_VALUE,
                CompressionType.NONE,
                key,
                record.value(),
                record.headers().toArray());
    }

    /** The first record over the limit, with its estimated size. */
    public Optional<Oversized> firstOversized(List<ProducerRecord<String, byte[]>> records) {
        for (ProducerRecord<String, byte[]> r : records) {
            int size = estimate(r);
            if (size > limit) {
                return Optional.of(new Oversized(r.topic(), size));
            }
        }
        return Optional.empty();
    }

    /** A record that would not fit: its topic and estimated size. */
    public record Oversized(String topic, int bytes) {}
}
