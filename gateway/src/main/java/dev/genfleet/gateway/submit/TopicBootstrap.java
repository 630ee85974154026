package dev.genfleet.gateway.submit;

import dev.genfleet.gateway.GatewayConfig;
import dev.genfleet.gateway.kafka.KafkaClients;
import dev.genfleet.gateway.kafka.KafkaHealth;
import dev.genfleet.schemas.TopicCatalog;
import dev.genfleet.schemas.Topics;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;

/**
 * Creates missing topics at startup (local mode, tests), taking partitions and configs from the
 * AsyncAPI document; in a cluster the operator (Strimzi) owns them and this is switched off, as on a secured
 * broker where the gateway's user may not create topics ({@code ./genfleet up --secure} creates them as admin).
 */
@Singleton
public class TopicBootstrap {

    private static final Logger LOG = Logger.getLogger(TopicBootstrap.class);

    /** This admin client's name in readiness and its {@code client.id} suffix. */
    static final String CLIENT = "topic-admin";

    void onStart(
            @Observes @jakarta.annotation.Priority(1) StartupEvent event,
            KafkaClients kafka,
            KafkaHealth health,
            GatewayConfig config) {
        if (!config.createTopics()) {
            return;
        }
        Topics topics = config.toTopics();
        Set<String> pools = new HashSet<>(Topics.DEFAULT_POOLS);
        config.models().values().forEach(m -> pools.add(m.pool()));
        try (Admin admin = kafka.admin(CLIENT, Map.of())) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (TopicCatalog.TopicSpec spec : TopicCatalog.load().topics(pools)) {
                String name = rename(spec, topics);
                if (!existing.contains(name)) {
                    int partitions = config.createTopicsPartitions().orElse(spec.partitions());
                    missing.add(new NewTopic(name, partitions, (short) 1).configs(spec.configs()));
                }
            }
            for (NewTopic topic : missing) {
                try {
                    admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            if (!missing.isEmpty()) {
                LOG.infof("created %d topics", missing.size());
            }
            health.ok(CLIENT);
        } catch (Exception e) {
            // refused (credentials, no Create ACL) makes the gateway unready: it was told to create topics
            health.failed(CLIENT, e);
            LOG.warnf("could not create topics: %s", e.getMessage());
        }
    }

    /** The catalog names the default topics; map them to the configured names. */
    private static String rename(TopicCatalog.TopicSpec spec, Topics topics) {
        String name = spec.name();
        Topics d = Topics.defaults();
        if (name.equals(d.results())) return topics.results();
        if (name.equals(d.audit())) return topics.audit();
        if (name.equals(d.deadLetters())) return topics.deadLetters();
        if (name.equals(d.control())) return topics.control();
        if (name.equals(d.models())) return topics.models();
        if (name.startsWith(d.jobsPrefix()))
            return topics.jobsPrefix() + name.substring(d.jobsPrefix().length());
        return name;
    }
}
