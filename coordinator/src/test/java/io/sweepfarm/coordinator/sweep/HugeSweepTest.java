package io.sweepfarm.coordinator.sweep;

import static io.restassured.RestAssured.given;
import static io.sweepfarm.coordinator.support.Sweeps.aSweep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sweepfarm.common.api.CreateSweepResponse;
import io.sweepfarm.common.api.ImagePage;
import io.sweepfarm.common.api.ImageState;
import io.sweepfarm.common.api.SweepState;
import io.sweepfarm.common.api.SweepView;
import io.sweepfarm.common.json.Json;
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

/** A sweep of 10⁸ images is one row: submitted, released, paused, resumed, cancelled and queried like a small one. */
@QuarkusTest
@WithTestResource(DevstackTestResource.class)
@RequiresInfra
class HugeSweepTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final long HUNDRED_MILLION = 100_000_000L;

    @Test
    void aHundredMillionImageSweepIsStoredAsItsSpecAndControlledLikeAnyOther() {
        Sweeps spec = aSweep().withPrompts("a red fox", "a grey cat").withCfgScales(5.0, 7.5)
                .withSeedCount(0, HUNDRED_MILLION / 4);
        try (Infra.TaskReader reader = Infra.tasksOf(spec.model())) {
            CreateSweepResponse created = Api.create(spec);
            UUID id = created.id();
            assertThat(created.imageCount()).isEqualTo(HUNDRED_MILLION);
            assertThat(Infra.queryLong("select count(*) from task where sweep_id = ?", id)).isLessThanOrEqualTo(8);

            // Released from the cursor, in ordinal order, up to the in-flight cap.
            await().atMost(PATIENCE).until(() -> reader.poll().size() >= 8);
            assertThat(reader.poll()).extracting(RenderTask::ordinal).containsExactlyInAnyOrder(0L, 1L, 2L, 3L, 4L,
                    5L, 6L, 7L);
            SweepView view = Api.sweep(id);
            assertThat(view.counts()).containsEntry(ImageState.QUEUED, 8L)
                    .containsEntry(ImageState.PENDING, HUNDRED_MILLION - 8);

            // Any image can be read by arithmetic, the last one too.
            ImagePage last = Json.fromString(given().queryParam("sweep_id", id.toString())
                    .queryParam("seed", Long.toString(HUNDRED_MILLION / 4 - 1)).queryParam("prompt", "a grey cat")
                    .queryParam("cfg_scale", "7.5").get("/api/v1/images").then().statusCode(200).extract().asString(),
                    ImagePage.class);
            assertThat(last.items()).singleElement().satisfies(i -> {
                assertThat(i.ordinal()).isEqualTo(HUNDRED_MILLION - 1);
                assertThat(i.state()).isEqualTo(ImageState.PENDING);
            });

            Api.control(id, "pause").then().statusCode(200);
            for (RenderTask t : List.copyOf(reader.poll())) {
                Infra.sendResult(Infra.succeeded(t, "00".repeat(32)));
            }
            await().atMost(PATIENCE).until(() -> Api.sweep(id).counts().get(ImageState.SUCCEEDED) == 8);
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> reader.poll().size() == 8);

            Api.control(id, "resume").then().statusCode(200);
            await().atMost(PATIENCE).until(() -> reader.poll().size() >= 16);
            assertThat(reader.poll().subList(8, 16)).extracting(RenderTask::ordinal)
                    .containsExactlyInAnyOrder(8L, 9L, 10L, 11L, 12L, 13L, 14L, 15L);

            Api.control(id, "cancel").then().statusCode(200);
            SweepView cancelled = Api.sweep(id);
            assertThat(cancelled.state()).isEqualTo(SweepState.CANCELLED);
            assertThat(cancelled.counts()).containsEntry(ImageState.CANCELLED, HUNDRED_MILLION - 16)
                    .containsEntry(ImageState.SUCCEEDED, 8L).containsEntry(ImageState.QUEUED, 8L)
                    .containsEntry(ImageState.PENDING, 0L);
            // Rows exist only for the 16 images that were released.
            assertThat(Infra.queryLong("select count(*) from task where sweep_id = ?", id)
                    + Infra.queryLong("select count(*) from image where sweep_id = ?", id)).isEqualTo(16);
        }
    }

    @Test
    void promptsWithTabsNewlinesBackslashesAndUnicodeReachTheTaskExactly() {
        String odd = "a\tb \\N c\\d\nsecond line \r ü 日本 \\";
        Sweeps spec = aSweep().withPrompts(odd, "plain").withNegativePrompts("", "\\N");
        try (Infra.TaskReader reader = Infra.tasksOf(spec.model())) {
            Api.create(spec);
            await().atMost(PATIENCE).until(() -> reader.poll().size() >= 4);
            assertThat(reader.poll()).filteredOn(t -> t.params().prompt().equals(odd)).hasSize(2);
            assertThat(reader.poll()).filteredOn(t -> t.params().negativePrompt().equals("\\N")).hasSize(2);
        }
    }
}
