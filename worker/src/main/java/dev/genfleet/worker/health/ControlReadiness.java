package dev.genfleet.worker.health;

import dev.genfleet.worker.consume.ControlListener;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the control topic has been read up to its end offsets taken at start, so every cancel written
 * before this start is known; until then the job channels stay paused. Shows the replay's progress, and why
 * it is stuck once it has taken longer than {@code genfleet.control.replay-timeout}.
 */
@Readiness
@ApplicationScoped
public class ControlReadiness implements HealthCheck {

    @Inject
    ControlListener control;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response =
                HealthCheckResponse.named("control-replay").status(control.isCaughtUp());
        response.withData("progress", control.progress());
        if (!control.isCaughtUp() && control.problem() != null) {
            response.withData("error", control.problem());
        }
        return response.build();
    }
}
