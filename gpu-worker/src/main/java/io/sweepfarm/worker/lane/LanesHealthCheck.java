package io.sweepfarm.worker.lane;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready while every lane's thread is running: a worker whose lane died must not look healthy. */
@Readiness
@ApplicationScoped
public class LanesHealthCheck implements HealthCheck {

    @Inject
    WorkerLifecycle lifecycle;

    @Override
    public HealthCheckResponse call() {
        var builder = HealthCheckResponse.named("lanes");
        int alive = 0;
        for (var entry : lifecycle.laneThreads().entrySet()) {
            boolean up = entry.getValue().isAlive();
            alive += up ? 1 : 0;
            builder.withData(entry.getKey(), up ? "running" : "stopped");
        }
        int total = lifecycle.laneThreads().size();
        return builder.status(total > 0 && alive == total).build();
    }
}
