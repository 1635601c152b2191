package io.sweepfarm.coordinator.sweep;

import static io.restassured.RestAssured.given;
import static io.sweepfarm.coordinator.support.Sweeps.aSweep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sweepfarm.common.api.CreateSweepResponse;
import io.sweepfarm.common.api.ImagePage;
import io.sweepfarm.common.api.ImageSize;
import io.sweepfarm.common.api.SweepPreview;
import io.sweepfarm.common.image.ImageParameters;
import io.sweepfarm.common.json.Json;
import io.sweepfarm.coordinator.support.Api;
import io.sweepfarm.coordinator.support.Infra;
import io.sweepfarm.devstack.testing.DevstackTestResource;
import io.sweepfarm.devstack.testing.RequiresInfra;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The richer sweep format, dry runs, idempotent retries and YAML bodies, through REST. */
@QuarkusTest
@WithTestResource(DevstackTestResource.class)
@RequiresInfra
class SweepSubmissionTest {

    @Test
    void aDryRunAnswersTheCountAndTheFirstImagesAndStoresNothing() {
        long before = Infra.sweepRows();
        String body = Json.toString(aSweep().withPrompts("a fox", "a cat").withCfgScales(4.0, 7.0)
                .withSeedCount(10, 1_000_000).dryRun().build());
        SweepPreview preview = Json.fromString(given().contentType("application/json").body(body)
                .when().post("/api/v1/sweeps").then().statusCode(200).extract().asString(), SweepPreview.class);
        assertThat(preview.imageCount()).isEqualTo(4_000_000L);
        assertThat(preview.firstImages()).hasSize(20);
        assertThat(preview.firstImages().get(0)).extracting(ImageParameters::prompt, ImageParameters::cfgScale,
                ImageParameters::seed).containsExactly("a fox", 4.0, 10L);
        assertThat(preview.firstImages().get(19).seed()).isEqualTo(29L);
        assertThat(Infra.sweepRows()).isEqualTo(before);
    }

    @Test
    void aRetriedSubmissionWithTheSameIdempotencyKeyReturnsTheFirstSweep() {
        String key = "retry-" + UUID.randomUUID();
        String body = Json.toString(aSweep().withSeeds(1L, 2L).build());
        CreateSweepResponse first = Json.fromString(given().contentType("application/json")
                .header("Idempotency-Key", key).body(body).when().post("/api/v1/sweeps").then().statusCode(201)
                .extract().asString(), CreateSweepResponse.class);
        long rows = Infra.sweepRows();
        String again = given().contentType("application/json").header("Idempotency-Key", key).body(body)
                .when().post("/api/v1/sweeps").then().statusCode(201).header("Idempotent-Replayed", "true")
                .extract().asString();
        assertThat(Json.fromString(again, CreateSweepResponse.class).id()).isEqualTo(first.id());
        assertThat(Infra.sweepRows()).isEqualTo(rows);

        // The same key for a different sweep is a mistake, not a replay.
        given().contentType("application/json").header("Idempotency-Key", key)
                .body(Json.toString(aSweep().withSeeds(3L).build())).when().post("/api/v1/sweeps")
                .then().statusCode(422).contentType("application/problem+json")
                .body("field", equalTo("Idempotency-Key"));
        given().contentType("application/json").header("Idempotency-Key", "with space")
                .body(body).when().post("/api/v1/sweeps").then().statusCode(400)
                .body("field", equalTo("Idempotency-Key"));
        assertThat(Infra.sweepRows()).isEqualTo(rows);
    }

    @Test
    void aYamlBodyIsReadLikeJson() {
        String model = "yaml-" + UUID.randomUUID().toString().substring(0, 8);
        String yaml = """
                name: yaml sweep
                model: %s
                prompts:
                  - a lighthouse at dusk
                  - "a lighthouse: at dawn"
                cfg_scales: [4, 7.5]
                steps: [20]
                samplers: ["DPM++ 2M Karras"]
                seeds: {start: 100, count: 3}
                sizes: [[512, 512], [768, 512]]
                """.formatted(model);
        CreateSweepResponse created = Json.fromString(given().contentType("application/yaml")
                .body(yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .when().post("/api/v1/sweeps").then().statusCode(201).extract().asString(),
                CreateSweepResponse.class);
        assertThat(created.imageCount()).isEqualTo(2 * 2 * 3 * 2);
        ImagePage page = Json.fromString(given().queryParam("sweep_id", created.id().toString())
                .queryParam("size", "768x512").queryParam("prompt_contains", "DAWN").queryParam("limit", 100)
                .get("/api/v1/images").then().statusCode(200).extract().asString(), ImagePage.class);
        assertThat(page.items()).hasSize(2 * 3).allSatisfy(i -> {
            assertThat(i.params().sampler()).isEqualTo("dpmpp_2m_karras");
            assertThat(i.params().width()).isEqualTo(768);
            assertThat(i.params().prompt()).isEqualTo("a lighthouse: at dawn");
        });
        given().contentType("application/yaml").body("model: x\nprompts: [a]\nsteps: [1.5]\n".getBytes())
                .when().post("/api/v1/sweeps").then().statusCode(422).body("field", equalTo("steps[0]"));
        given().contentType("text/plain").body("{}".getBytes()).when().post("/api/v1/sweeps").then().statusCode(415)
                .contentType("application/problem+json");
    }

    @Test
    void zipGroupsPromptSearchReplaceAndImagesPerCombinationThroughTheApi() {
        CreateSweepResponse created = Api.create(aSweep().withPrompts("a red fox").withPromptSr("fox", "owl")
                .withCfgScales(4.0, 8.0).withSteps(10, 30).withZip(List.of("cfg_scales", "steps"))
                .withSeeds(7L).withImagesPerCombination(2).withSizes(new ImageSize(64, 64)));
        assertThat(created.imageCount()).isEqualTo(2 * 2 * 2);
        ImagePage page = Json.fromString(given().queryParam("sweep_id", created.id().toString())
                .queryParam("prompt", "a red owl").queryParam("seed", 8).get("/api/v1/images")
                .then().statusCode(200).extract().asString(), ImagePage.class);
        assertThat(page.items()).hasSize(2).allMatch(i -> i.params().steps() == (i.params().cfgScale() == 4.0 ? 10 : 30));
    }

    @Test
    void inputsTheEngineCannotRenderAreRefusedAtSubmission() {
        given().contentType("application/json").body(Json.toString(aSweep().withSamplers("plms").withSteps(1).build()))
                .when().post("/api/v1/sweeps").then().statusCode(422).body("field", equalTo("steps"))
                .body("detail", containsString("plms"));
        given().contentType("application/json").body(Json.toString(aSweep().withCfgScales(1.0, 2.0).withSteps(10)
                .withZip(List.of("cfg_scales", "steps")).build()))
                .when().post("/api/v1/sweeps").then().statusCode(422).body("field", equalTo("zip[0]"));
        given().contentType("application/json").body(Json.toString(aSweep().withPrompts("a cat")
                .withPromptSr("fox", "owl").build()))
                .when().post("/api/v1/sweeps").then().statusCode(422).body("field", equalTo("prompt_sr[0]"));
    }
}
