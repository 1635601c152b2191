package io.sweepfarm.coordinator.metrics;

import static io.restassured.RestAssured.given;
import static io.sweepfarm.coordinator.support.Sweeps.aSweep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sweepfarm.common.api.SweepState;
import io.sweepfarm.common.messaging.RenderTask;
import io.sweepfarm.common.metrics.MetricNames;
import io.sweepfarm.coordinator.support.Api;
import io.sweepfarm.coordinator.support.Infra;
import io.sweepfarm.coordinator.support.Sweeps;
import io.sweepfarm.devstack.testing.DevstackTestResource;
import io.sweepfarm.devstack.testing.PrometheusText;
import io.sweepfarm.devstack.testing.RequiresInfra;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** /q/metrics shows the relay and result recording of a sweep, and the sweep gauges read from the database. */
@QuarkusTest
@WithTestResource(DevstackTestResource.class)
@RequiresInfra
class CoordinatorMetricsTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @Test
    void aSweepsReleaseAndRecordedResultsShowInTheMetrics() {
        Sweeps spec = aSweep().withSeedRange(0, 4);
        String model = spec.model();
        try (Infra.TaskReader reader = Infra.tasksOf(model)) {
            UUID id = Api.create(spec).id();
            await().atMost(PATIENCE).until(() -> reader.poll().size() >= 4);
            // Released and not finished: the in-flight gauge of the model follows the sweep's queued counter.
            await().atMost(PATIENCE).until(() -> value(MetricNames.TASKS_IN_FLIGHT, "model", model).orElse(-1) == 4);
            List<RenderTask> tasks = List.copyOf(reader.poll());
            Infra.sendResults(tasks.stream().map(t -> Infra.succeeded(t, "ab".repeat(32))).toList());
            await().atMost(PATIENCE).until(() -> Api.sweep(id).state() == SweepState.COMPLETED);

            await().atMost(PATIENCE).untilAsserted(() -> {
                assertThat(value(MetricNames.RELAY_RELEASED_TASKS + "_total", "model", model)).hasValue(4);
                assertThat(value(MetricNames.RELAY_ROUNDS + "_total", "model", model).orElse(0)).isPositive();
                assertThat(value(MetricNames.TASKS_IN_FLIGHT, "model", model)).hasValue(0);
                assertThat(value(MetricNames.SWEEPS, "state", "completed").orElse(0)).isGreaterThanOrEqualTo(1);
            });
            PrometheusText metrics = metrics();
            assertThat(metrics.sum(MetricNames.RESULTS_BATCH_SIZE + "_sum")).isGreaterThanOrEqualTo(4);
            assertThat(metrics.sum(MetricNames.RESULTS_RECORDING_LAG + "_seconds_count")).isGreaterThanOrEqualTo(4);
            assertThat(metrics.has(MetricNames.RESULTS_RECORDING_LAG + "_seconds_bucket")).isTrue();
            assertThat(metrics.has(MetricNames.RESULTS_CONSUMER_LAG)).isTrue();
        }
    }

    private static PrometheusText metrics() {
        return new PrometheusText(given().accept("text/plain").get("/q/metrics").then().statusCode(200).extract()
                .asString());
    }

    /** The value of the series {@code name} labelled {@code label="value"}, if present. */
    private static OptionalDouble value(String name, String label, String value) {
        return metrics().value(name, label, value);
    }
}
