package io.sweepfarm.worker.lane;

import io.sweepfarm.worker.config.WorkerConfig;
import java.time.Duration;

/**
 * How a lane works its topic.
 *
 * @param maxBatch        most compatible tasks per U-Net batch
 * @param backoff         pauses between retries of what failed for a reason that may pass
 * @param ioThreads       threads encoding, uploading and publishing while the lane renders
 * @param pipelineDepth   polls' worth of tasks ({@code pipelineDepth * maxBatch}) a lane may have rendered and not
 *                        yet settled before it stops fetching more; 1 is fully sequential
 * @param maxAttempts     attempts per image for failures neither clearly transient nor clearly permanent
 * @param shutdownTimeout how long a stopping lane waits for the results of what it rendered
 */
public record LaneSettings(int maxBatch, Backoff backoff, int ioThreads, int pipelineDepth, int maxAttempts,
        Duration shutdownTimeout) {

    public static LaneSettings of(WorkerConfig c) {
        return new LaneSettings(c.maxBatch(), new Backoff(c.retryBackoff(), c.retryBackoffMax(), c.retryJitter()),
                c.ioThreads(), c.pipelineDepth(), c.maxAttempts(), c.shutdownTimeout());
    }

    /** Tasks rendered and not yet settled above which the lane stops fetching. */
    int maxUnsettled() {
        return Math.max(1, pipelineDepth) * Math.max(1, maxBatch);
    }
}
