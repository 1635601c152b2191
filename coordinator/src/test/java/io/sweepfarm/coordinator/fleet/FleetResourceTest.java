package io.sweepfarm.coordinator.fleet;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sweepfarm.common.api.LaneState;
import io.sweepfarm.common.api.LaneView;
import io.sweepfarm.common.api.ModelView;
import io.sweepfarm.common.json.Json;
import io.sweepfarm.common.messaging.LaneHeartbeat;
import io.sweepfarm.common.messaging.Topics;
import io.sweepfarm.coordinator.support.Infra;
import io.sweepfarm.devstack.testing.DevstackTestResource;
import io.sweepfarm.devstack.testing.RequiresInfra;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Fake lanes heartbeat on the real topic as workers do (every 200 ms); the coordinator's view follows them. The
 * test profile marks lanes lost after 5 s of silence.
 */
@QuarkusTest
@WithTestResource(DevstackTestResource.class)
@RequiresInfra
class FleetResourceTest {

    private final KafkaProducer<String, byte[]> producer = producer();
    private final ScheduledExecutorService lanes = Executors.newScheduledThreadPool(2);

    @Inject
    Fleet fleet;

    @AfterEach
    void stopLanes() {
        lanes.shutdownNow();
        producer.close();
    }

    private static KafkaProducer<String, byte[]> producer() {
        Properties p = new Properties();
        p.put("bootstrap.servers", Infra.endpoints().kafkaBootstrap());
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    /** A fake lane heartbeating until the test ends or it is cancelled (its worker "killed"). */
    private java.util.concurrent.ScheduledFuture<?> fakeLane(String laneId, String model, LaneState state,
            double imagesPerSecond) {
        return lanes.scheduleAtFixedRate(() -> send(new LaneHeartbeat(laneId.split("/")[0], laneId, "gpu-host-1",
                model, "cuda:0", state, imagesPerSecond, 85.5, 4, null, "0.1.0", java.time.Instant.now(), null)),
                0, 200, TimeUnit.MILLISECONDS);
    }

    private void send(LaneHeartbeat h) {
        producer.send(new ProducerRecord<>(Topics.HEARTBEATS, h.laneId(), Json.toBytes(h)));
    }

    private static List<LaneView> workers(String model) {
        return Arrays.asList(Json.fromString(given().queryParam("model", model).get("/api/v1/workers").then()
                .statusCode(200).contentType("application/json").extract().asString(), LaneView[].class));
    }

    private static ModelView model(String name) {
        return Arrays.stream(Json.fromString(given().get("/api/v1/models").then().statusCode(200).extract()
                .asString(), ModelView[].class)).filter(m -> m.model().equals(name)).findFirst().orElse(null);
    }

    @Test
    void aLaneAppearsWithinSecondsAndIsLostOnceItsWorkerIsKilled() {
        String model = "fleet-" + UUID.randomUUID().toString().substring(0, 8);
        String laneId = "worker-" + model + "/cuda:0";
        var heartbeats = fakeLane(laneId, model, LaneState.RENDERING, 3.25);

        await().atMost(Duration.ofSeconds(30)).until(() -> workers(model).size() == 1);
        LaneView lane = workers(model).get(0);
        assertThat(lane.laneId()).isEqualTo(laneId);
        assertThat(lane.state()).isEqualTo(LaneState.RENDERING);
        assertThat(lane.host()).isEqualTo("gpu-host-1");
        assertThat(lane.imagesPerSecond()).isEqualTo(3.25);
        assertThat(lane.meanStepMillis()).isEqualTo(85.5);
        assertThat(lane.ageSeconds()).isNotNegative();
        assertThat(lane.lastSeen()).isNotNull();
        assertThat(fleet.servedModels()).contains(model);

        heartbeats.cancel(false);
        await().atMost(Duration.ofSeconds(30)).until(() -> workers(model).get(0).state() == LaneState.LOST);
        assertThat(fleet.servedModels()).doesNotContain(model);
        assertThat(model(model).liveLanes()).isZero();
        assertThat(model(model).lanes()).containsEntry(LaneState.LOST, 1);
    }

    @Test
    void modelsAggregateTheirLiveLanesAndALaneThatStopsGracefullyIsShownStopped() {
        String model = "fleet-" + UUID.randomUUID().toString().substring(0, 8);
        fakeLane("a-" + model + "/cuda:0", model, LaneState.RENDERING, 1.5);
        fakeLane("b-" + model + "/cuda:0", model, LaneState.IDLE, 0.25);
        await().atMost(Duration.ofSeconds(30)).until(() -> model(model) != null && model(model).liveLanes() == 2);
        ModelView m = model(model);
        assertThat(m.imagesPerSecond()).isEqualTo(1.75);
        assertThat(m.lanes()).containsEntry(LaneState.RENDERING, 1).containsEntry(LaneState.IDLE, 1);
        assertThat(m.waitingTasks()).as("no sweep of the model waits (SweepBacklog)").isEqualTo(0L);

        String stopping = "c-" + model + "/cuda:0";
        send(new LaneHeartbeat("c-" + model, stopping, "gpu-host-2", model, "cuda:0", LaneState.STOPPED, 0, 0, 0,
                null, "0.1.0", java.time.Instant.now(), null));
        await().atMost(Duration.ofSeconds(30)).until(() -> workers(model).stream()
                .anyMatch(l -> l.laneId().equals(stopping) && l.state() == LaneState.STOPPED));
        assertThat(model(model).liveLanes()).isEqualTo(2);
    }

    @Test
    void anUnknownModelFilterGivesAnEmptyList() {
        assertThat(workers("no-such-model-" + UUID.randomUUID())).isEmpty();
    }
}
