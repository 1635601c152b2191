package io.sweepfarm.coordinator.storage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only when the image bucket answers (downloads need it). Database and Kafka have Quarkus' own checks. */
@Readiness
@ApplicationScoped
public class StorageHealthCheck implements HealthCheck {

    @Inject
    ImageStore store;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("s3-image-bucket").status(store.reachable()).build();
    }
}
