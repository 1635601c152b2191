package io.sweepfarm.worker.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sweepfarm.common.metrics.MetricNames;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LaneMetersTest {

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final LaneStats stats = new LaneStats("w1/cuda:0", "sd15", "cuda:0", Duration.ofSeconds(5),
            Duration.ofSeconds(60), clock::get).meteredBy(registry);

    private double state(String state) {
        return registry.get(MetricNames.WORKER_LANE_STATE).tag("lane", "w1/cuda:0").tag("state", state).gauge()
                .value();
    }

    @Test
    void theLaneStateGaugeShowsOneForTheCurrentStateOnly() {
        assertThat(state("loading")).isEqualTo(1);
        assertThat(state("idle")).isZero();
        stats.loaded();
        assertThat(state("loading")).isZero();
        assertThat(state("idle")).isEqualTo(1);
        stats.failed("model vanished");
        assertThat(state("failed")).isEqualTo(1);
        assertThat(state("idle")).isZero();
    }

    @Test
    void batchesFeedTheStepTimeAndBatchSizeAndImagesAreCountedBySampler() {
        stats.loaded();
        stats.batchFinished(4, 20, 2_000_000_000L);
        stats.imagesRendered("euler_a", 3);
        stats.imageFailed("euler_a");
        stats.imagesRendered("dpmpp_2m", 1);

        var step = registry.get(MetricNames.WORKER_STEP_TIME).tag("model", "sd15").timer();
        assertThat(step.count()).isEqualTo(1);
        assertThat(step.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(100);
        assertThat(registry.get(MetricNames.WORKER_BATCH_SIZE).summary().totalAmount()).isEqualTo(4);
        assertThat(registry.get(MetricNames.WORKER_IMAGES_RENDERED).tag("sampler", "euler_a").counter().count())
                .isEqualTo(3);
        assertThat(registry.get(MetricNames.WORKER_IMAGES_RENDERED).tag("sampler", "dpmpp_2m").counter().count())
                .isEqualTo(1);
        assertThat(registry.get(MetricNames.WORKER_IMAGES_FAILED).tag("model", "sd15").counter().count())
                .isEqualTo(1);
    }

    @Test
    void aLaneWithoutMetersStillReportsToItsHeartbeats() {
        LaneStats plain = LaneStats.detached("w2/cpu");
        plain.loaded();
        plain.imagesRendered("euler_a", 2);
        plain.imageFailed("euler_a");
        plain.batchFinished(2, 10, 1_000_000L);
        assertThat(plain.snapshot().batchSize()).isEqualTo(2);
    }
}
