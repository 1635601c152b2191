package io.sweepfarm.worker.lane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sweepfarm.common.api.SweepState;
import io.sweepfarm.common.json.Json;
import io.sweepfarm.common.messaging.RenderResult;
import io.sweepfarm.common.messaging.RenderTask;
import io.sweepfarm.common.messaging.SweepControl;
import io.sweepfarm.devstack.Endpoints;
import io.sweepfarm.devstack.testing.DevstackTestResource;
import io.sweepfarm.devstack.testing.RequiresInfra;
import io.sweepfarm.devstack.testing.TcpProxy;
import io.sweepfarm.worker.storage.ImageStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The control-topic follower of a worker that starts before Kafka answers and before the coordinator created the
 * topic: it keeps retrying, says it is not following, and once both are there, pauses reach the lane.
 */
@RequiresInfra
class SweepControlsFollowTest {

    private final Endpoints infra = DevstackTestResource.endpoints();

    @Test
    void theFollowerWaitsForKafkaAndForTheTopicAndThenPausesReachTheLane() throws Exception {
        String topic = "sweepfarm.control.test-" + UUID.randomUUID();
        String model = "controls-" + UUID.randomUUID().toString().substring(0, 8);
        int kafkaPort = Integer.parseInt(infra.kafkaBootstrap().substring(infra.kafkaBootstrap().lastIndexOf(':') + 1));
        UUID paused = UUID.randomUUID();
        try (TcpProxy kafka = new TcpProxy(kafkaPort, false)) {
            SweepControls controls = Lanes.controls("127.0.0.1:" + kafka.port(), topic);
            controls.start();
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> controls.status().detail().contains("did not answer"));
                assertThat(controls.status().following()).isFalse();

                kafka.restore();
                await().atMost(Duration.ofSeconds(30)).until(() -> controls.status().detail().contains("does not exist"));
                assertThat(controls.status().following()).isFalse();

                createTopicAndPause(topic, paused);
                await().atMost(Duration.ofSeconds(30)).until(() -> controls.stateOf(paused) == SweepState.PAUSED);
                assertThat(controls.status().following()).isTrue();

                RenderTask task = Tasks.aTask(model, paused, 0);
                TaskTopics.send(infra.kafkaBootstrap(), List.of(task), null);
                ImageStore store = new ImageStore(DevstackS3.config(infra));
                try (LaneRunner lane = new LaneRunner(infra.kafkaBootstrap(), model, "controls", new StubRenderer(0),
                        store, Lanes.settings(2, 2, 2), controls, new Outages(), Map.of())) {
                    List<RenderResult> results = Results.collect(infra.kafkaBootstrap(), paused, 1,
                            Duration.ofMinutes(1));
                    assertThat(results).extracting(RenderResult::outcome).containsOnly(RenderResult.Outcome.DEFERRED);
                }
            } finally {
                controls.stop();
            }
        }
    }

    private void createTopicAndPause(String topic, UUID sweep) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", infra.kafkaBootstrap());
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1)
                    .configs(Map.of("cleanup.policy", "compact")))).all().get();
        }
        try (var producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            SweepControl c = new SweepControl(sweep, SweepState.PAUSED, Instant.now());
            producer.send(new ProducerRecord<>(topic, sweep.toString(), Json.toBytes(c))).get();
        }
    }
}
