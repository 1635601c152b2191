package io.sweepfarm.worker.lane;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready while S3 or Kafka is failing (the lanes hold their work and retry): names the dependency, since when and
 * why.
 */
@Readiness
@ApplicationScoped
public class DependenciesHealthCheck implements HealthCheck {

    @Inject
    Outages outages;

    @Override
    public HealthCheckResponse call() {
        var builder = HealthCheckResponse.named("dependencies");
        var down = outages.current();
        for (Outages.Dependency d : Outages.Dependency.values()) {
            Outages.Outage o = down.get(d);
            builder.withData(d.label(), o == null ? "available"
                    : "unavailable since " + o.since() + ": " + LogText.safe(o.reason()));
        }
        return builder.status(down.isEmpty()).build();
    }
}
