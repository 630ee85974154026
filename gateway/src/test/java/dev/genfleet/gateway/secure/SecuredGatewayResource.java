package dev.genfleet.gateway.secure;

import dev.genfleet.schemas.TopicCatalog;
import dev.genfleet.schemas.TopicProvisioner;
import dev.genfleet.testkit.KafkaBrokers;
import dev.genfleet.testkit.SecuredKafkaBrokerResource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;

/**
 * The shared secured broker with every topic of the default pools created by its admin before the gateway
 * starts, as Strimzi's KafkaTopics are in place before the pods: the gateway's user may not create topics, so
 * the gateway runs with {@code create-topics=false} as the chart runs it.
 */
public class SecuredGatewayResource extends SecuredKafkaBrokerResource {

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new LinkedHashMap<>(super.start());
        try (Admin admin = Admin.create(Map.<String, Object>copyOf(broker().adminProperties()))) {
            TopicProvisioner.ensure(admin, TopicCatalog.load().topics(KafkaBrokers.SECURED_POOLS));
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create the fleet's topics", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        config.put("genfleet.gateway.create-topics", "false");
        return config;
    }
}
