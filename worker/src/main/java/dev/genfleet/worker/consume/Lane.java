package dev.genfleet.worker.consume;

import dev.genfleet.schemas.Reason;
import dev.genfleet.schemas.ReasonCode;
import dev.genfleet.worker.publish.Publisher;
import io.smallrye.mutiny.CompositeException;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordBatchMetadata;
import io.smallrye.reactive.messaging.kafka.transactions.KafkaTransactions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

/**
 * One job channel's commits: the records of a poll's outcomes and the poll's offsets in one transaction of the
 * channel's producer, and what happens when that transaction fails.
 *
 * <p>A failure that the records themselves cause (the broker refuses one as too large, or as invalid: limits
 * misaligned between producer, topic and broker) would fail the same way on every rerun of the poll. So the
 * poll is split in halves, each committed with the offsets of its own records, until the record that fails is
 * alone; its job is then dead-lettered with the reason ({@code RESULT_TOO_LARGE} when the broker said so,
 * else {@code WORKER_ERROR} with the broker's message), committed with its offset, and the rest of the poll
 * commits as usual. A job refused as too large whose result has inline images, on a worker with a blob store,
 * is first committed again with every image by claim check (worker README, "Claim check"); only if that is refused
 * too is it dead-lettered. Any other failure (the broker away, fenced, a rebalance) is not the records' fault: it
 * fails the whole poll, which the consumer rewinds and reads again.
 *
 * <p>Halves commit in record order, which within a partition is offset order, so committed offsets only move
 * forward. Because a failed transaction rewinds the consumer to the last commit while halves of the poll have
 * already committed, a poll read before that rewind may arrive again; {@link #fresh} drops the records this
 * lane has committed already in the same consumer-group generation. Only the same generation: SmallRye's
 * {@code withTransaction} completes normally when it aborts a transaction whose offsets the group refused (a
 * rebalance under way), so "committed" here may be wrong exactly when a rebalance is under way, and every
 * rebalance starts a new generation whose positions come from the group's committed offsets.
 */
final class Lane {

    private static final Logger LOG = Logger.getLogger(Lane.class);

    /**
     * A polled record and the records its outcome writes; {@code deadLetter} is null for a dead letter already.
     * {@code byClaimCheck}, when not null, writes the same outcome with every image by claim check (its blobs
     * stored when it is called): what the job commits instead when the broker refuses its records as too large.
     */
    record Part(
            ConsumerRecord<String, byte[]> source,
            List<ProducerRecord<String, byte[]>> records,
            Function<Reason, List<ProducerRecord<String, byte[]>>> deadLetter,
            Supplier<List<ProducerRecord<String, byte[]>>> byClaimCheck) {

        Part(
                ConsumerRecord<String, byte[]> source,
                List<ProducerRecord<String, byte[]>> records,
                Function<Reason, List<ProducerRecord<String, byte[]>>> deadLetter) {
            this(source, records, deadLetter, null);
        }
    }

    private final KafkaTransactions<byte[]> tx;
    private final Runnable inTransaction;
    private final AtomicInteger failuresInARow = new AtomicInteger();
    /** Per partition, the next offset after the last this lane committed, and the group generation it did so in. */
    private final Map<TopicPartition, Committed> committed = new ConcurrentHashMap<>();

    private record Committed(long next, int generation) {}

    Lane(KafkaTransactions<byte[]> tx, Runnable inTransaction) {
        this.tx = tx;
        this.inTransaction = inTransaction;
    }

    AtomicInteger failuresInARow() {
        return failuresInARow;
    }

    /** The poll's records that this lane has not committed yet in the poll's generation, in poll order. */
    List<ConsumerRecord<String, byte[]>> fresh(IncomingKafkaRecordBatchMetadata<String, byte[]> poll) {
        List<ConsumerRecord<String, byte[]>> fresh = new ArrayList<>(poll.count());
        for (ConsumerRecord<String, byte[]> r : poll.getRecords()) {
            Committed c = committed.get(new TopicPartition(r.topic(), r.partition()));
            if (c == null || c.generation() != poll.getConsumerGroupGenerationId() || r.offset() >= c.next()) {
                fresh.add(r);
            }
        }
        return fresh;
    }

    /** Commits the parts (a whole poll), splitting it as described above when its records are refused. */
    Uni<Void> commit(IncomingKafkaRecordBatchMetadata<?, ?> poll, List<Part> parts) {
        return transaction(poll, parts).onFailure(Lane::recordsRefused).recoverWithUni(e -> {
            if (parts.size() == 1) {
                return isolate(poll, parts.get(0), e);
            }
            LOG.warnf(
                    "the broker refused a record of a poll of %d jobs (%s); splitting the poll to find it",
                    parts.size(), rootMessage(e));
            int half = parts.size() / 2;
            List<Part> second = parts.subList(half, parts.size());
            return commit(poll, parts.subList(0, half)).chain(() -> commit(poll, second));
        });
    }

