package io.sweepfarm.worker.lane;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sweepfarm.common.json.Json;
import io.sweepfarm.common.messaging.RenderTask;
import io.sweepfarm.common.messaging.Topics;
import io.sweepfarm.common.metrics.MetricNames;
import io.sweepfarm.devstack.testing.DevstackTestResource;
import io.sweepfarm.devstack.testing.PrometheusText;
import io.sweepfarm.devstack.testing.RequiresInfra;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The running worker's /q/metrics follows what its lane renders. */
@QuarkusTest
@RequiresInfra
@WithTestResource(DevstackTestResource.class)
@WithTestResource(TinyModelTestResource.class)
class WorkerMetricsTest {

    private static final String MODEL = TinyModelTestResource.MODEL;

    @Test
    void aRenderedImageShowsInTheLanesMetrics() throws Exception {
        String rendered = MetricNames.WORKER_IMAGES_RENDERED + "_total";
        double before = metrics().sum(rendered);
        send(TaskLaneIntegrationTest.task(UUID.randomUUID(), 0, 5, null));

        await().atMost(Duration.ofMinutes(1)).until(() -> metrics().sum(rendered) >= before + 1);
        PrometheusText metrics = metrics();
        assertThat(metrics.value(rendered, "sampler", "euler_a")).isPresent();
        assertThat(metrics.value(rendered, "model", MODEL).orElse(0)).isGreaterThanOrEqualTo(1);
        assertThat(metrics.sum(MetricNames.WORKER_STEP_TIME + "_seconds_count")).isGreaterThanOrEqualTo(1);
        assertThat(metrics.has(MetricNames.WORKER_STEP_TIME + "_seconds_bucket")).isTrue();
        assertThat(metrics.sum(MetricNames.WORKER_BATCH_SIZE + "_sum")).isGreaterThanOrEqualTo(1);
        // One state gauge per state and lane; each lane is in exactly one state.
        int lanes = metrics.count(MetricNames.WORKER_LANE_STATE, "state", "idle");
        assertThat(lanes).isPositive();
        assertThat(metrics.sum(MetricNames.WORKER_LANE_STATE)).isEqualTo(lanes);
        assertThat(metrics.value(MetricNames.WORKER_LANE_STATE, "state", "loading")).hasValue(0);
    }

    private static PrometheusText metrics() {
        return new PrometheusText(given().accept("text/plain").get("/q/metrics").then().statusCode(200).extract()
                .asString());
    }

    private void send(RenderTask t) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", DevstackTestResource.endpoints().kafkaBootstrap());
        try (var producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.tasks(t.model()), t.imageId().toString(), Json.toBytes(t))).get();
        }
    }
}
