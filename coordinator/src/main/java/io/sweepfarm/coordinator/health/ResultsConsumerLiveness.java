package io.sweepfarm.coordinator.health;

import io.sweepfarm.coordinator.messaging.ResultConsumer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

/**
 * Alive while the results consumer runs: if its thread stopped, results are no longer recorded and only a restart
 * brings it back, so liveness fails and the orchestrator restarts the coordinator. A database outage does not fail
 * it (recording waits and resumes by itself); it is reported in the check's data.
 */
@Liveness
@ApplicationScoped
public class ResultsConsumerLiveness implements HealthCheck {

    @Inject
    ResultConsumer consumer;

    @Override
    public HealthCheckResponse call() {
        return check(consumer.alive(), consumer.outageSince());
    }

    static HealthCheckResponse check(boolean alive, Instant outageSince) {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("results-consumer").status(alive);
        if (outageSince != null) {
            b.withData("recording_paused_since", outageSince.toString());
        }
        return b.build();
    }
}
