package dev.genfleet.gateway.submit;

import dev.genfleet.gateway.GatewayConfig;
import dev.genfleet.gateway.api.ProblemException;
import dev.genfleet.schemas.EventCodec;
import dev.genfleet.schemas.GenfleetPayload;
import dev.genfleet.schemas.Topics;
import dev.genfleet.schemas.TraceContext;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The gateway's one Kafka producer: {@code acks=all}, idempotent, so an acknowledged record is on
 * every in-sync replica and a retried send is not duplicated. Records are CloudEvents via
 * {@link EventCodec}. Callers wait for the acknowledgement before answering the client.
 */
@ApplicationScoped
public class EventPublisher {

    private final KafkaProducer<String, byte[]> producer;
    private final EventCodec codec = EventCodec.forComponent("gateway");
    private final Topics topics;
    private final long ackTimeoutMs;

    public EventPublisher(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap, GatewayConfig config) {
        this.topics = config.toTopics();
        this.ackTimeoutMs = config.ackTimeoutMs();
        this.producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true,
                        ProducerConfig.LINGER_MS_CONFIG,
                        2,
                        ProducerConfig.COMPRESSION_TYPE_CONFIG,
                        "lz4",
                        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                        (int) Math.max(config.ackTimeoutMs(), 1000) + 1000,
                        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                        (int) Math.max(config.ackTimeoutMs(), 1000),
                        ProducerConfig.CLIENT_ID_CONFIG,
                        "genfleet-gateway"),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    public Topics topics() {
        return topics;
    }

    /** Sends one record; the future completes when Kafka acknowledged it. */
    public CompletableFuture<RecordMetadata> send(String topic, GenfleetPayload payload, TraceContext trace) {
        return send(topic, payload, trace, Map.of());
    }

    /** Sends one record with extra Kafka headers (beside the CloudEvents {@code ce_*} ones). */
    public CompletableFuture<RecordMetadata> send(
            String topic, GenfleetPayload payload, TraceContext trace, Map<String, String> headers) {
        ProducerRecord<String, byte[]> record = codec.encode(topic, payload, trace);
        headers.forEach((k, v) -> record.headers().add(k, v.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        CompletableFuture<RecordMetadata> acked = new CompletableFuture<>();
        try {
            producer.send(record, (metadata, error) -> {
                if (error != null) {
                    acked.completeExceptionally(error);
                } else {
                    acked.complete(metadata);
                }
            });
        } catch (RuntimeException e) {
            acked.completeExceptionally(e);
        }
        return acked;
    }

    /** Sends all and waits for every acknowledgement; 503 problem when Kafka does not acknowledge in time. */
    public void sendAllAndWait(List<Outgoing> records) {
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>(records.size());
        for (Outgoing r : records) {
            futures.add(send(r.topic(), r.payload(), r.trace()));
        }
        await(CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)));
    }

    /** Waits for a send (or several combined) with the configured ack timeout. */
    public void await(CompletableFuture<?> future) {
        try {
            future.get(ackTimeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ProblemException.unavailable("interrupted while waiting for Kafka to acknowledge");
        } catch (ExecutionException | TimeoutException e) {
            throw ProblemException.unavailable(
                    "Kafka did not acknowledge the record; retry with the same Idempotency-Key");
        }
    }

    @PreDestroy
    void close() {
        producer.close(java.time.Duration.ofSeconds(5));
    }

    /** One record to publish. */
    public record Outgoing(String topic, GenfleetPayload payload, TraceContext trace) {}
}