    private Uni<Void> isolate(IncomingKafkaRecordBatchMetadata<?, ?> poll, Part part, Throwable cause) {
        if (part.deadLetter() == null) {
            return Uni.createFrom().failure(cause);
        }
        Optional<Throwable> tooLarge = find(cause, RecordTooLargeException.class, RecordBatchTooLargeException.class);
        ConsumerRecord<String, byte[]> refused = part.source();
        if (tooLarge.isPresent() && part.byClaimCheck() != null) {
            LOG.warnf(
                    "%s-%d@%d: the broker refuses its outcome's records as too large (%s); committing them with every"
                            + " image by claim check",
                    refused.topic(), refused.partition(), refused.offset(), rootMessage(cause));
            // the blobs are stored before the transaction begins; refused again, the job is dead-lettered
            return Uni.createFrom()
                    .item(part.byClaimCheck())
                    .chain(records -> commit(poll, List.of(new Part(refused, records, part.deadLetter()))));
        }
        Reason reason = tooLarge.isPresent()
                ? ReasonCode.RESULT_TOO_LARGE.reason("the broker refused a record of this job's outcome as too large ("
                        + tooLarge.get().getMessage()
                        + "): genfleet.worker.max-record-bytes is above the topic's max.message.bytes or the"
                        + " broker's message.max.bytes")
                : ReasonCode.WORKER_ERROR.reason(
                        "the broker refused a record of this job's outcome: " + rootMessage(cause));
        ConsumerRecord<String, byte[]> source = part.source();
        LOG.errorf(
                "%s-%d@%d: the broker refuses its outcome's records (%s); dead-lettering the job with %s",
                source.topic(), source.partition(), source.offset(), rootMessage(cause), reason.code());
        return transaction(poll, List.of(new Part(source, part.deadLetter().apply(reason), null)));
    }

    /** One transaction: the parts' records and, for each partition, the offset after its last part. */
    private Uni<Void> transaction(IncomingKafkaRecordBatchMetadata<?, ?> poll, List<Part> parts) {
        Map<TopicPartition, OffsetAndMetadata> last = new LinkedHashMap<>();
        for (Part part : parts) {
            ConsumerRecord<String, byte[]> r = part.source();
            // SmallRye commits offset + 1 of each entry, as for the poll's own metadata
            last.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset()));
        }
        Message<List<Part>> message = Message.of(
                parts,
                Metadata.of(new IncomingKafkaRecordBatchMetadata<>(
                        ConsumerRecords.<String, byte[]>empty(),
                        poll.getChannel(),
                        poll.getConsumerIndex(),
                        last,
                        poll.getConsumerGroupGenerationId())));
        return tx.<Void>withTransaction(message, emitter -> {
                    parts.forEach(p -> p.records().forEach(record -> emitter.send(Publisher.message(record))));
                    inTransaction.run();
                    return Uni.createFrom().voidItem();
                })
                .invoke(() -> last.forEach((tp, offset) -> committed.merge(
                        tp,
                        new Committed(offset.offset() + 1, poll.getConsumerGroupGenerationId()),
                        (was, now) -> was.generation() == now.generation() && was.next() > now.next() ? was : now)));
    }

    /** True when the records themselves were refused, so the same records would fail on every rerun. */
    static boolean recordsRefused(Throwable e) {
        return find(
                        e,
                        RecordTooLargeException.class,
                        RecordBatchTooLargeException.class,
                        InvalidRecordException.class,
                        SerializationException.class)
                .isPresent();
    }

    @SafeVarargs
    private static Optional<Throwable> find(Throwable e, Class<? extends Throwable>... kinds) {
        Deque<Throwable> todo = new ArrayDeque<>(List.of(e));
        Set<Throwable> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            Throwable t = todo.pop();
            if (!seen.add(t)) {
                continue;
            }
            for (Class<? extends Throwable> kind : kinds) {
                if (kind.isInstance(t)) {
                    return Optional.of(t);
                }
            }
            if (t.getCause() != null) {
                todo.push(t.getCause());
            }
            if (t instanceof CompositeException composite) {
                composite.getCauses().forEach(todo::push);
            }
            for (Throwable s : t.getSuppressed()) {
                todo.push(s);
            }
        }
        return Optional.empty();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
