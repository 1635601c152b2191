package io.sweepfarm.coordinator.image;

import static io.restassured.RestAssured.given;
import static io.sweepfarm.coordinator.support.Sweeps.aSweep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sweepfarm.common.api.ImagePage;
import io.sweepfarm.common.api.ImageView;
import io.sweepfarm.common.json.Json;
import io.sweepfarm.coordinator.support.Api;
import io.sweepfarm.devstack.testing.DevstackTestResource;
import io.sweepfarm.devstack.testing.RequiresInfra;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@QuarkusTest
@WithTestResource(DevstackTestResource.class)
@RequiresInfra
class ImageQueryTest {

    /** 2 × 2 × 2 × 2 × 2 × 2 = 64 images, 32 per value of each axis. */
    private static UUID aSweepWithTwoValuesPerAxis() {
        return Api.create(aSweep().withPrompts("a fox", "a cat").withNegativePrompts("", "blurry")
                .withCfgScales(5.0, 7.5).withSteps(10, 20).withSamplers("euler", "ddim").withSeeds(1L, 4294967295L))
                .id();
    }

    private static ImagePage page(Map<String, ?> params) {
        return Json.fromString(given().queryParams(params).when().get("/api/v1/images")
                .then().statusCode(200).extract().asString(), ImagePage.class);
    }

    @Test
    void eachParameterFiltersExactly() {
        UUID id = aSweepWithTwoValuesPerAxis();
        String sweep = id.toString();
        assertThat(page(Map.of("sweep_id", sweep, "limit", 1000)).items()).hasSize(64);
        assertThat(page(Map.of("sweep_id", sweep, "prompt", "a cat", "limit", 1000)).items()).hasSize(32)
                .allMatch(i -> i.params().prompt().equals("a cat"));
        assertThat(page(Map.of("sweep_id", sweep, "negative_prompt", "blurry", "limit", 1000)).items()).hasSize(32)
                .allMatch(i -> i.params().negativePrompt().equals("blurry"));
        assertThat(page(Map.of("sweep_id", sweep, "cfg_scale", "7.5", "limit", 1000)).items()).hasSize(32)
                .allMatch(i -> i.params().cfgScale() == 7.5);
        assertThat(page(Map.of("sweep_id", sweep, "steps", 20, "limit", 1000)).items()).hasSize(32)
                .allMatch(i -> i.params().steps() == 20);
        assertThat(page(Map.of("sweep_id", sweep, "sampler", "DDIM", "limit", 1000)).items()).hasSize(32)
                .allMatch(i -> i.params().sampler().equals("ddim"));
        assertThat(page(Map.of("sweep_id", sweep, "seed", "4294967295", "limit", 1000)).items()).hasSize(32)
                .allMatch(i -> i.params().seed() == 4294967295L);
        assertThat(page(Map.of("sweep_id", sweep, "width", 512, "height", 512, "limit", 1000)).items()).hasSize(64);
        assertThat(page(Map.of("sweep_id", sweep, "width", 768, "limit", 1000)).items()).isEmpty();
        assertThat(page(Map.of("sweep_id", sweep, "prompt", "a fox", "cfg_scale", 5, "steps", 10, "sampler", "euler",
                "seed", 1, "negative_prompt", "blurry", "limit", 1000)).items())
                .singleElement().satisfies(i -> assertThat(i.ordinal()).isEqualTo(16));
        ImagePage cancelled = page(Map.of("sweep_id", sweep, "state", "cancelled", "limit", 1000));
        assertThat(cancelled.items()).isEmpty();
        ImagePage notCancelled = page(Map.of("sweep_id", sweep, "state", "PENDING", "limit", 1000));
        assertThat(notCancelled.items()).allMatch(i -> i.state().name().equals("PENDING"));
    }

    @Test
    void anEmptyNegativePromptIsAFilterValueToo() {
        UUID id = aSweepWithTwoValuesPerAxis();
        String body = given().urlEncodingEnabled(false)
                .when().get("/api/v1/images?limit=1000&negative_prompt=&sweep_id=" + id)
                .then().statusCode(200).extract().asString();
        assertThat(Json.fromString(body, ImagePage.class).items()).hasSize(32)
                .allMatch(i -> i.params().negativePrompt().isEmpty());
    }

