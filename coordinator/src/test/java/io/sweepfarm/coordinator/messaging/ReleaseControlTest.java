package io.sweepfarm.coordinator.messaging;

import static io.restassured.RestAssured.given;
import static io.sweepfarm.coordinator.support.Sweeps.aSweep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sweepfarm.common.api.CreateSweepResponse;
import io.sweepfarm.common.api.ImageState;
import io.sweepfarm.common.api.SweepState;
import io.sweepfarm.common.messaging.RenderResult;
import io.sweepfarm.common.messaging.RenderTask;
import io.sweepfarm.coordinator.support.Api;
import io.sweepfarm.coordinator.support.Infra;
import io.sweepfarm.coordinator.support.Sweeps;
import io.sweepfarm.devstack.testing.DevstackTestResource;
import io.sweepfarm.devstack.testing.RequiresInfra;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Back-pressure, priorities and the user's control transitions. The test profile caps 8 tasks in flight per model. */
@QuarkusTest
@WithTestResource(DevstackTestResource.class)
@RequiresInfra
class ReleaseControlTest {

    private static final int CAP = 8;
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final Duration A_WHILE = Duration.ofMillis(1500);

    @Test
    void noMoreTasksAreInFlightThanTheCapAndEachResultLetsAnotherOneGo() {
        Sweeps spec = aSweep().withSeedRange(0, 20);
        try (Infra.TaskReader reader = Infra.tasksOf(spec.model())) {
            CreateSweepResponse created = Api.create(spec);
            await().atMost(PATIENCE).until(() -> reader.poll().size() >= CAP);
            await().during(A_WHILE).atMost(A_WHILE.multipliedBy(3)).until(() -> reader.poll().size() == CAP);
            assertThat(Infra.imagesIn(created.id(), "QUEUED")).isEqualTo(CAP);
            assertThat(Infra.imagesIn(created.id(), "PENDING")).isEqualTo(20 - CAP);
            // Released in sweep order (a topic may have several partitions, so they are read in any order).
            assertThat(reader.poll()).extracting(RenderTask::ordinal)
                    .containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);

            for (RenderTask task : List.copyOf(reader.poll()).subList(0, 3)) {
                Infra.sendResult(Infra.succeeded(task, "00".repeat(32)));
            }
            await().atMost(PATIENCE).until(() -> reader.poll().size() >= CAP + 3);
            await().during(A_WHILE).atMost(A_WHILE.multipliedBy(3)).until(() -> reader.poll().size() == CAP + 3);
            assertThat(Infra.imagesIn(created.id(), "QUEUED")).isEqualTo(CAP);
        }
    }

    @Test
    void aRoundPublishedButNeverAcknowledgedIsPublishedAgainAndRecordedOnce() {
        Sweeps spec = aSweep().withSeeds(1L, 2L);
        try (Infra.TaskReader reader = Infra.tasksOf(spec.model())) {
            UUID id = Api.create(spec).id();
            await().atMost(PATIENCE).until(() -> reader.poll().size() >= 2);
            RenderTask task = reader.poll().get(0);
            await().atMost(PATIENCE).until(() -> Infra.queryLong("select count(*) from task_outbox where model = ?",
                    spec.model()) == 0); // the round was acknowledged: its outbox row is gone
            // What the tables look like when the coordinator died after the commit and the publish, before it
            // recorded the broker's ack: the round's outbox row is still there, and is taken over once stale.
            assertThat(Infra.execute("insert into task_outbox (model, claimed_at, sweep_ids, ordinals, attempts) "
                    + "values (?, now() - interval '1 hour', array[?::uuid], array[?::bigint], array[?::int])",
                    spec.model(), task.sweepId(), task.ordinal(), task.attempt())).isEqualTo(1);
            await().atMost(PATIENCE).until(() -> reader.poll().size() >= 3);
            await().atMost(PATIENCE).until(() -> Infra.queryLong("select count(*) from task_outbox where model = ?",
                    spec.model()) == 0); // the round that took it over was acknowledged in turn
            assertThat(reader.poll()).filteredOn(t -> t.imageId().equals(task.imageId())).hasSize(2)
                    .extracting(RenderTask::outputKey).containsOnly(task.outputKey());

            for (RenderTask t : List.copyOf(reader.poll())) {
                Infra.sendResult(Infra.succeeded(t, "00".repeat(32)));
            }
            await().atMost(PATIENCE).until(() -> Api.sweep(id).state() == SweepState.COMPLETED);
            await().during(A_WHILE).atMost(A_WHILE.multipliedBy(3))
                    .until(() -> Api.sweep(id).counts().get(ImageState.SUCCEEDED) == 2);
        }
    }

    @Test
    void aStalledTaskIsReleasedAgainUntilItsAttemptsAreUsedUpAndThenFails() {
        Sweeps spec = aSweep();
        try (Infra.TaskReader reader = Infra.tasksOf(spec.model())) {
            UUID id = Api.create(spec).id();
            await().atMost(PATIENCE).until(() -> reader.poll().size() >= 1);
            RenderTask first = reader.poll().get(0);
            UUID imageId = first.imageId();
            for (int attempt = 2; attempt <= 3; attempt++) {
                makeStall(first);
                int expected = attempt;
                await().atMost(PATIENCE).until(() -> reader.poll().size() >= expected);
                assertThat(reader.poll().get(attempt - 1)).extracting(RenderTask::imageId, RenderTask::attempt)
                        .containsExactly(imageId, attempt);
            }
            makeStall(first);
            await().atMost(PATIENCE).until(() -> Api.sweep(id).state() == SweepState.COMPLETED);
            given().when().get("/api/v1/images/" + imageId).then().statusCode(200)
                    .body("state", equalTo("FAILED")).body("attempts", equalTo(3))
                    .body("error", equalTo("no result after 3 releases; the task was given up"));
            assertThat(reader.poll()).hasSize(3);
        }
    }

    @Test
    void aTaskKafkaRefusesFailsAloneAndTheOthersAreReleased() {
        // The test profile caps Kafka records at 16 KiB: each task of the second prompt (27 KB of UTF-8) is refused.
        Sweeps spec = aSweep().withPrompts("ok", "日".repeat(9000)).withSeedRange(0, 6);
        try (Infra.TaskReader reader = Infra.tasksOf(spec.model())) {
            UUID id = Api.create(spec).id();
            await().atMost(PATIENCE).until(() -> Api.sweep(id).counts().get(ImageState.FAILED) == 6);
            await().atMost(PATIENCE).until(() -> reader.poll().size() >= 6);
            assertThat(reader.poll()).extracting(RenderTask::ordinal)
                    .containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L, 5L);
            given().when().get("/api/v1/images?sweep_id=" + id + "&state=FAILED").then().statusCode(200)
                    .body("items.size()", equalTo(6)).body("items[0].ordinal", equalTo(6))
                    .body("items[0].error", org.hamcrest.Matchers.containsString("RecordTooLargeException"));
            for (RenderTask t : List.copyOf(reader.poll())) {
                Infra.sendResult(Infra.succeeded(t, "00".repeat(32)));
            }
            await().atMost(PATIENCE).until(() -> Api.sweep(id).state() == SweepState.COMPLETED);
            assertThat(Api.sweep(id).counts()).containsEntry(ImageState.SUCCEEDED, 6L)
                    .containsEntry(ImageState.FAILED, 6L);
            // The refused tasks are not sent again, round after round.
            await().during(A_WHILE).atMost(A_WHILE.multipliedBy(3)).until(() -> reader.poll().size() == 6);
        }
    }

    /** As if the task had been released longer ago than the stall timeout and no result had come. */
    private static void makeStall(RenderTask task) {
        assertThat(Infra.execute("update task set released_at = now() - interval '1 day' where sweep_id = ? "
                + "and ordinal = ?", task.sweepId(), task.ordinal())).isEqualTo(1);
    }

    @Test
    void aHigherPrioritySweepOvertakesAnOlderOne() {
        Sweeps low = aSweep().withSeedRange(0, 12);
        Sweeps high = aSweep().withModel(low.model()).withSeedRange(100, 4).withPriority(5);
        try (Infra.TaskReader reader = Infra.tasksOf(low.model())) {
            CreateSweepResponse older = Api.create(low);
            await().atMost(PATIENCE).until(() -> reader.poll().size() >= CAP);
            CreateSweepResponse urgent = Api.create(high);
            for (RenderTask task : List.copyOf(reader.poll()).subList(0, 4)) {
                Infra.sendResult(Infra.succeeded(task, "00".repeat(32)));
            }
            await().atMost(PATIENCE).until(() -> reader.poll().size() >= CAP + 4);
            assertThat(reader.poll().subList(CAP, CAP + 4)).extracting(RenderTask::sweepId)
                    .containsOnly(urgent.id());
            assertThat(Infra.imagesIn(older.id(), "PENDING")).isEqualTo(12 - CAP);
        }
    }

    @Test
    void pauseStopsReleasesResumeRestartsThemAndCancelCancelsWhatIsPending() {
        Sweeps spec = aSweep().withSeedRange(0, 20);
        try (Infra.TaskReader reader = Infra.tasksOf(spec.model())) {
            UUID id = Api.create(spec).id();
            await().atMost(PATIENCE).until(() -> reader.poll().size() >= CAP);
            Api.control(id, "pause").then().statusCode(200).body("state", equalTo("PAUSED"));
            Api.control(id, "pause").then().statusCode(409).contentType("application/problem+json");

            for (RenderTask task : List.copyOf(reader.poll())) {
                Infra.sendResult(Infra.succeeded(task, "00".repeat(32)));
            }
            await().atMost(PATIENCE).until(() -> Infra.imagesIn(id, "SUCCEEDED") == CAP);
            await().during(A_WHILE).atMost(A_WHILE.multipliedBy(3)).until(() -> reader.poll().size() == CAP);
            assertThat(Infra.imagesIn(id, "PENDING")).isEqualTo(20 - CAP);

            Api.control(id, "resume").then().statusCode(200).body("state", equalTo("RUNNING"));
            await().atMost(PATIENCE).until(() -> reader.poll().size() >= 2 * CAP);

            Api.control(id, "cancel").then().statusCode(200).body("state", equalTo("CANCELLED"))
                    .body("counts.CANCELLED", equalTo(20 - 2 * CAP))
                    .body("counts.QUEUED", equalTo(CAP));
            assertThat(Infra.imagesIn(id, "PENDING")).isZero();
            Api.control(id, "resume").then().statusCode(409).contentType("application/problem+json")
                    .body("status", equalTo(409));
            Api.control(id, "cancel").then().statusCode(409);

            // Released tasks may still finish; the cancelled sweep stays cancelled.
            RenderTask late = reader.poll().get(CAP);
            Infra.sendResult(Infra.succeeded(late, "00".repeat(32)));
            await().atMost(PATIENCE).until(() -> Infra.imagesIn(id, "SUCCEEDED") == CAP + 1);
            assertThat(Api.sweep(id).state()).isEqualTo(SweepState.CANCELLED);
            await().during(A_WHILE).atMost(A_WHILE.multipliedBy(3)).until(() -> reader.poll().size() == 2 * CAP);
        }
    }

    @Test
    void pauseAndCancelReachWorkersAndTheTasksTheySkipAreHandedBackOrCancelled() {
        Sweeps spec = aSweep().withSeedRange(0, 2 * CAP);
        try (Infra.TaskReader reader = Infra.tasksOf(spec.model())) {
            UUID id = Api.create(spec).id();
            await().atMost(PATIENCE).until(() -> reader.poll().size() >= CAP);
            Api.control(id, "pause").then().statusCode(200);
            await().atMost(PATIENCE).until(() -> !Infra.controlsOf(id).isEmpty());
            assertThat(Infra.controlsOf(id).get(0).state()).isEqualTo(SweepState.PAUSED);
            // While released tasks remain, the pause is announced again (every second in tests).
            await().atMost(PATIENCE).until(() -> Infra.controlsOf(id).size() >= 3);
            assertThat(Infra.controlsOf(id)).allMatch(c -> c.state() == SweepState.PAUSED);

            // A worker that heard of the pause hands its queued tasks back: they are PENDING again, attempt not spent.
            List<RenderTask> released = List.copyOf(reader.poll().subList(0, CAP));
            for (RenderTask task : released) {
                Infra.sendResult(Infra.skipped(task, RenderResult.Outcome.DEFERRED));
            }
            await().atMost(PATIENCE).until(() -> Infra.imagesIn(id, "PENDING") == 2 * CAP);
            assertThat(Infra.queryLong("select max(attempts) from task where sweep_id = ?", id)).isZero();
            Infra.sendResult(Infra.skipped(released.get(0), RenderResult.Outcome.DEFERRED)); // a repeat changes nothing

            int announcedWhilePaused = Infra.controlsOf(id).size();
            Api.control(id, "resume").then().statusCode(200);
            await().atMost(PATIENCE).until(() -> reader.poll().size() >= 2 * CAP);
            RenderTask again = reader.poll().stream().filter(t -> t.imageId().equals(released.get(0).imageId()))
                    .reduce((a, b) -> b).orElseThrow();
            assertThat(again.attempt()).isEqualTo(1);

            Api.control(id, "cancel").then().statusCode(200);
            await().atMost(PATIENCE).until(() -> Infra.controlsOf(id).stream()
                    .anyMatch(c -> c.state() == SweepState.CANCELLED));
            List<SweepState> announced = Infra.controlsOf(id).stream().map(c -> c.state()).toList();
            assertThat(announced.subList(0, announcedWhilePaused)).containsOnly(SweepState.PAUSED);
            assertThat(announced.subList(announcedWhilePaused, announced.size())).startsWith(SweepState.RUNNING,
                    SweepState.CANCELLED);
            for (RenderTask task : reader.poll().subList(CAP, 2 * CAP)) {
                Infra.sendResult(Infra.skipped(task, RenderResult.Outcome.CANCELLED));
            }
            await().atMost(PATIENCE).until(() -> Infra.imagesIn(id, "CANCELLED") == 2 * CAP);
            assertThat(Api.sweep(id).state()).isEqualTo(SweepState.CANCELLED);
        }
    }

    @Test
    void thePriorityOfARunningSweepCanChangeButNotThatOfAFinishedOne() {
        UUID id = Api.create(aSweep()).id();
        given().contentType("application/json").body("{\"priority\": 7}")
                .when().patch("/api/v1/sweeps/" + id)
                .then().statusCode(200).body("priority", equalTo(7));
        given().contentType("application/json").body("{}")
                .when().patch("/api/v1/sweeps/" + id)
                .then().statusCode(422).contentType("application/problem+json").body("field", equalTo("priority"));
        given().contentType("application/json").body("{\"priority\": \"high\"}")
                .when().patch("/api/v1/sweeps/" + id)
                .then().statusCode(422).body("field", equalTo("priority"));
        Api.control(id, "cancel").then().statusCode(200);
        given().contentType("application/json").body("{\"priority\": 1}")
                .when().patch("/api/v1/sweeps/" + id)
                .then().statusCode(409).contentType("application/problem+json");
        assertThat(Api.sweep(id).counts().get(ImageState.CANCELLED) + Api.sweep(id).counts().get(ImageState.QUEUED))
                .isEqualTo(1);
    }

    @Test
    void controllingAnUnknownSweepIsA404() {
        Api.control(UUID.randomUUID(), "pause").then().statusCode(404).contentType("application/problem+json");
        given().contentType("application/json").body("{\"priority\": 1}")
                .when().patch("/api/v1/sweeps/" + UUID.randomUUID())
                .then().statusCode(404);
    }
}
