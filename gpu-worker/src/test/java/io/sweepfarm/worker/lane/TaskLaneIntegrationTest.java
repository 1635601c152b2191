package io.sweepfarm.worker.lane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.StatObjectArgs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sweepfarm.common.api.SweepState;
import io.sweepfarm.common.json.Json;
import io.sweepfarm.common.messaging.RenderResult;
import io.sweepfarm.common.api.PromptOverflow;
import io.sweepfarm.common.image.ImageParameters;
import io.sweepfarm.common.messaging.RenderTask;
import io.sweepfarm.common.messaging.SweepControl;
import io.sweepfarm.common.messaging.Topics;
import io.sweepfarm.common.png.InfoText;
import io.sweepfarm.common.png.PngText;
import io.sweepfarm.common.storage.ObjectKeys;
import io.sweepfarm.devstack.Endpoints;
import io.sweepfarm.devstack.testing.DevstackTestResource;
import io.sweepfarm.devstack.testing.RequiresInfra;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The worker against real Kafka, S3 and ONNX Runtime: tasks in, PNGs in S3, results out, offsets committed. */
@QuarkusTest
@RequiresInfra
@WithTestResource(DevstackTestResource.class)
@WithTestResource(TinyModelTestResource.class)
class TaskLaneIntegrationTest {

    private final Endpoints infra = DevstackTestResource.endpoints();
    private ResultStream results;
    private MinioClient s3;

    @BeforeEach
    void listenToResults() {
        s3 = MinioClient.builder().endpoint(infra.s3Endpoint()).credentials(infra.s3AccessKey(), infra.s3SecretKey())
                .build();
        results = new ResultStream(infra.kafkaBootstrap());
    }

    @AfterEach
    void stopListening() throws InterruptedException {
        results.close();
    }

    static RenderTask task(UUID sweep, long ordinal, long seed, String initImage) {
        return task(TinyModelTestResource.MODEL, sweep, ordinal, seed, initImage, initImage == null ? null : 0.6, null);
    }

    static RenderTask task(String model, UUID sweep, long ordinal, long seed, String initImage, Double strength,
            String mask) {
        UUID id = UUID.randomUUID();
        return new RenderTask(id, sweep, ordinal, 1, new ImageParameters(model, "a red fox, (snow:1.2)", "blurry", 7.5,
                5, "euler_a", seed, 64, 48, "torch_cpu", PromptOverflow.TRUNCATE, initImage, strength, mask),
                ObjectKeys.image(sweep, ordinal, id));
    }

    void send(List<RenderTask> tasks) throws Exception {
        TaskTopics.send(infra.kafkaBootstrap(), tasks, null);
    }

    private List<RenderResult> resultsOf(UUID sweep) {
        return results.of(sweep);
    }

    private byte[] object(String key) throws Exception {
        try (var in = s3.getObject(GetObjectArgs.builder().bucket(infra.bucket()).object(key).build())) {
            return in.readAllBytes();
        }
    }

