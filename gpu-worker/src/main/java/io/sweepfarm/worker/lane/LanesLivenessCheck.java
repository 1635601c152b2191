package io.sweepfarm.worker.lane;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Alive while every started lane thread and the control-topic follower run. Lanes survive rebalances and outages,
 * so a thread that ended outside shutdown met something it cannot continue after: the process must be restarted.
 */
@Liveness
@ApplicationScoped
public class LanesLivenessCheck implements HealthCheck {

    @Inject
    WorkerLifecycle lifecycle;

    @Inject
    SweepControls controls;

    @Override
    public HealthCheckResponse call() {
        var builder = HealthCheckResponse.named("worker-threads");
        boolean up = true;
        for (var entry : lifecycle.laneThreads().entrySet()) {
            boolean alive = entry.getValue().isAlive() || lifecycle.stopping();
            up &= alive;
            builder.withData(entry.getKey(), alive ? "running" : "died: restart the worker");
        }
        boolean follower = controls.alive();
        up &= follower;
        builder.withData("sweep-controls", follower ? "running" : "died: restart the worker");
        return builder.status(up).build();
    }
}
