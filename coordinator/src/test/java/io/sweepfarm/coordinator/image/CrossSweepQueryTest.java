package io.sweepfarm.coordinator.image;

import static io.restassured.RestAssured.given;
import static io.sweepfarm.coordinator.support.Sweeps.aSweep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sweepfarm.common.api.ImagePage;
import io.sweepfarm.common.api.ImageState;
import io.sweepfarm.common.api.ImageView;
import io.sweepfarm.common.json.Json;
import io.sweepfarm.common.messaging.RenderTask;
import io.sweepfarm.coordinator.support.Api;
import io.sweepfarm.coordinator.support.Infra;
import io.sweepfarm.coordinator.support.Sweeps;
import io.sweepfarm.devstack.testing.DevstackTestResource;
import io.sweepfarm.devstack.testing.RequiresInfra;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Queries without a sweep id span every sweep that can match, by arithmetic on each spec. */
@QuarkusTest
@WithTestResource(DevstackTestResource.class)
@RequiresInfra
class CrossSweepQueryTest {

    private static List<ImageView> all(Map<String, Object> query, int pageSize) {
        List<ImageView> out = new ArrayList<>();
        String cursor = null;
        do {
            Map<String, Object> q = new HashMap<>(query);
            q.put("limit", pageSize);
            if (cursor != null) {
                q.put("cursor", cursor);
            }
            ImagePage page = Json.fromString(given().queryParams(q).get("/api/v1/images").then().statusCode(200)
                    .extract().asString(), ImagePage.class);
            out.addAll(page.items());
            cursor = page.nextCursor();
        } while (cursor != null);
        return out;
    }

    @Test
    void aFilterWithoutASweepFindsTheMatchingImagesOfEverySweepOfTheModelInOrder() {
        String model = "cross-" + UUID.randomUUID().toString().substring(0, 8);
        String other = "cross-" + UUID.randomUUID().toString().substring(0, 8);
        UUID a = Api.create(aSweep().withModel(model).withPrompts("a fox", "a cat").withSeeds(42L, 43L)).id();
        UUID b = Api.create(aSweep().withModel(model).withPrompts("a fox cub").withSeedCount(40, 10)
                .withCfgScales(3.0, 6.0)).id();
        UUID c = Api.create(aSweep().withModel(other).withPrompts("a fox").withSeeds(42L)).id();

        List<ImageView> seed42 = all(Map.of("model", model, "seed", 42), 1);
        assertThat(seed42).extracting(ImageView::sweepId).containsOnly(a, b);
        assertThat(seed42).hasSize(2 + 2).allMatch(i -> i.params().seed() == 42
                && i.params().model().equals(model));
        List<UUID> order = seed42.stream().map(ImageView::sweepId).toList();
        assertThat(order).isSortedAccordingTo(UUID::compareTo);

        List<ImageView> foxes = all(Map.of("model", List.of(model, other), "prompt_contains", "FOX"), 3);
        assertThat(foxes).hasSize(2 + 20 + 1).allMatch(i -> i.params().prompt().contains("fox"));
        assertThat(foxes).extracting(ImageView::sweepId).contains(a, b, c);

        List<ImageView> ranged = all(Map.of("model", model, "seed_min", 48, "cfg_scale_max", 4), 50);
        assertThat(ranged).extracting(i -> i.params().seed()).containsExactly(48L, 49L);
    }

