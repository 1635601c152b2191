package io.sweepfarm.coordinator.fleet;

import java.util.Map;
import java.util.Optional;

/**
 * What waits for each model, shown as {@code waiting_tasks} in {@code GET /api/v1/models}. The fleet package cannot
 * know it (sweeps are the sweep package's): {@code SweepBacklog} implements it from the sweeps' counters.
 */
public interface ModelBacklog {

    /**
     * Images of running sweeps not rendered yet, per model (released or not), or empty when unknown. A model absent
     * from a present map has none waiting; a model present with a count above zero is listed by
     * {@code GET /api/v1/models} even when no lane serves it. Called on every request of that endpoint.
     */
    Optional<Map<String, Long>> waitingTasks();
}
