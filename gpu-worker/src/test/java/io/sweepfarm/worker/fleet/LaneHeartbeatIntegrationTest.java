package io.sweepfarm.worker.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sweepfarm.common.api.LaneState;
import io.sweepfarm.common.json.Json;
import io.sweepfarm.common.messaging.LaneHeartbeat;
import io.sweepfarm.common.messaging.RenderTask;
import io.sweepfarm.common.messaging.Topics;
import io.sweepfarm.common.storage.ObjectKeys;
import io.sweepfarm.devstack.testing.DevstackTestResource;
import io.sweepfarm.devstack.testing.RequiresInfra;
import io.sweepfarm.worker.lane.TinyModelTestResource;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The running worker heartbeats its lane, and the heartbeats follow what the lane renders. */
@QuarkusTest
@RequiresInfra
@WithTestResource(DevstackTestResource.class)
@WithTestResource(TinyModelTestResource.class)
class LaneHeartbeatIntegrationTest {

    private final String kafka = DevstackTestResource.endpoints().kafkaBootstrap();

    private List<LaneHeartbeat> ofTheLane(Heartbeats heartbeats) {
        return heartbeats.poll().stream().filter(h -> h.model().equals(TinyModelTestResource.MODEL)
                && h.laneId().endsWith("/cpu")).toList();
    }

    @Test
    void theWorkersLaneHeartbeatsAndReportsItsRenderingFigures() throws Exception {
        try (Heartbeats heartbeats = new Heartbeats(kafka)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> ofTheLane(heartbeats).stream()
                    .anyMatch(h -> h.state() == LaneState.IDLE || h.state() == LaneState.RENDERING));
            LaneHeartbeat ready = ofTheLane(heartbeats).get(ofTheLane(heartbeats).size() - 1);
            assertThat(ready.device()).isEqualTo("cpu");
            assertThat(ready.host()).isNotBlank();
            assertThat(ready.version()).isNotBlank().isNotEqualTo("unknown");
            assertThat(ready.workerId()).isEqualTo(ready.laneId().substring(0, ready.laneId().length() - 4));

            send(task(UUID.randomUUID()));
            await().atMost(Duration.ofMinutes(1)).until(() -> ofTheLane(heartbeats).stream()
                    .anyMatch(h -> h.batchSize() >= 1 && h.imagesPerSecond() > 0 && h.meanStepMillis() > 0));
        }
    }

    private static RenderTask task(UUID sweep) {
        UUID id = UUID.randomUUID();
        return new RenderTask(id, sweep, 0, 1, TinyModelTestResource.MODEL, "a lighthouse", "", 7.5, 4, "euler", 5,
                64, 48, "torch_cpu", "TRUNCATE", null, null, null, ObjectKeys.image(sweep, 0, id));
    }

    private void send(RenderTask t) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka);
        try (var producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.tasks(t.model()), t.imageId().toString(), Json.toBytes(t))).get();
        }
    }
}
