package dev.genfleet.worker.health;

import dev.genfleet.worker.consume.HostedModels;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready when every hosted model is loaded and has generated once (Kafka's own checks come from SmallRye). */
@Readiness
@ApplicationScoped
public class ModelsReadiness implements HealthCheck {

    @Inject
    HostedModels hosted;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response =
                HealthCheckResponse.named("models").status(hosted.isReady());
        hosted.models()
                .forEach(m -> response.withData(
                        m.info().id(), m.info().version() + " on " + m.info().device()));
        if (hosted.ready().isCompletedExceptionally()) {
            hosted.ready().exceptionally(e -> {
                response.withData("error", String.valueOf(e.getMessage()));
                return null;
            });
        }
        return response.build();
    }
}
