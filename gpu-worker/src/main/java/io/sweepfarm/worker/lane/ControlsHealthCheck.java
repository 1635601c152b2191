package io.sweepfarm.worker.lane;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready while the control topic is followed, so that pauses and cancellations reach the lanes. */
@Readiness
@ApplicationScoped
public class ControlsHealthCheck implements HealthCheck {

    @Inject
    SweepControls controls;

    @Override
    public HealthCheckResponse call() {
        SweepControls.Status s = controls.status();
        return HealthCheckResponse.named("sweep-controls").status(s.following()).withData("status", s.detail())
                .withData("since", s.since().toString()).build();
    }
}
