package io.sweepfarm.worker.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sweepfarm.common.api.LaneState;
import io.sweepfarm.common.messaging.LaneHeartbeat;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LaneStatsTest {

    private static final long SECOND = 1_000_000_000L;
    private final AtomicLong now = new AtomicLong(1000 * SECOND);
    private final LaneStats stats = new LaneStats("host/cuda:0", "sd15", "cuda:0", Duration.ofSeconds(5),
            Duration.ofSeconds(60), now::get);

    private void advance(double seconds) {
        now.addAndGet((long) (seconds * SECOND));
    }

    @Test
    void aLaneLoadsThenIdlesThenRendersAndIdlesAgainAfterAQuietInterval() {
        assertThat(stats.snapshot().state()).isEqualTo(LaneState.LOADING);
        stats.loaded();
        assertThat(stats.snapshot().state()).isEqualTo(LaneState.IDLE);
        stats.batchStarted();
        assertThat(stats.snapshot().state()).isEqualTo(LaneState.RENDERING);
        advance(2);
        stats.batchFinished(4, 20, 2 * SECOND);
        advance(4);
        assertThat(stats.snapshot().state()).as("rendered within the interval").isEqualTo(LaneState.RENDERING);
        advance(2);
        assertThat(stats.snapshot().state()).isEqualTo(LaneState.IDLE);
    }

    @Test
    void throughputAndStepTimeComeFromTheBatchesInTheWindow() {
        stats.loaded();
        advance(10);
        stats.batchFinished(4, 20, 2 * SECOND);
        advance(10);
        stats.batchFinished(2, 10, SECOND / 2);
        LaneStats.Snapshot s = stats.snapshot();
        assertThat(s.imagesPerSecond()).isCloseTo(6 / 20.0, within(1e-9));
        assertThat(s.meanStepMillis()).isCloseTo(2500.0 / 30, within(1e-9));
        assertThat(s.batchSize()).isEqualTo(2);

        advance(55);
        assertThat(stats.snapshot().imagesPerSecond()).as("only the second batch is within 60 s")
                .isCloseTo(2 / 60.0, within(1e-9));
        advance(10);
        LaneStats.Snapshot quiet = stats.snapshot();
        assertThat(quiet.imagesPerSecond()).isZero();
        assertThat(quiet.meanStepMillis()).as("the last known step time stays").isCloseTo(50.0, within(1e-9));
    }

    @Test
    void aBatchWithNothingRenderedDoesNotCount() {
        stats.loaded();
        advance(1);
        stats.batchStarted();
        stats.batchFinished(0, 20, SECOND / 100);
        assertThat(stats.snapshot().imagesPerSecond()).isZero();
        assertThat(stats.snapshot().batchSize()).isZero();
    }

    @Test
    void errorsAreKeptBoundedAndAFailedLaneStaysFailedWhenStopped() {
        stats.loaded();
        stats.error("S3 unreachable\n" + "x".repeat(1000));
        assertThat(stats.snapshot().lastError()).startsWith("S3 unreachable\\n").hasSize(LaneHeartbeat.MAX_ERROR_LENGTH);
        assertThat(stats.snapshot().state()).isEqualTo(LaneState.IDLE);
        stats.failed("lane thread died: java.lang.OutOfMemoryError");
        stats.stopped();
        assertThat(stats.snapshot().state()).isEqualTo(LaneState.FAILED);
        assertThat(stats.snapshot().lastError()).contains("OutOfMemoryError");
    }

    @Test
    void aHealthyLaneStopsAsStopped() {
        stats.loaded();
        stats.stopped();
        assertThat(stats.snapshot().state()).isEqualTo(LaneState.STOPPED);
    }
}
