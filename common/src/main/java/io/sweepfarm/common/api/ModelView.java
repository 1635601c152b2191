package io.sweepfarm.common.api;

import java.util.Map;

/**
 * One model in {@code GET /api/v1/models}: the lanes that serve it and what waits for them.
 *
 * @param model           model name
 * @param liveLanes       lanes that serve it now (loading, idle or rendering)
 * @param lanes           every lane of the model in the fleet view, by state (lost and stopped ones included)
 * @param imagesPerSecond summed recent throughput of its live lanes
 * @param waitingTasks    images of running sweeps of this model not yet rendered, or null when unknown
 */
public record ModelView(
        String model,
        int liveLanes,
        Map<LaneState, Integer> lanes,
        double imagesPerSecond,
        Long waitingTasks) {

    /** Whether a live lane serves the model, so that sweeps for it will be rendered. */
    public boolean served() {
        return liveLanes > 0;
    }
}
