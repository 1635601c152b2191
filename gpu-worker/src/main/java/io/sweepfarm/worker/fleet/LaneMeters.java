package io.sweepfarm.worker.fleet;

import static io.sweepfarm.common.metrics.MetricNames.TAG_DEVICE;
import static io.sweepfarm.common.metrics.MetricNames.TAG_LANE;
import static io.sweepfarm.common.metrics.MetricNames.TAG_MODEL;
import static io.sweepfarm.common.metrics.MetricNames.TAG_SAMPLER;
import static io.sweepfarm.common.metrics.MetricNames.TAG_STATE;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sweepfarm.common.api.LaneState;
import io.sweepfarm.common.metrics.MetricNames;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One lane's Prometheus meters ({@link MetricNames}): images rendered and failed by sampler, step time and batch size
 * histograms, and the lane's state as one gauge per state (1 for the current one). Thread-safe; Micrometer meters are
 * cheap to update on the render path.
 */
final class LaneMeters {

    private final MeterRegistry registry;
    private final String model;
    private final Timer stepTime;
    private final DistributionSummary batchSize;

    LaneMeters(MeterRegistry registry, LaneStats lane) {
        this.registry = registry;
        this.model = lane.model();
        this.stepTime = Timer.builder(MetricNames.WORKER_STEP_TIME)
                .description("Wall time of one denoising step of a micro-batch")
                .tag(TAG_MODEL, model)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry);
        this.batchSize = DistributionSummary.builder(MetricNames.WORKER_BATCH_SIZE)
                .description("Images per rendered micro-batch")
                .tag(TAG_MODEL, model)
                .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64)
                .register(registry);
        for (LaneState state : LaneState.values()) {
            Gauge.builder(MetricNames.WORKER_LANE_STATE, lane, l -> l.state() == state ? 1 : 0)
                    .description("1 when the lane is in this state, else 0")
                    .tags(TAG_LANE, lane.laneId(), TAG_MODEL, model, TAG_DEVICE, lane.device(),
                            TAG_STATE, state.name().toLowerCase(java.util.Locale.ROOT))
                    .strongReference(true)
                    .register(registry);
        }
    }

    void batch(int images, int steps, long nanos) {
        batchSize.record(images);
        stepTime.record(nanos / Math.max(1, steps), TimeUnit.NANOSECONDS);
    }

    void rendered(String sampler, int images) {
        counter(MetricNames.WORKER_IMAGES_RENDERED, "Images the engine rendered", sampler).increment(images);
    }

    void failed(String sampler) {
        counter(MetricNames.WORKER_IMAGES_FAILED, "Images reported FAILED (not rendered, encoded or stored)",
                sampler).increment();
    }

    private Counter counter(String name, String description, String sampler) {
        return Counter.builder(name).description(description)
                .tags(TAG_MODEL, model, TAG_SAMPLER, sampler == null ? "" : sampler)
                .register(registry);
    }
}
