package dev.genfleet.gateway.submit;

import dev.genfleet.gateway.GatewayConfig;
import dev.genfleet.gateway.kafka.KafkaClients;
import dev.genfleet.gateway.kafka.KafkaHealth;
import dev.genfleet.gateway.refusal.Refused;
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

/**
 * The gateway's one Kafka producer: {@code acks=all}, idempotent, so an acknowledged record is on
 * every in-sync replica and a retried send is not duplicated. Records are CloudEvents via
 * {@link EventCodec}. Callers wait for the acknowledgement before answering the client; when Kafka does not
 * acknowledge in time (a broker that is down, refused credentials) they answer 503 with {@code Retry-After}.
 */
@ApplicationScoped
public class EventPublisher {

    /** This producer's name in readiness and its {@code client.id} suffix. */
    public static final String CLIENT = "job-producer";

    private final KafkaProducer<String, byte[]> producer;
    private final EventCodec codec = EventCodec.forComponent("gateway");
    private final Topics topics;
    private final long ackTimeoutMs;
    private final KafkaHealth health;

    public EventPublisher(KafkaClients kafka, KafkaHealth health, GatewayConfig config) {
        this.topics = config.toTopics();
        this.ackTimeoutMs = config.ackTimeoutMs();
        this.health = health;
        this.producer = kafka.producer(CLIENT, settings(config), new StringSerializer(), new ByteArraySerializer());
    }

    /** The producer's own settings; connection and security come from {@code kafka.*} ({@link KafkaClients}). */
    static Map<String, Object> settings(GatewayConfig config) {
        int ackTimeout = (int) Math.max(config.ackTimeoutMs(), 1000);
        return Map.of(
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true,
                ProducerConfig.LINGER_MS_CONFIG,
                2,
                ProducerConfig.COMPRESSION_TYPE_CONFIG,
                "lz4",
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                ackTimeout + 1000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                ackTimeout,
                // send() blocks while it has no metadata for the topic (a broker that is down): never longer
                // than a request may wait for its acknowledgement, so the answer is a timely 503
                ProducerConfig.MAX_BLOCK_MS_CONFIG,
                ackTimeout);
    }

    /**
     * Checks that the producer can reach Kafka and may describe the topics it writes (its metadata request
     * authenticates and needs the ACLs), reporting to {@link KafkaHealth}. Blocks up to the ack timeout.
     */
    public void probe(List<String> written) {
        try {
            for (String topic : written) {
                producer.partitionsFor(topic);
            }
            health.ok(CLIENT);
        } catch (RuntimeException e) {
            health.failed(CLIENT, e);
        }
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
                    health.failed(CLIENT, error);
                    acked.completeExceptionally(error);
                } else {
                    acked.complete(metadata);
                }
            });
        } catch (RuntimeException e) {
            health.failed(CLIENT, e);
            acked.completeExceptionally(e);
        }
        return acked;
    }

    /** Sends all and waits for every acknowledgement; 503 problem when Kafka does not acknowledge in time. */
    public List<RecordMetadata> sendAllAndWait(List<Outgoing> records) {
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>(records.size());
        for (Outgoing r : records) {
            futures.add(send(r.topic(), r.payload(), r.trace()));
        }
        await(CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)));
        return futures.stream().map(CompletableFuture::join).toList();
    }

    /** Waits for a send (or several combined) with the configured ack timeout. */
    public void await(CompletableFuture<?> future) {
        try {
            future.get(ackTimeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Refused.unavailable("interrupted while waiting for Kafka to acknowledge");
        } catch (ExecutionException | TimeoutException e) {
            throw Refused.unavailable("Kafka did not acknowledge the record; retry with the same Idempotency-Key");
        }
    }

    @PreDestroy
    public void close() {
        producer.close(java.time.Duration.ofSeconds(5));
    }

    /** One record to publish. */
    public record Outgoing(String topic, GenfleetPayload payload, TraceContext trace) {}
}
