package io.sweepfarm.coordinator.metrics;

import static io.sweepfarm.common.metrics.MetricNames.TAG_MODEL;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sweepfarm.common.messaging.RenderResult;
import io.sweepfarm.common.metrics.MetricNames;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * The coordinator's own Prometheus meters ({@link MetricNames}) for the relay and result recording; the gauges read
 * from the database are {@link SweepGauges}. Every call is cheap (no I/O) and thread-safe.
 */
@ApplicationScoped
public class CoordinatorMetrics {

    private final MeterRegistry registry;
    private final DistributionSummary resultsBatchSize;
    private final Timer recordingLag;
    private volatile Consumer<?, ?> resultConsumer;

    CoordinatorMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.resultsBatchSize = DistributionSummary.builder(MetricNames.RESULTS_BATCH_SIZE)
                .description("Results recorded per transaction")
                .serviceLevelObjectives(1, 10, 50, 100, 250, 500, 1000, 2000, 5000)
                .register(registry);
        this.recordingLag = Timer.builder(MetricNames.RESULTS_RECORDING_LAG)
                .description("Time from a result's finished_at on the worker to its recording")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry);
        Gauge.builder(MetricNames.RESULTS_CONSUMER_LAG, this, CoordinatorMetrics::consumerLag)
                .description("Records the results consumer is behind, on its worst partition (records-lag-max)")
                .register(registry);
    }

    /** A release round of the model's relay ran and published {@code released} tasks. */
    public void relayRound(String model, int released) {
        Counter.builder(MetricNames.RELAY_ROUNDS).description("Release rounds of the task relay")
                .tag(TAG_MODEL, model).register(registry).increment();
        if (released > 0) {
            Counter.builder(MetricNames.RELAY_RELEASED_TASKS).description("Tasks published by the relay")
                    .tag(TAG_MODEL, model).register(registry).increment(released);
        }
    }

    /** A batch of results was recorded (committed) now. */
    public void recorded(List<RenderResult> results) {
        resultsBatchSize.record(results.size());
        Instant now = Instant.now();
        for (RenderResult r : results) {
            if (r.finishedAt() != null) {
                Duration lag = Duration.between(r.finishedAt(), now);
                recordingLag.record(lag.isNegative() ? Duration.ZERO : lag); // clocks disagree: no lag to show
            }
        }
    }

    /** The consumer of the results topic, whose lag {@link MetricNames#RESULTS_CONSUMER_LAG} reports. */
    public void watchResultConsumer(Consumer<?, ?> consumer) {
        this.resultConsumer = consumer;
    }

    private double consumerLag() {
        Consumer<?, ?> c = resultConsumer;
        if (c == null) {
            return Double.NaN;
        }
        try {
            for (Map.Entry<MetricName, ? extends Metric> e : c.metrics().entrySet()) {
                MetricName n = e.getKey();
                if (n.name().equals("records-lag-max") && n.group().equals("consumer-fetch-manager-metrics")
                        && !n.tags().containsKey("topic") && e.getValue().metricValue() instanceof Number v) {
                    return v.doubleValue();
                }
            }
        } catch (RuntimeException e) {
            // the consumer is closed (shutting down or restarting)
        }
        return Double.NaN;
    }
}