    @Test
    void pagesFollowTheSweepOrderWithoutGapsOrRepeats() {
        UUID id = aSweepWithTwoValuesPerAxis();
        List<Long> ordinals = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Map<String, Object> params = new java.util.HashMap<>(Map.of("sweep_id", id.toString(), "limit", 10));
            if (cursor != null) {
                params.put("cursor", cursor);
            }
            ImagePage page = page(params);
            page.items().forEach(i -> ordinals.add(i.ordinal()));
            assertThat(page.items()).allMatch(i -> i.sweepId().equals(id));
            cursor = page.nextCursor();
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(7);
        assertThat(ordinals).containsExactlyElementsOf(java.util.stream.LongStream.range(0, 64).boxed().toList());
    }

    @Test
    void anImageCarriesEveryParameterAndItsDownloadUrl() {
        UUID id = aSweepWithTwoValuesPerAxis();
        ImageView listed = page(Map.of("sweep_id", id.toString(), "limit", 1)).items().get(0);
        ImageView one = Json.fromString(given().get("/api/v1/images/" + listed.id()).then().statusCode(200)
                .extract().asString(), ImageView.class);
        // The relay may release it in between: everything but its state is the same.
        assertThat(one).usingRecursiveComparison().ignoringFields("state", "attempts").isEqualTo(listed);
        assertThat(one.params().model()).startsWith("test-");
        assertThat(one.params().noiseSource()).isEqualTo("torch_cpu");
        assertThat(one.downloadUrl()).isEqualTo("/api/v1/images/" + one.id() + "/png");
        given().when().get(one.downloadUrl()).then().statusCode(404).contentType("application/problem+json");
        given().when().get("/api/v1/images/" + UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void theModesParametersFilterAndShowInTheImageView() {
        UUID id = Api.create(aSweep().withLora("grain", 0.0, 0.5).withLora("ink", 0.0, 1.0)
                .withHires(List.of(1.5, 2.0), List.of(0.5), null, null).withSeeds(1L, 2L)).id();
        String sweep = id.toString();
        assertThat(page(Map.of("sweep_id", sweep, "limit", 1000)).items()).hasSize(16);
        assertThat(page(Map.of("sweep_id", sweep, "lora", "grain", "limit", 1000)).items()).hasSize(8)
                .allMatch(i -> i.params().loras().get(0).name().equals("grain"));
        assertThat(page(Map.of("sweep_id", sweep, "loras", "grain:0.5", "lora", "ink", "limit", 1000)).items())
                .hasSize(4).allMatch(i -> i.params().loras().size() == 2);
        assertThat(page(Map.of("sweep_id", sweep, "lora_contains", "NK", "hires_scale", 2, "limit", 1000)).items())
                .hasSize(4).allMatch(i -> i.params().hiresScale() == 2.0);
        String none = given().urlEncodingEnabled(false).when().get("/api/v1/images?limit=1000&lora=&sweep_id=" + id)
                .then().statusCode(200).extract().asString();
        assertThat(Json.fromString(none, ImagePage.class).items()).hasSize(4).allMatch(i -> i.params().loras()
                .isEmpty());
        String first = given().queryParams(Map.of("sweep_id", sweep, "limit", 1)).when().get("/api/v1/images")
                .then().statusCode(200).body("items[0].hires_scale", equalTo(1.5f))
                .body("items[0].hires_upscaler", equalTo("latent")).extract().asString();
        assertThat(first).doesNotContain("\"loras\"").doesNotContain("\"controlnets\"")
                .doesNotContain("refiner_switch_at");
        assertThat(page(Map.of("sweep_id", sweep, "controlnet", "canny", "limit", 1000)).items()).isEmpty();
    }

    @ParameterizedTest(name = "{0}={1} is rejected naming {0}")
    @CsvSource({"cfg_scale,abc", "cfg_scale,NaN", "steps,1.5", "seed,x", "width,wide", "sampler,nope",
        "state,DONE", "limit,0", "limit,100000", "sweep_id,123", "cursor,bm9wZQ", "loras_min,1",
        "hires_scale,big", "controlnets_max,0.5"})
    void aBadFilterValueIsA400NamingTheParameter(String parameter, String value) {
        given().queryParam(parameter, value).when().get("/api/v1/images")
                .then().statusCode(400).contentType("application/problem+json")
                .body("field", equalTo(parameter)).body("status", equalTo(400));
    }
}
