package io.sweepfarm.worker.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sweepfarm.common.api.LaneAddons;
import io.sweepfarm.common.api.LaneState;
import io.sweepfarm.common.messaging.LaneHeartbeat;
import io.sweepfarm.devstack.testing.DevstackTestResource;
import io.sweepfarm.devstack.testing.RequiresInfra;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The heartbeat publisher against the devstack Kafka, outside Quarkus. */
@RequiresInfra
class HeartbeatPublisherTest {

    private final String kafka = DevstackTestResource.endpoints().kafkaBootstrap();

    @Test
    void lanesHeartbeatEveryIntervalAndSayStoppedLastOnAGracefulStop() {
        String worker = "hb-" + UUID.randomUUID();
        HeartbeatPublisher publisher = new HeartbeatPublisher(Duration.ofMillis(200), Duration.ofSeconds(60),
                Map.of("bootstrap.servers", kafka), "9.9.9");
        try (Heartbeats heartbeats = new Heartbeats(kafka)) {
            LaneStats lane = publisher.register(worker, worker + "/cuda:0", "sd15", "cuda:0");
            await().atMost(Duration.ofSeconds(20)).until(() -> heartbeats.of(worker + "/cuda:0").stream()
                    .anyMatch(h -> h.state() == LaneState.LOADING));
            assertThat(heartbeats.of(worker + "/cuda:0").get(0).addons()).as("unknown while loading").isNull();
            List<String> loras = new java.util.concurrent.CopyOnWriteArrayList<>(List.of("film-grain"));
            lane.loaded(() -> new LaneAddons(loras, List.of("canny"), null, false, false));
            await().atMost(Duration.ofSeconds(20)).until(() -> heartbeats.of(worker + "/cuda:0").stream()
                    .anyMatch(h -> h.state() == LaneState.IDLE && h.addons() != null
                            && h.addons().loras().equals(List.of("film-grain"))
                            && h.addons().controlnets().equals(List.of("canny"))));
            loras.add("ink"); // a LoRA copied into the folder while the worker runs is announced from then on
            await().atMost(Duration.ofSeconds(20)).until(() -> heartbeats.of(worker + "/cuda:0").stream()
                    .anyMatch(h -> h.addons() != null && h.addons().loras().equals(List.of("film-grain", "ink"))));
            lane.batchStarted();
            lane.batchFinished(3, 10, 300_000_000L);
            await().atMost(Duration.ofSeconds(20)).until(() -> heartbeats.of(worker + "/cuda:0").stream()
                    .anyMatch(h -> h.state() == LaneState.RENDERING && h.batchSize() == 3));
            int before = heartbeats.of(worker + "/cuda:0").size();
            await().atMost(Duration.ofSeconds(20)).until(() -> heartbeats.of(worker + "/cuda:0").size() >= before + 3);

            publisher.stop();
            await().atMost(Duration.ofSeconds(20)).until(() -> last(heartbeats.of(worker + "/cuda:0")).state()
                    == LaneState.STOPPED);
            LaneHeartbeat last = last(heartbeats.of(worker + "/cuda:0"));
            assertThat(last.workerId()).isEqualTo(worker);
            assertThat(last.model()).isEqualTo("sd15");
            assertThat(last.device()).isEqualTo("cuda:0");
            assertThat(last.version()).isEqualTo("9.9.9");
            assertThat(last.host()).isNotBlank();
            assertThat(last.meanStepMillis()).isEqualTo(30.0);
            assertThat(last.sentAt()).isNotNull();
            assertThat(last.addons().loras()).containsExactly("film-grain", "ink");
        } finally {
            publisher.stop();
        }
    }

    @Test
    void aLaneThatFailedStaysFailedWithItsErrorInTheLastHeartbeat() {
        String worker = "hb-" + UUID.randomUUID();
        HeartbeatPublisher publisher = new HeartbeatPublisher(Duration.ofSeconds(30), Duration.ofSeconds(60),
                Map.of("bootstrap.servers", kafka), "9.9.9");
        try (Heartbeats heartbeats = new Heartbeats(kafka)) {
            LaneStats lane = publisher.register(worker, worker + "/cuda:1", "sd15", "cuda:1");
            lane.loaded(() -> {
                throw new java.io.UncheckedIOException(new java.io.IOException("folder gone"));
            });
            lane.failed("CUDA execution provider unavailable on cuda:1");
            publisher.stop();
            await().atMost(Duration.ofSeconds(20)).until(() -> !heartbeats.of(worker + "/cuda:1").isEmpty()
                    && last(heartbeats.of(worker + "/cuda:1")).state() == LaneState.FAILED);
            assertThat(last(heartbeats.of(worker + "/cuda:1")).lastError()).contains("cuda:1");
            assertThat(last(heartbeats.of(worker + "/cuda:1")).addons()).as("add-ons that cannot be told").isNull();
        } finally {
            publisher.stop();
        }
    }

    private static LaneHeartbeat last(List<LaneHeartbeat> list) {
        return list.get(list.size() - 1);
    }
}
