package dev.genfleet.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Gives a {@code @QuarkusTest} the shared secured broker ({@link KafkaBrokers#secured()}) and connects the
 * application as one Kafka user, the way the chart does: every client setting as a Quarkus {@code kafka.*}
 * property (SmallRye's default Kafka configuration, which every channel, emitter and transactional producer
 * inherits): {@code kafka.bootstrap.servers}, {@code kafka.security.protocol}, {@code kafka.sasl.mechanism},
 * {@code kafka.sasl.jaas.config}, {@code kafka.ssl.truststore.location|password|type}.
 *
 * <p>Arguments: {@code user} (required, e.g. {@code genfleet-worker-text}); {@code password} to log in with
 * another password than the user's (a wrong one). Use it from a {@code QuarkusTestProfile} that disables
 * global test resources, so that no plaintext broker resource competes for {@code kafka.bootstrap.servers}.
 */
public class SecuredKafkaBrokerResource implements QuarkusTestResourceLifecycleManager {

    private String user;
    private String password;
    private SecuredKafka broker;

    @Override
    public void init(Map<String, String> initArgs) {
        user = initArgs.get("user");
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("SecuredKafkaBrokerResource needs the init argument 'user'");
        }
        password = initArgs.get("password");
    }

    @Override
    public Map<String, String> start() {
        broker = KafkaBrokers.secured();
        Map<String, String> config = new LinkedHashMap<>();
        Map<String, String> client =
                password == null ? broker.clientProperties(user) : broker.clientProperties(user, password);
        client.forEach((key, value) -> config.put("kafka." + key, value));
        config.put("quarkus.kafka.devservices.enabled", "false");
        return config;
    }

    /** The broker this resource started, for subclasses that prepare it (topics) before the app starts. */
    protected SecuredKafka broker() {
        return broker;
    }

    @Override
    public void stop() {
        // the broker outlives a single test class; it stops with the JVM
    }
}
