package io.sweepfarm.coordinator.sweep;

import static io.restassured.RestAssured.given;
import static io.sweepfarm.coordinator.support.Sweeps.aSweep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sweepfarm.common.api.CreateSweepResponse;
import io.sweepfarm.common.api.ImageState;
import io.sweepfarm.common.api.ImageView;
import io.sweepfarm.common.api.PromptOverflow;
import io.sweepfarm.common.image.ImageIds;
import io.sweepfarm.common.api.SweepState;
import io.sweepfarm.common.api.SweepView;
import io.sweepfarm.common.json.Json;
import io.sweepfarm.common.messaging.RenderTask;
import io.sweepfarm.common.messaging.Topics;
import io.sweepfarm.common.storage.ObjectKeys;
import io.sweepfarm.coordinator.support.Api;
import io.sweepfarm.coordinator.support.Infra;
import io.sweepfarm.coordinator.support.Sweeps;
import io.sweepfarm.devstack.testing.DevstackTestResource;
import io.sweepfarm.devstack.testing.RequiresInfra;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(DevstackTestResource.class)
@RequiresInfra
class SweepLifecycleTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @Test
    void aCreatedSweepIsOneRowWithoutImageRowsAndReportsEveryStateCount() {
        Sweeps spec = aSweep().withPrompts("a fox", "a cat").withCfgScales(5.0, 7.0).withSeeds(1L, 2L, 3L)
                .withModel("no-worker-" + UUID.randomUUID().toString().substring(0, 8));
        long imageRowsBefore = Infra.queryLong("select count(*) from image");
        String location = given().contentType("application/json").body(Json.toString(spec.build()))
                .when().post("/api/v1/sweeps")
                .then().statusCode(201)
                .body("image_count", equalTo(12))
                .body("state", equalTo("RUNNING"))
                .extract().header("Location");
        UUID id = UUID.fromString(location.substring(location.lastIndexOf('/') + 1));
        assertThat(location).endsWith("/api/v1/sweeps/" + id);

        assertThat(Infra.queryLong("select count(*) from sweep where id = ?", id)).isEqualTo(1);
        assertThat(Infra.queryLong("select count(*) from image")).isEqualTo(imageRowsBefore);
        SweepView view = Api.sweep(id);
        assertThat(view.model()).isEqualTo(spec.model());
        assertThat(view.imageCount()).isEqualTo(12);
        assertThat(view.counts()).containsOnlyKeys(ImageState.values());
        assertThat(view.counts().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(12);
        assertThat(view.counts().get(ImageState.SUCCEEDED)).isZero();
        // Released tasks are the only rows, up to the in-flight cap.
        await().atMost(PATIENCE).until(() -> Api.sweep(id).counts().get(ImageState.QUEUED) == 8);
        assertThat(Infra.queryLong("select count(*) from task where sweep_id = ?", id)).isEqualTo(8);
        assertThat(Api.sweep(id).released()).isEqualTo(8);
        assertThat(Api.sweep(id).counts().get(ImageState.PENDING)).isEqualTo(4);
    }

    @Test
    void everyImageIsPublishedExactlyOnceToItsModelTopicWithAllItsParameters() {
        Sweeps spec = aSweep().withPrompts("a fox", "a cat").withNegativePrompts("blurry").withCfgScales(5.0, 7.5)
                .withSteps(20).withSamplers("euler_a", "dpmpp_2m").withSeeds(42L).withSize(512, 768);
        try (Infra.TaskReader reader = Infra.tasksOf(spec.model())) {
            CreateSweepResponse created = Api.create(spec);
            await().atMost(PATIENCE).until(() -> reader.poll().size() >= 8);
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> reader.poll().size() == 8);
            List<RenderTask> tasks = reader.poll();

            assertThat(tasks).extracting(RenderTask::imageId).doesNotHaveDuplicates();
            assertThat(reader.keys()).containsExactlyInAnyOrderElementsOf(
                    tasks.stream().map(t -> t.imageId().toString()).toList());
            assertThat(tasks).allSatisfy(t -> {
                assertThat(t.sweepId()).isEqualTo(created.id());
                assertThat(t.model()).isEqualTo(spec.model());
                assertThat(t.attempt()).isEqualTo(1);
                assertThat(t.params().negativePrompt()).isEqualTo("blurry");
                assertThat(t.params().steps()).isEqualTo(20);
                assertThat(t.params().seed()).isEqualTo(42L);
                assertThat(t.params().width()).isEqualTo(512);
                assertThat(t.params().height()).isEqualTo(768);
                assertThat(t.params().noiseSource()).isEqualTo("torch_cpu");
                assertThat(t.params().promptOverflow()).isEqualTo(PromptOverflow.TRUNCATE);
                assertThat(t.params().initImage()).isNull();
                assertThat(t.outputKey()).isEqualTo(ObjectKeys.image(t.sweepId(), t.ordinal(), t.imageId()));
                assertThat(ImageIds.decode(t.imageId()).orElseThrow().ordinal()).isEqualTo(t.ordinal());
            });
            Set<List<Object>> combos = new HashSet<>();
            tasks.forEach(t -> combos.add(List.of(t.params().prompt(), t.params().cfgScale(), t.params().sampler())));
            assertThat(combos).hasSize(8);
            assertThat(tasks).extracting(RenderTask::ordinal).containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);

            // The task matches the image row, which is QUEUED after one attempt.
            RenderTask first = tasks.get(0);
            ImageView image = Json.fromString(given().get("/api/v1/images/" + first.imageId()).then().statusCode(200)
                    .extract().asString(), ImageView.class);
            assertThat(image.params().prompt()).isEqualTo(first.params().prompt());
            assertThat(image.params().cfgScale()).isEqualTo(first.params().cfgScale());
            assertThat(image.params().sampler()).isEqualTo(first.params().sampler());
            assertThat(image.ordinal()).isEqualTo(first.ordinal());
            assertThat(image.state()).isEqualTo(ImageState.QUEUED);
            assertThat(image.attempts()).isEqualTo(1);
            assertThat(Api.sweep(created.id()).counts().get(ImageState.QUEUED)).isEqualTo(8);
        }
        assertThat(Topics.tasks(spec.model())).startsWith(Topics.TASKS_PREFIX);
    }

    @Test
    void resultsCompleteTheSweepAndARepeatedResultIsNotCountedTwice() {
        Sweeps spec = aSweep().withSeeds(1L, 2L, 3L);
        try (Infra.TaskReader reader = Infra.tasksOf(spec.model())) {
            CreateSweepResponse created = Api.create(spec);
            await().atMost(PATIENCE).until(() -> reader.poll().size() >= 3);
            List<RenderTask> tasks = List.copyOf(reader.poll());
            for (RenderTask task : tasks) {
                Infra.putObject(task.outputKey(), png(task));
                Infra.sendResult(Infra.succeeded(task, "ab".repeat(32)));
            }
            await().atMost(PATIENCE).until(() -> Api.sweep(created.id()).state() == SweepState.COMPLETED);
            SweepView done = Api.sweep(created.id());
            assertThat(done.counts().get(ImageState.SUCCEEDED)).isEqualTo(3);
            assertThat(done.done()).isEqualTo(3);

            RenderTask first = tasks.get(0);
            ImageView before = image(first.imageId());
            assertThat(before.state()).isEqualTo(ImageState.SUCCEEDED);
            assertThat(before.objectKey()).isEqualTo(first.outputKey());
            assertThat(before.worker()).isEqualTo("test-host/cuda:0");
            assertThat(before.renderMillis()).isEqualTo(1234L);
            assertThat(before.warnings()).containsExactly("prompt truncated");
            assertThat(before.downloadUrl()).isEqualTo("/api/v1/images/" + first.imageId() + "/png");

            // A duplicate success and a late failure of the same attempt change nothing.
            Infra.sendResult(Infra.succeeded(first, "cd".repeat(32)));
            Infra.sendResult(Infra.failed(first, "late failure"));
            Infra.sendResult(Infra.failed(tasks.get(1), "also late"));
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> {
                ImageView now = image(first.imageId());
                return now.state() == ImageState.SUCCEEDED && now.error() == null
                        && now.completedAt().equals(before.completedAt())
                        && now.sha256().equals("ab".repeat(32))
                        && Api.sweep(created.id()).counts().get(ImageState.SUCCEEDED) == 3;
            });

            byte[] bytes = given().when().get("/api/v1/images/" + first.imageId() + "/png")
                    .then().statusCode(200).contentType("image/png").extract().asByteArray();
            assertThat(bytes).isEqualTo(png(first));
        }
    }

    @Test
    void aFailedResultRecordsTheErrorAndTheSweepStillCompletes() {
        Sweeps spec = aSweep().withSeeds(7L, 8L);
        try (Infra.TaskReader reader = Infra.tasksOf(spec.model())) {
            CreateSweepResponse created = Api.create(spec);
            await().atMost(PATIENCE).until(() -> reader.poll().size() >= 2);
            List<RenderTask> tasks = List.copyOf(reader.poll());
            Infra.sendResult(Infra.failed(tasks.get(0), "model file is corrupt"));
            Infra.putObject(tasks.get(1).outputKey(), png(tasks.get(1)));
            Infra.sendResult(Infra.succeeded(tasks.get(1), "ef".repeat(32)));
            await().atMost(PATIENCE).until(() -> Api.sweep(created.id()).state() == SweepState.COMPLETED);
            ImageView failed = image(tasks.get(0).imageId());
            assertThat(failed.state()).isEqualTo(ImageState.FAILED);
            assertThat(failed.error()).isEqualTo("model file is corrupt");
            given().when().get("/api/v1/images/" + failed.id() + "/png")
                    .then().statusCode(404).contentType("application/problem+json");
            assertThat(Api.sweep(created.id()).counts())
                    .containsEntry(ImageState.FAILED, 1L).containsEntry(ImageState.SUCCEEDED, 1L);
        }
    }

    @Test
    void aFailureReportedForAnEarlierAttemptDoesNotFailTheCurrentOne() {
        Sweeps spec = aSweep();
        try (Infra.TaskReader reader = Infra.tasksOf(spec.model())) {
            CreateSweepResponse created = Api.create(spec);
            await().atMost(PATIENCE).until(() -> reader.poll().size() >= 1);
            RenderTask task = reader.poll().get(0);
            RenderTask earlier = new RenderTask(task.imageId(), task.sweepId(), task.ordinal(), 0, task.params(),
                    task.outputKey());
            Infra.sendResult(Infra.failed(earlier, "stale"));
            Infra.sendResult(Infra.succeeded(task, "12".repeat(32)));
            await().atMost(PATIENCE).until(() -> Api.sweep(created.id()).state() == SweepState.COMPLETED);
            assertThat(image(task.imageId())).extracting(ImageView::state, ImageView::error)
                    .containsExactly(ImageState.SUCCEEDED, null);
        }
    }

    @Test
    void theLocationOfAnUnknownSweepIsA404Problem() {
        given().when().get("/api/v1/sweeps/" + UUID.randomUUID())
                .then().statusCode(404).contentType("application/problem+json").body("status", equalTo(404));
        given().when().get("/api/v1/sweeps/not-a-uuid")
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void sweepsAreListedNewestFirst() {
        CreateSweepResponse older = Api.create(aSweep());
        CreateSweepResponse newer = Api.create(aSweep());
        List<String> ids = given().when().get("/api/v1/sweeps?limit=2").then().statusCode(200)
                .extract().jsonPath().getList("id");
        assertThat(ids).containsExactly(newer.id().toString(), older.id().toString());
        given().when().get("/api/v1/sweeps?limit=0").then().statusCode(400).body("field", equalTo("limit"));
    }

    private static ImageView image(UUID id) {
        return Json.fromString(given().get("/api/v1/images/" + id).then().statusCode(200).extract().asString(),
                ImageView.class);
    }

    /** Not a decodable PNG, but bytes that start like one and identify the task. */
    static byte[] png(RenderTask task) {
        byte[] tail = task.imageId().toString().getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = new byte[8 + tail.length];
        System.arraycopy(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, 0, bytes, 0, 8);
        System.arraycopy(tail, 0, bytes, 8, tail.length);
        return bytes;
    }
}
