package io.sweepfarm.worker.fleet;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Heartbeats of the worker's lanes ({@code sweepfarm.worker.heartbeat.*}). */
@ConfigMapping(prefix = "sweepfarm.worker.heartbeat")
public interface HeartbeatConfig {

    /**
     * How often each lane reports on {@code sweepfarm.heartbeats.v1}. Keep it well under the coordinator's
     * {@code sweepfarm.coordinator.fleet.lost-after}, or live lanes will flicker as lost.
     */
    @WithDefault("5s")
    Duration interval();

    /** Window over which images/s and the mean step time are computed. */
    @WithDefault("60s")
    Duration window();
}
