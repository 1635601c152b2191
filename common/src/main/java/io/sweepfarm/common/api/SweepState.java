package io.sweepfarm.common.api;

/** Lifecycle of a sweep. Terminal states: {@link #COMPLETED}, {@link #CANCELLED}. */
public enum SweepState {
    /** Images are being released to workers. */
    RUNNING,
    /** No further images are released; released ones may still finish. */
    PAUSED,
    /** Every image reached a terminal state. */
    COMPLETED,
    /** Stopped by a user; unreleased images were cancelled. */
    CANCELLED;

    public boolean isTerminal() {
        return this == COMPLETED || this == CANCELLED;
    }
}
