package dev.genfleet.e2e.chaos;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeTransactionsResult;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;

/**
 * Asks the transaction coordinator about a worker's transactional producers (ids {@code <worker-id>-bulk},
 * {@code -bulk-2}, {@code -interactive}). A transaction the broker still reports {@code Ongoing}, with the
 * same start time, after the worker was SIGKILLed and found dead was open at the kill: a dead producer can
 * neither commit it nor begin a new one; only the coordinator's timeout or the restarted worker's
 * {@code initTransactions} can end it, and both abort it.
 */
final class TransactionProbe implements AutoCloseable {

    /** An open transaction as the coordinator described it. */
    record Open(String transactionalId, long producerId, long startMs, int partitions) {}

    private final Admin admin;
    private final List<String> ids;

    TransactionProbe(String bootstrap, String workerId) {
        admin = Admin.create(Map.<String, Object>of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                3000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                5000));
        ids = List.of(workerId + "-bulk", workerId + "-bulk-2", workerId + "-interactive");
    }

    /** One of the worker's transactions that is open now, if any. */
    Optional<Open> openNow() {
        DescribeTransactionsResult result = admin.describeTransactions(ids);
        for (String id : ids) {
            Optional<Open> open = describe(result, id)
                    .filter(d -> d.state() == TransactionState.ONGOING)
                    .map(d -> new Open(
                            id, d.producerId(), start(d), d.topicPartitions().size()));
            if (open.isPresent()) {
                return open;
            }
        }
        return Optional.empty();
    }

    /** True when {@code before} is still the open transaction of its producer (same producer, same start). */
    boolean stillOpen(Open before) {
        return describe(admin.describeTransactions(List.of(before.transactionalId())), before.transactionalId())
                .filter(d -> d.state() == TransactionState.ONGOING)
                .filter(d -> d.producerId() == before.producerId() && start(d) == before.startMs())
                .isPresent();
    }

    private static Optional<TransactionDescription> describe(DescribeTransactionsResult result, String id) {
        try {
            return Optional.of(result.description(id).get(5, TimeUnit.SECONDS));
        } catch (Exception notYetOrUnreachable) {
            return Optional.empty(); // an id not used yet, a coordinator loading, the broker away
        }
    }

    private static long start(TransactionDescription d) {
        OptionalLong start = d.transactionStartTimeMs();
        return start.isPresent() ? start.getAsLong() : -1;
    }

    @Override
    public void close() {
        admin.close(java.time.Duration.ofSeconds(5));
    }
}
