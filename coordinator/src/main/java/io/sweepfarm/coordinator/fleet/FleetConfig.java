package io.sweepfarm.coordinator.fleet;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The fleet view ({@code sweepfarm.coordinator.fleet.*}). */
@ConfigMapping(prefix = "sweepfarm.coordinator.fleet")
public interface FleetConfig {

    /**
     * A lane whose latest heartbeat is older than this is shown as lost (and no longer serves its model). Keep it
     * several times the workers' {@code sweepfarm.worker.heartbeat.interval}.
     */
    @WithDefault("30s")
    Duration lostAfter();

    /** A lane silent for longer than this leaves the view (lost and stopped lanes stay visible until then). */
    @WithDefault("1h")
    Duration forgetAfter();
}
