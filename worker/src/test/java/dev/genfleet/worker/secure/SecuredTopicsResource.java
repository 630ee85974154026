package dev.genfleet.worker.secure;

import dev.genfleet.schemas.TopicCatalog;
import dev.genfleet.schemas.TopicProvisioner;
import dev.genfleet.testkit.SecuredKafkaBrokerResource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;

/**
 * The shared secured broker with the text pool's topics created by its admin before the worker starts, as
 * Strimzi's KafkaTopics are in place before the pods: a worker's user may not create topics.
 */
public class SecuredTopicsResource extends SecuredKafkaBrokerResource {

    @Override
    public Map<String, String> start() {
        Map<String, String> config = super.start();
        try (Admin admin = Admin.create(Map.<String, Object>copyOf(broker().adminProperties()))) {
            TopicProvisioner.ensure(admin, TopicCatalog.load().topics(List.of("text")));
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create the text pool's topics", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return config;
    }
}
