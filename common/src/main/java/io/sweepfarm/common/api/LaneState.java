package io.sweepfarm.common.api;

/**
 * What a worker lane is doing, as its heartbeats say ({@link io.sweepfarm.common.messaging.LaneHeartbeat}) and as
 * the fleet view shows it. {@link #LOST} is never sent: the coordinator assigns it to a lane silent for too long.
 */
public enum LaneState {
    /** Loading its model onto its device; it will serve the model once loaded. */
    LOADING,
    /** Ready, nothing to render. */
    IDLE,
    /** Rendered within the last heartbeat interval. */
    RENDERING,
    /** Cannot render (model or device failure, dead lane thread); the heartbeat's last error says why. */
    FAILED,
    /** Shut down gracefully: it finished or handed back its batch and left its consumer group. */
    STOPPED,
    /** No heartbeat for longer than the coordinator's threshold (killed, hung, or cut off from Kafka). */
    LOST;

    /** Whether a lane in this state serves its model: it renders now or will once loaded. */
    public boolean serves() {
        return this == LOADING || this == IDLE || this == RENDERING;
    }
}
