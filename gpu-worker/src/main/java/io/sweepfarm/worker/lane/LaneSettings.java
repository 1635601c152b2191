package io.sweepfarm.worker.lane;

import java.time.Duration;

/**
 * How a lane works its topic.
 *
 * @param maxBatch      most compatible tasks per U-Net batch
 * @param retryBackoff  pause before retrying a poll whose results could not be stored or published
 * @param ioThreads     threads encoding, uploading and publishing while the lane renders
 * @param pipelineDepth polls in flight; 1 is fully sequential
 */
public record LaneSettings(int maxBatch, Duration retryBackoff, int ioThreads, int pipelineDepth) {
}
