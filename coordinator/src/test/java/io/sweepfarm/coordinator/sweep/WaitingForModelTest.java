package io.sweepfarm.coordinator.sweep;

import static io.restassured.RestAssured.given;
import static io.sweepfarm.coordinator.support.Sweeps.aSweep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.sweepfarm.common.api.LaneState;
import io.sweepfarm.common.api.ModelView;
import io.sweepfarm.common.json.Json;
import io.sweepfarm.common.messaging.LaneHeartbeat;
import io.sweepfarm.common.messaging.Topics;
import io.sweepfarm.coordinator.support.Api;
import io.sweepfarm.coordinator.support.Infra;
import io.sweepfarm.devstack.testing.DevstackTestResource;
import io.sweepfarm.devstack.testing.RequiresInfra;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** A sweep for a model no live lane serves is refused, or queued and shown waiting when it asks to wait. */
@QuarkusTest
@TestProfile(WaitingForModelTest.RequireServedModel.class)
@WithTestResource(DevstackTestResource.class)
@RequiresInfra
class WaitingForModelTest {

    public static class RequireServedModel implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("sweepfarm.coordinator.require-served-model", "true");
        }
    }

    @Test
    void anUnservedModelIsRefusedNamingTheServedOnesUnlessTheSweepAsksToWait() {
        String served = "served-" + UUID.randomUUID().toString().substring(0, 8);
        String unserved = "unserved-" + UUID.randomUUID().toString().substring(0, 8);
        Properties p = new Properties();
        p.put("bootstrap.servers", Infra.endpoints().kafkaBootstrap());
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                new ByteArraySerializer());
        // A live lane heartbeats every few seconds; the test profile calls a lane lost after 5 s of silence.
        java.util.concurrent.ScheduledExecutorService lane = java.util.concurrent.Executors
                .newSingleThreadScheduledExecutor();
        lane.scheduleAtFixedRate(() -> {
            LaneHeartbeat h = new LaneHeartbeat("w1", "w1/cuda:0", "gpu-host", served, "cuda:0", LaneState.IDLE, 0,
                    0, 4, null, "test", Instant.now(), null);
            producer.send(new ProducerRecord<>(Topics.HEARTBEATS, h.laneId(), Json.toBytes(h)));
        }, 0, 300, java.util.concurrent.TimeUnit.MILLISECONDS);
        try {
            check(served, unserved);
        } finally {
            lane.shutdownNow();
            producer.close();
        }
    }

    private void check(String served, String unserved) {
        await().atMost(Duration.ofSeconds(30)).until(() -> Arrays.stream(Json.fromString(given()
                .get("/api/v1/models").then().statusCode(200).extract().asString(), ModelView[].class))
                .anyMatch(m -> m.model().equals(served) && m.liveLanes() > 0));

        long before = Infra.sweepRows();
        given().contentType("application/json").body(Json.toString(aSweep().withModel(unserved).build()))
                .when().post("/api/v1/sweeps").then().statusCode(422).contentType("application/problem+json")
                .body("field", equalTo("model")).body("detail", containsString(served))
                .body("detail", containsString("wait_for_model"));
        assertThat(Infra.sweepRows()).isEqualTo(before);

        // Served: accepted as usual.
        Api.create(aSweep().withModel(served));

        // Asked to wait: accepted, and the sweep says what it waits for.
        com.fasterxml.jackson.databind.node.ObjectNode body = Json.MAPPER.valueToTree(aSweep().withModel(unserved)
                .build());
        String waiting = body.put("wait_for_model", true).toString();
        String id = given().contentType("application/json").body(waiting).when().post("/api/v1/sweeps")
                .then().statusCode(201).extract().jsonPath().getString("id");
        given().get("/api/v1/sweeps/" + id).then().statusCode(200)
                .body("waiting", equalTo("waiting for a worker for model " + unserved));
        assertThat(Arrays.stream(Json.fromString(given().get("/api/v1/models").then().statusCode(200).extract()
                .asString(), ModelView[].class)).filter(m -> m.model().equals(unserved)).findFirst().orElseThrow()
                .waitingTasks()).isEqualTo(1L);
    }
}
