package io.sweepfarm.worker.lane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sweepfarm.common.json.Json;
import io.sweepfarm.common.messaging.RenderResult;
import io.sweepfarm.common.messaging.RenderTask;
import io.sweepfarm.common.messaging.Topics;
import io.sweepfarm.devstack.Endpoints;
import io.sweepfarm.devstack.testing.DevstackTestResource;
import io.sweepfarm.devstack.testing.RequiresInfra;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** A worker with two lanes of one model: both consume the model's topic and share its tasks. */
@QuarkusTest
@RequiresInfra
@WithTestResource(DevstackTestResource.class)
@WithTestResource(TinyModelTestResource.TwoLanes.class)
class TwoLanesIntegrationTest {

    private final Endpoints infra = DevstackTestResource.endpoints();

    @Test
    void bothLanesOfAModelRenderItsTasksAndEachTaskOnce() throws Exception {
        String model = TinyModelTestResource.TwoLanes.MODEL;
        Properties p = new Properties();
        p.put("bootstrap.servers", infra.kafkaBootstrap());
        try (Admin admin = Admin.create(p)) {
            // Lanes never auto-create their task topic: the coordinator creates it, as here (before the tasks exist).
            if (!admin.listTopics().names().get().contains(Topics.tasks(model))) {
                admin.createTopics(List.of(new NewTopic(Topics.tasks(model), 4, (short) 1))).all().get();
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> admin
                    .describeConsumerGroups(List.of("sweepfarm-workers." + model)).all().get()
                    .get("sweepfarm-workers." + model).members().stream()
                    .filter(m -> !m.assignment().topicPartitions().isEmpty()).count() == 2);
        }
        UUID sweep = UUID.randomUUID();
        List<RenderTask> tasks = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            tasks.add(TaskLaneIntegrationTest.task(model, sweep, i, 1000 + i, null, null, null));
        }
        try (var producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (RenderTask t : tasks) {
                producer.send(new ProducerRecord<>(Topics.tasks(model), t.imageId().toString(), Json.toBytes(t))).get();
            }
        }
        List<RenderResult> results = Results.collect(infra.kafkaBootstrap(), sweep, tasks.size(), Duration.ofMinutes(2));
        assertThat(results).hasSize(24).allMatch(r -> r.outcome() == RenderResult.Outcome.SUCCEEDED);
        assertThat(results.stream().map(RenderResult::imageId).collect(Collectors.toSet())).hasSize(24);
        Set<String> lanes = results.stream().map(RenderResult::worker).collect(Collectors.toSet());
        assertThat(lanes).containsExactlyInAnyOrder("two-lanes/cpu#1", "two-lanes/cpu#2");
        // The coordinator creates the control topic when it starts; until it exists the worker is not ready.
        try (Admin admin = Admin.create(p)) {
            if (!admin.listTopics().names().get().contains(Topics.CONTROL)) {
                admin.createTopics(List.of(new NewTopic(Topics.CONTROL, 1, (short) 1))).all().get();
            }
        } catch (java.util.concurrent.ExecutionException e) {
            // created meanwhile by another test
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> io.restassured.RestAssured.given().when()
                .get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'lanes' }.data.'two-lanes/cpu#1'",
                        org.hamcrest.Matchers.equalTo("running"))
                .body("checks.find { it.name == 'sweep-controls' }.status", org.hamcrest.Matchers.equalTo("UP")));
        io.restassured.RestAssured.given().when().get("/q/health/live").then().statusCode(200);
    }
}
