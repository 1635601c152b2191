package io.sweepfarm.common.api;

import java.time.Instant;

/**
 * One worker lane in {@code GET /api/v1/workers}: its latest heartbeat and how long ago it came.
 *
 * @param laneId          {@code <worker id>/<device>[#index]}
 * @param workerId        the worker process
 * @param host            host name of the worker
 * @param model           model the lane serves
 * @param device          {@code cpu} or {@code cuda:N}
 * @param state           the heartbeat's state, or {@link LaneState#LOST} when it is older than the threshold
 * @param imagesPerSecond recent throughput
 * @param meanStepMillis  recent mean wall time of one denoising step of a batch
 * @param batchSize       size of the most recent batch
 * @param lastError       the lane's latest failure, or null
 * @param version         the worker's version
 * @param lastSeen        when the latest heartbeat reached Kafka
 * @param ageSeconds      seconds since {@code lastSeen}
 * @param addons          what the lane can use beyond its model, as its latest heartbeat says; null when it said
 *                        nothing (still loading, or an older worker)
 */
public record LaneView(
        String laneId,
        String workerId,
        String host,
        String model,
        String device,
        LaneState state,
        double imagesPerSecond,
        double meanStepMillis,
        int batchSize,
        String lastError,
        String version,
        Instant lastSeen,
        double ageSeconds,
        LaneAddons addons) {
}
