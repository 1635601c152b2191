package io.sweepfarm.worker.lane;

import io.sweepfarm.common.api.SweepState;
import java.util.UUID;

/** What a lane knows of sweeps' states from the control topic. Thread-safe. */
@FunctionalInterface
public interface SweepStates {

    /** The last state the coordinator announced for {@code sweepId}, or null when it announced none. */
    SweepState stateOf(UUID sweepId);

    /** Knows of no sweep: every task is rendered. */
    SweepStates NONE = id -> null;
}
