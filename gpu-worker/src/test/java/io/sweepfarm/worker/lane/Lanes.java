package io.sweepfarm.worker.lane;

import java.time.Duration;

/** Lane settings and parts for tests that build lanes by hand: quick retries. */
final class Lanes {

    private Lanes() {
    }

    /** Retries after 50 ms, doubling up to 400 ms; 5 attempts for uncertain failures; 10 s to shut down. */
    static LaneSettings settings(int maxBatch, int ioThreads, int pipelineDepth) {
        return new LaneSettings(maxBatch, backoff(), ioThreads, pipelineDepth, 5, Duration.ofSeconds(10));
    }

    static Backoff backoff() {
        return new Backoff(Duration.ofMillis(50), Duration.ofMillis(400), 0.2);
    }

    /** A control-topic follower with quick retries and 1 s metadata lookups. */
    static SweepControls controls(String bootstrap, String topic) {
        return new SweepControls(bootstrap, topic, backoff(), Duration.ofSeconds(1), new Outages());
    }
}
