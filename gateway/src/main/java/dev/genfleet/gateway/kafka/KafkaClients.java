package dev.genfleet.gateway.kafka;

import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The only place where the gateway builds a Kafka client. Every client takes its connection and security
 * settings from Quarkus' {@code kafka.*} configuration (SmallRye's default Kafka configuration, the bean
 * {@code default-kafka-broker}), the same place Kafka Streams merges into the status view's settings and the
 * chart and {@code ./genfleet up --secure} fill: {@code kafka.bootstrap.servers}, {@code kafka.security.protocol},
 * {@code kafka.sasl.*}, {@code kafka.ssl.*}. A caller adds only what its role needs (acks, group id, isolation),
 * and may not set a connection or security setting of its own ({@link #settings}).
 *
 * <p>Each client is registered under a name ({@code job-producer}, {@code webhook-consumer}, …) with the
 * settings it was built with, so readiness can name it and a test can check that every one got the security
 * settings. Passwords are never exposed from here except to the client itself.
 */
@Singleton
public class KafkaClients {

    /** Prefixes of the settings that only {@code kafka.*} may give: where and how to connect. */
    static final Set<String> CONNECTION_PREFIXES =
            Set.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "security.", "sasl.", "ssl.", "client.dns.lookup");

    private final Map<String, Object> shared;
    private final Map<String, Map<String, Object>> built = new ConcurrentHashMap<>();

    @Inject
    public KafkaClients(@Identifier("default-kafka-broker") Map<String, Object> shared) {
        this.shared = Map.copyOf(shared);
    }

    /** A producer named {@code name} (also its {@code client.id} suffix) with the shared settings. */
    public <K, V> KafkaProducer<K, V> producer(
            String name, Map<String, Object> own, Serializer<K> keys, Serializer<V> values) {
        return new KafkaProducer<>(register(name, Kind.PRODUCER, own), keys, values);
    }

    /** A consumer named {@code name} with the shared settings. */
    public <K, V> KafkaConsumer<K, V> consumer(
            String name, Map<String, Object> own, Deserializer<K> keys, Deserializer<V> values) {
        return new KafkaConsumer<>(register(name, Kind.CONSUMER, own), keys, values);
    }

    /** An admin client named {@code name} with the shared settings. */
    public Admin admin(String name, Map<String, Object> own) {
        return Admin.create(register(name, Kind.ADMIN, own));
    }

    /** The settings of every client built so far, by name (secrets included: for tests and this package). */
    public Map<String, Map<String, Object>> built() {
        return Collections.unmodifiableMap(new TreeMap<>(built));
    }

    private Map<String, Object> register(String name, Kind kind, Map<String, Object> own) {
        Map<String, Object> settings = settings(shared, kind, name, own);
        built.put(name, settings);
        return settings;
    }

    /** The kinds of client, each with the setting names Kafka knows for it. */
    public enum Kind {
        PRODUCER(ProducerConfig.configNames()),
        CONSUMER(ConsumerConfig.configNames()),
        ADMIN(AdminClientConfig.configNames());

        private final Set<String> known;

        Kind(Set<String> known) {
            this.known = known;
        }
    }

    /**
     * A client's settings: every shared setting this kind of client knows (so an admin client gets no
     * {@code group.id}, and nothing Quarkus adds for itself reaches Kafka as an unknown setting), then the
     * caller's own, which may not touch the connection or security, then {@code client.id}
     * {@code genfleet-gateway-<name>}.
     */
    public static Map<String, Object> settings(
            Map<String, Object> shared, Kind kind, String name, Map<String, Object> own) {
        Map<String, Object> s = new LinkedHashMap<>();
        shared.forEach((k, v) -> {
            if (kind.known.contains(k) && !k.equals(CommonClientConfigs.CLIENT_ID_CONFIG)) {
                s.put(k, v);
            }
        });
        own.forEach((k, v) -> {
            if (isConnectionSetting(k)) {
                throw new IllegalArgumentException(
                        name + " may not set " + k + " itself: connection and security come from kafka.*");
            }
            s.put(k, v);
        });
        s.put(CommonClientConfigs.CLIENT_ID_CONFIG, "genfleet-gateway-" + name);
        return s;
    }

    static boolean isConnectionSetting(String key) {
        return CONNECTION_PREFIXES.stream().anyMatch(key::startsWith);
    }
}
