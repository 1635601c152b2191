package io.sweepfarm.worker.lane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sweepfarm.common.api.LaneState;
import io.sweepfarm.common.json.Json;
import io.sweepfarm.common.messaging.LaneHeartbeat;
import io.sweepfarm.common.messaging.RenderTask;
import io.sweepfarm.common.messaging.Topics;
import io.sweepfarm.devstack.testing.DevstackTestResource;
import io.sweepfarm.devstack.testing.RequiresInfra;
import io.sweepfarm.worker.fleet.Heartbeats;
import java.time.Duration;
import java.time.Instant;
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
        Instant start = Instant.now();
        try (Heartbeats heartbeats = new Heartbeats(kafka)) {
            // Idle first: whatever this lane rendered for earlier tests is over.
            await().atMost(Duration.ofSeconds(60)).until(() -> ofTheLane(heartbeats).stream()
                    .anyMatch(h -> h.sentAt().isAfter(start) && h.state() == LaneState.IDLE));
            List<LaneHeartbeat> seen = ofTheLane(heartbeats);
            LaneHeartbeat idle = seen.get(seen.size() - 1);
            assertThat(idle.device()).isEqualTo("cpu");
            assertThat(idle.host()).isNotBlank();
            assertThat(idle.version()).isNotBlank().isNotEqualTo("unknown");
            assertThat(idle.laneId()).isEqualTo(idle.workerId() + "/cpu");

            Instant sent = Instant.now();
            send(TaskLaneIntegrationTest.task(UUID.randomUUID(), 0, 5, null));
            await().atMost(Duration.ofMinutes(1)).until(() -> ofTheLane(heartbeats).stream()
                    .anyMatch(h -> h.sentAt().isAfter(sent) && h.state() == LaneState.RENDERING
                            && h.batchSize() >= 1 && h.imagesPerSecond() > 0 && h.meanStepMillis() > 0));
        }
    }

    private void send(RenderTask t) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", kafka);
        try (var producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.tasks(t.model()), t.imageId().toString(), Json.toBytes(t))).get();
        }
    }
}
