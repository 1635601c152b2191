package io.sweepfarm.coordinator.sweep;

import static io.restassured.RestAssured.given;
import static io.sweepfarm.coordinator.support.Sweeps.aSweep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.sweepfarm.common.api.LaneAddons;
import io.sweepfarm.common.api.LaneState;
import io.sweepfarm.common.api.LaneView;
import io.sweepfarm.common.json.Json;
import io.sweepfarm.common.messaging.LaneHeartbeat;
import io.sweepfarm.common.messaging.Topics;
import io.sweepfarm.coordinator.support.Api;
import io.sweepfarm.coordinator.support.Images;
import io.sweepfarm.coordinator.support.Infra;
import io.sweepfarm.devstack.testing.DevstackTestResource;
import io.sweepfarm.devstack.testing.RequiresInfra;
import java.time.Duration;
import java.time.Instant;
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
import org.junit.jupiter.api.Test;

/**
 * Lanes announce their add-ons in their heartbeats; the fleet view shows them, and a sweep naming a LoRA or
 * ControlNet its model's live lanes lack is refused at submission unless it asks to wait.
 */
@QuarkusTest
@TestProfile(WaitingForModelTest.RequireServedModel.class)
@WithTestResource(DevstackTestResource.class)
@RequiresInfra
class AddonRefusalTest {

    @Test
    void aSweepNamingALoraOrControlNetNoLiveLaneHasIsRefusedListingWhatTheLanesOffer() throws Exception {
        String model = "addons-" + UUID.randomUUID().toString().substring(0, 8);
        String laneId = "w-" + model + "/cuda:0";
        LaneAddons addons = new LaneAddons(List.of("film-grain", "ink"), List.of("canny"), null, false, false);
        Properties p = new Properties();
        p.put("bootstrap.servers", Infra.endpoints().kafkaBootstrap());
        ScheduledExecutorService lane = Executors.newSingleThreadScheduledExecutor();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                new ByteArraySerializer())) {
            lane.scheduleAtFixedRate(() -> {
                LaneHeartbeat h = new LaneHeartbeat("w-" + model, laneId, "gpu-host", model, "cuda:0",
                        LaneState.IDLE, 0, 0, 4, null, "test", Instant.now(), addons);
                producer.send(new ProducerRecord<>(Topics.HEARTBEATS, h.laneId(), Json.toBytes(h)));
            }, 0, 300, TimeUnit.MILLISECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> Arrays.stream(Json.fromString(given()
                    .queryParam("model", model).get("/api/v1/workers").then().statusCode(200).extract().asString(),
                    LaneView[].class)).anyMatch(l -> addons.equals(l.addons())));
            given().get("/fleet").then().statusCode(200).body(containsString("LoRAs: film-grain, ink; ControlNets: "
                    + "canny"));
            check(model);
        } finally {
            lane.shutdownNow();
            lane.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private void check(String model) throws Exception {
        String control = given().contentType("image/png").body(Images.png(16, 16)).when().post("/api/v1/inputs")
                .then().statusCode(201).extract().path("key");
        long before = Infra.sweepRows();
        given().contentType("application/json").body(Json.toString(aSweep().withModel(model)
                        .withLora("film-grain", 0.5).withLora("watercolour", 1.0).build()))
                .when().post("/api/v1/sweeps").then().statusCode(422).contentType("application/problem+json")
                .body("field", equalTo("loras[1].name")).body("detail", containsString("'watercolour'"))
                .body("detail", containsString("film-grain, ink")).body("detail", containsString("wait_for_model"));
        given().contentType("application/json").body(Json.toString(aSweep().withModel(model)
                        .withControlNet("canny", control, null, null, null)
                        .withControlNet("openpose", control, null, null, null).build()))
                .when().post("/api/v1/sweeps").then().statusCode(422).contentType("application/problem+json")
                .body("field", equalTo("controlnets[1].model")).body("detail", containsString("canny"))
                .body("detail", not(containsString("film-grain")));
        given().contentType("application/json").body(Json.toString(aSweep().withModel(model)
                        .withRefinerSwitchAt(0.8).build()))
                .when().post("/api/v1/sweeps").then().statusCode(422).body("field", equalTo("refiner_switch_at"));
        assertThat(Infra.sweepRows()).isEqualTo(before);

        // What the lane has is accepted; a sweep that asks to wait is accepted whatever it names.
        Api.create(aSweep().withModel(model).withLora("ink", 0.0, 1.0)
                .withControlNet("canny", control, null, null, null));
        ObjectNode waiting = Json.MAPPER.valueToTree(aSweep().withModel(model).withLora("watercolour", 1.0).build());
        waiting.put("wait_for_model", true);
        given().contentType("application/json").body(waiting.toString()).when().post("/api/v1/sweeps")
                .then().statusCode(201);
    }
}