    @Test
    void tasksBecomePngsInS3WithTheirParametersAndResultsFollowBeforeOffsetsAreCommitted() throws Exception {
        UUID sweep = UUID.randomUUID();
        byte[] initPng = PngText.write(new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB), Map.of());
        String initKey = ObjectKeys.input("ab".repeat(32));
        s3.putObject(PutObjectArgs.builder().bucket(infra.bucket()).object(initKey)
                .stream(new ByteArrayInputStream(initPng), initPng.length, -1).build());
        List<RenderTask> tasks = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            tasks.add(task(sweep, i, 100 + i, null));
        }
        tasks.add(task(sweep, 5, 7, initKey));
        tasks.add(task(TinyModelTestResource.MODEL, sweep, 6, 7, initKey, 1.0, initKey));
        tasks.add(task(sweep, 7, 7, "inputs/" + "cd".repeat(32) + ".png"));
        send(tasks);

        await().atMost(Duration.ofMinutes(2)).until(() -> resultsOf(sweep).size() >= tasks.size());
        List<RenderResult> got = resultsOf(sweep);
        assertThat(got).hasSize(tasks.size());
        for (RenderTask t : tasks.subList(0, 7)) {
            RenderResult r = got.stream().filter(x -> x.imageId().equals(t.imageId())).findFirst().orElseThrow();
            assertThat(r.outcome()).isEqualTo(RenderResult.Outcome.SUCCEEDED);
            assertThat(r.objectKey()).isEqualTo(t.outputKey());
            byte[] png = object(t.outputKey());
            assertThat(PngText.readImage(png).getWidth()).isEqualTo(64);
            assertThat(PngText.readImage(png).getHeight()).isEqualTo(48);
            InfoText.Parsed info = InfoText.parse(PngText.readText(png).get("parameters"));
            assertThat(info.params()).containsEntry("Seed", Long.toString(t.params().seed())).containsEntry("Sampler", "Euler a");
            assertThat(s3.statObject(StatObjectArgs.builder().bucket(infra.bucket()).object(t.outputKey()).build())
                    .userMetadata()).containsEntry("seed", Long.toString(t.params().seed()));
        }
        RenderResult missing = got.stream().filter(x -> x.imageId().equals(tasks.get(7).imageId())).findFirst()
                .orElseThrow();
        assertThat(missing.outcome()).isEqualTo(RenderResult.Outcome.FAILED);
        assertThat(missing.error()).contains("does not exist");

        // Every task's offset is committed by the worker's group once its result is out.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(lag()).isZero());
    }

    @Test
    void aRedeliveredTaskRewritesTheSameObjectWithTheSameBytes() throws Exception {
        UUID sweep = UUID.randomUUID();
        RenderTask t = task(sweep, 0, 42, null);
        send(List.of(t));
        await().atMost(Duration.ofMinutes(1)).until(() -> resultsOf(sweep).size() == 1);
        byte[] first = object(t.outputKey());
        send(List.of(t));
        await().atMost(Duration.ofMinutes(1)).until(() -> resultsOf(sweep).size() == 2);
        assertThat(resultsOf(sweep).get(1).sha256()).isEqualTo(resultsOf(sweep).get(0).sha256());
        assertThat(object(t.outputKey())).isEqualTo(first);
        int objects = 0;
        for (var r : s3.listObjects(ListObjectsArgs.builder().bucket(infra.bucket())
                .prefix(ObjectKeys.sweepPrefix(sweep)).recursive(true).build())) {
            r.get();
            objects++;
        }
        assertThat(objects).isEqualTo(1);
    }

    @jakarta.inject.Inject
    SweepControls controls;

    @Test
    void tasksOfPausedSweepsAreHandedBackAndTasksOfCancelledSweepsAreCancelledWithoutRendering() throws Exception {
        UUID paused = UUID.randomUUID();
        UUID cancelled = UUID.randomUUID();
        Properties p = new Properties();
        p.put("bootstrap.servers", infra.kafkaBootstrap());
        try (var producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (var c : List.of(new SweepControl(paused, SweepState.PAUSED, java.time.Instant.now()),
                    new SweepControl(cancelled, SweepState.CANCELLED, java.time.Instant.now()))) {
                producer.send(new ProducerRecord<>(Topics.CONTROL, c.sweepId().toString(), Json.toBytes(c))).get();
            }
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> controls.stateOf(paused) == SweepState.PAUSED
                && controls.stateOf(cancelled) == SweepState.CANCELLED);
        RenderTask a = task(paused, 0, 1, null);
        RenderTask b = task(cancelled, 0, 2, null);
        send(List.of(a, b));
        await().atMost(Duration.ofMinutes(1)).until(() -> resultsOf(paused).size() == 1
                && resultsOf(cancelled).size() == 1);
        assertThat(resultsOf(paused).get(0).outcome()).isEqualTo(RenderResult.Outcome.DEFERRED);
        assertThat(resultsOf(cancelled).get(0).outcome()).isEqualTo(RenderResult.Outcome.CANCELLED);
        for (RenderTask t : List.of(a, b)) {
            int objects = 0;
            for (var r : s3.listObjects(ListObjectsArgs.builder().bucket(infra.bucket())
                    .prefix(ObjectKeys.sweepPrefix(t.sweepId())).recursive(true).build())) {
                r.get();
                objects++;
            }
            assertThat(objects).as("nothing rendered for %s", t.sweepId()).isZero();
        }
    }

    @jakarta.inject.Inject
    WorkerLifecycle lifecycle;

    @Test
    void aLaneThreadThatEndedOutsideShutdownMakesLivenessAndReadinessFail() throws Exception {
        io.restassured.RestAssured.given().when().get("/q/health/live").then().statusCode(200);
        Thread dead = new Thread(() -> { });
        dead.start();
        dead.join();
        lifecycle.laneThreads().put("dead-lane", dead);
        try {
            io.restassured.RestAssured.given().when().get("/q/health/live").then().statusCode(503)
                    .body("checks.find { it.name == 'worker-threads' }.data.'dead-lane'",
                            org.hamcrest.Matchers.startsWith("died"));
            io.restassured.RestAssured.given().when().get("/q/health/ready").then().statusCode(503);
        } finally {
            lifecycle.laneThreads().remove("dead-lane");
        }
        io.restassured.RestAssured.given().when().get("/q/health/live").then().statusCode(200);
    }

    private long lag() throws Exception {
        return TaskTopics.lag(infra.kafkaBootstrap(), TinyModelTestResource.MODEL);
    }
}
