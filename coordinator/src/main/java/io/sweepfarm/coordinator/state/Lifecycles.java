package io.sweepfarm.coordinator.state;

import static io.sweepfarm.common.api.ImageState.CANCELLED;
import static io.sweepfarm.common.api.ImageState.FAILED;
import static io.sweepfarm.common.api.ImageState.PENDING;
import static io.sweepfarm.common.api.ImageState.QUEUED;
import static io.sweepfarm.common.api.ImageState.SUCCEEDED;

import io.sweepfarm.common.api.ImageState;
import io.sweepfarm.common.api.SweepState;

/** The lifecycles of a sweep and of an image task. */
public final class Lifecycles {

    /**
     * RUNNING ⇄ PAUSED; either may be CANCELLED by a user or become COMPLETED when every image is terminal (released
     * images keep finishing while a sweep is paused). A COMPLETED sweep runs again when a user retries its failed
     * images (COMPLETED → RUNNING). CANCELLED is final.
     */
    public static final StateMachine<SweepState> SWEEP = StateMachine.of("sweep", SweepState.class)
            .allow(SweepState.RUNNING, SweepState.PAUSED, SweepState.COMPLETED, SweepState.CANCELLED)
            .allow(SweepState.PAUSED, SweepState.RUNNING, SweepState.COMPLETED, SweepState.CANCELLED)
            .allow(SweepState.COMPLETED, SweepState.RUNNING)
            .build();

    /**
     * PENDING → QUEUED when the relay publishes the task; QUEUED → QUEUED when it is re-released (stalled task);
     * a result may arrive for a PENDING image too (the coordinator crashed after publishing, before marking it), so
     * PENDING → SUCCEEDED/FAILED. Cancelling a sweep cancels its PENDING images; its QUEUED ones may still finish,
     * and are cancelled only if they stall (QUEUED → CANCELLED, never re-released). A stalled task that used up its
     * attempts is FAILED. A worker that skips a QUEUED task because its sweep is paused hands it back
     * (QUEUED → PENDING, released again on resume). A user may retry failed images (FAILED → PENDING: a handed-back
     * task again, one attempt further on, so a late repeat of the failed attempt's result cannot fail the retry). SUCCEEDED and
     * CANCELLED are final, and no result moves an image out of FAILED, so a repeated or stale result never
     * overwrites a recorded outcome.
     */
    public static final StateMachine<ImageState> IMAGE = StateMachine.of("image", ImageState.class)
            .allow(PENDING, QUEUED, SUCCEEDED, FAILED, CANCELLED)
            .allow(QUEUED, QUEUED, PENDING, SUCCEEDED, FAILED, CANCELLED)
            .allow(FAILED, PENDING)
            .build();

    /** States an image has while it has a row in the {@code task} table (released, or handed back). */
    public static final java.util.Set<ImageState> TASK_STATES = java.util.EnumSet.of(PENDING, QUEUED);

    /** States an image has while it has a row in the {@code image} table. */
    public static final java.util.Set<ImageState> FINISHED = java.util.EnumSet.of(SUCCEEDED, FAILED, CANCELLED);

    /** Sweeps whose tasks may still be released or re-released. */
    public static final java.util.Set<SweepState> ACTIVE = java.util.EnumSet.of(SweepState.RUNNING, SweepState.PAUSED);

    private Lifecycles() {
    }
}
