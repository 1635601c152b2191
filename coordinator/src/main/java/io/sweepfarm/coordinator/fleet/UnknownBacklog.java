package io.sweepfarm.coordinator.fleet;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;

/** The backlog until something that knows it is provided: unknown, so {@code waiting_tasks} is omitted. */
@DefaultBean
@ApplicationScoped
class UnknownBacklog implements ModelBacklog {

    @Override
    public Optional<Map<String, Long>> waitingTasks() {
        return Optional.empty();
    }
}