    @Test
    void aStateFilterAcrossSweepsReturnsOnlyImagesInThatState() {
        String model = "cross-" + UUID.randomUUID().toString().substring(0, 8);
        Sweeps first = aSweep().withModel(model).withSeedRange(0, 4);
        Sweeps second = aSweep().withModel(model).withSeedRange(10, 4);
        try (Infra.TaskReader reader = Infra.tasksOf(model)) {
            UUID s1 = Api.create(first).id();
            UUID s2 = Api.create(second).id();
            await().atMost(Duration.ofSeconds(30)).until(() -> reader.poll().size() >= 8);
            for (RenderTask t : reader.poll()) {
                if (t.params().seed() % 2 == 0) {
                    Infra.sendResult(Infra.succeeded(t, "00".repeat(32)));
                } else if (t.params().seed() == 11) {
                    Infra.sendResult(Infra.failed(t, "no"));
                }
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> Infra.imagesIn(s1, "SUCCEEDED") == 2
                    && Infra.imagesIn(s2, "SUCCEEDED") == 2 && Infra.imagesIn(s2, "FAILED") == 1);
            assertThat(all(Map.of("model", model, "state", "SUCCEEDED"), 3))
                    .extracting(i -> i.params().seed()).containsExactly(0L, 2L, 10L, 12L);
            assertThat(all(Map.of("model", model, "state", "FAILED"), 3))
                    .singleElement().satisfies(i -> assertThat(i.error()).isEqualTo("no"));
            assertThat(all(Map.of("model", model, "state", List.of("QUEUED", "FAILED")), 2))
                    .extracting(i -> i.params().seed()).containsExactly(1L, 3L, 11L, 13L);
            assertThat(all(Map.of("model", model, "state", "QUEUED"), 10))
                    .allMatch(i -> i.state() == ImageState.QUEUED).hasSize(3);
        }
    }
    @Test
    void aQueryWalksEverySweepOfTheModelAcrossSeveralReadsOfGrowingSize() {
        // More sweeps than the first read takes (32) and than the second (128) reaches, so the walk reads three
        // times; one image of each sweep matches.
        String model = "walk-" + UUID.randomUUID().toString().substring(0, 8);
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 170; i++) {
            ids.add(Api.create(aSweep().withModel(model).withPrompts("p").withCfgScales(5.0, 7.0)
                    .withSeedCount(i * 10L, 2)).id());
        }
        // The first sweep has seeds 0 and 1 (one matches seed ≥ 1), every other two matching seeds; in id order.
        List<UUID> expected = new ArrayList<>();
        for (UUID id : ids.stream().sorted().toList()) {
            expected.add(id);
            if (!id.equals(ids.get(0))) {
                expected.add(id);
            }
        }
        List<ImageView> matched = all(Map.of("model", model, "cfg_scale", 7.0, "seed_min", 1), 50);
        assertThat(matched).extracting(ImageView::sweepId).containsExactlyElementsOf(expected);
        assertThat(matched).allSatisfy(i -> assertThat(i.params().cfgScale()).isEqualTo(7.0));
        // Page by page with a small page size, the same images in the same order.
        assertThat(all(Map.of("model", model, "cfg_scale", 7.0, "seed_min", 1), 7)).extracting(ImageView::id)
                .containsExactlyElementsOf(matched.stream().map(ImageView::id).toList());
        // A seed that only the last sweep has: the other sweeps are skipped by their stored seed bounds.
        assertThat(Infra.queryLong("select seed_lo from sweep where id = ?", ids.get(169))).isEqualTo(1690);
        assertThat(Infra.queryLong("select seed_hi from sweep where id = ?", ids.get(169))).isEqualTo(1691);
        assertThat(all(Map.of("model", model, "seed", 169 * 10 + 1), 50)).extracting(ImageView::sweepId)
                .containsOnly(ids.get(169)).hasSize(2);
        assertThat(all(Map.of("model", model, "seed_min", 1685, "seed_max", 1700), 50))
                .extracting(i -> i.params().seed()).containsExactlyInAnyOrder(1690L, 1690L, 1691L, 1691L);
        // A sweep stored before the bounds were kept (null) is always read.
        Infra.execute("update sweep set seed_lo = null, seed_hi = null where id = ?", ids.get(168));
        assertThat(all(Map.of("model", model, "seed", 168 * 10), 50)).extracting(ImageView::sweepId)
                .containsOnly(ids.get(168)).hasSize(2);
        assertThat(all(Map.of("model", model, "seed", 99_999), 50)).isEmpty();
    }
}
