package io.sweepfarm.coordinator.image;

import static io.restassured.RestAssured.given;
import static io.sweepfarm.coordinator.support.Sweeps.aSweep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sweepfarm.common.api.GridView;
import io.sweepfarm.common.api.ImageState;
import io.sweepfarm.common.api.ImageView;
import io.sweepfarm.common.json.Json;
import io.sweepfarm.coordinator.support.Api;
import io.sweepfarm.coordinator.support.Infra;
import io.sweepfarm.devstack.testing.DevstackTestResource;
import io.sweepfarm.devstack.testing.RequiresInfra;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(DevstackTestResource.class)
@RequiresInfra
class GridTest {

    private static GridView grid(UUID id, String query) {
        return Json.fromString(given().when().get("/api/v1/sweeps/" + id + "/grid?" + query).then().statusCode(200)
                .extract().asString(), GridView.class);
    }

    @Test
    void anXyGridLaysTwoParametersOutInTheSweepsOrderWithTheOthersFixedByFilters() {
        UUID id = Api.create(aSweep().withCfgScales(3.0, 7.5, 12.0).withSteps(10, 20).withSeeds(5L, 6L)).id();

        GridView g = grid(id, "x=cfg_scale&y=steps&seed=6");
        assertThat(g.x()).isEqualTo("cfg_scale");
        assertThat(g.y()).isEqualTo("steps");
        assertThat(g.xValues()).containsExactly("3", "7.5", "12");
        assertThat(g.yValues()).containsExactly("10", "20");
        assertThat(g.cells()).hasSize(2).allSatisfy(row -> assertThat(row).hasSize(3).doesNotContainNull());
        UUID cell = g.cells().get(1).get(2).imageId();
        ImageView celled = Json.fromString(given().get("/api/v1/images/" + cell).then().statusCode(200).extract()
                .asString(), ImageView.class);
        assertThat(celled.params()).extracting(p -> p.cfgScale(), p -> p.steps(), p -> p.seed())
                .containsExactly(12.0, 20, 6L);
        assertThat(g.cells().get(0).get(0).state()).isIn(ImageState.PENDING, ImageState.QUEUED); // no worker here
        assertThat(g.cells().get(0).get(0).downloadUrl()).endsWith("/png");

        GridView single = grid(id, "x=seed&cfg_scale=7.5&steps=10");
        assertThat(single.yValues()).isEmpty();
        assertThat(single.xValues()).containsExactly("5", "6");
        assertThat(single.cells()).hasSize(1);
    }

    @Test
    void aGridWhoseCellsWouldHoldSeveralImagesNamesTheParametersToFix() {
        UUID id = Api.create(aSweep().withCfgScales(3.0, 7.5).withSteps(10, 20).withSeeds(5L, 6L)).id();
        given().when().get("/api/v1/sweeps/" + id + "/grid?x=cfg_scale&y=steps").then().statusCode(422)
                .body("field", equalTo("seed")).body("detail", containsString("varies"));
        given().when().get("/api/v1/sweeps/" + id + "/grid?x=warp&y=steps").then().statusCode(422)
                .body("field", equalTo("x"));
        given().when().get("/api/v1/sweeps/" + id + "/grid?x=steps&y=steps&seed=5").then().statusCode(422)
                .body("field", equalTo("y"));
        given().when().get("/api/v1/sweeps/" + UUID.randomUUID() + "/grid?x=steps").then().statusCode(404);
        given().when().get("/api/v1/sweeps/" + id + "/grid?x=steps&seed=99&cfg_scale=3").then().statusCode(404);
    }

    @Test
    void aLoraScaleSweepIsAGridOverTheLorasWithTheirNamesFollowing() {
        UUID id = Api.create(aSweep().withLora("grain", 0.0, 0.5, 1.0).withRefinerSwitchAt(0.7, 0.8)
                .withSeeds(5L, 6L)).id();
        GridView g = grid(id, "x=loras&y=refiner_switch_at&seed=5");
        assertThat(g.xValues()).containsExactly("", "grain:0.5", "grain:1");
        assertThat(g.yValues()).containsExactly("0.7", "0.8");
        assertThat(g.cells()).hasSize(2).allSatisfy(row -> assertThat(row).hasSize(3).doesNotContainNull());
        given().when().get("/api/v1/sweeps/" + id + "/grid?x=lora&seed=5&refiner_switch_at=0.7").then()
                .statusCode(422).body("field", equalTo("loras"));
    }

    @Test
    void theBrowserViewIsServed() {
        given().when().get("/grid.html").then().statusCode(200).body(containsString("/api/v1/sweeps/"));
        assertThat(GridService.Axis.names()).contains("cfg_scale", "steps", "sampler", "seed", "size", "prompt");
    }
}
