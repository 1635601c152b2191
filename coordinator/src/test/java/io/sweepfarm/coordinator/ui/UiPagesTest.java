package io.sweepfarm.coordinator.ui;

import static io.restassured.RestAssured.given;
import static io.sweepfarm.coordinator.support.Sweeps.aSweep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sweepfarm.common.api.ImageState;
import io.sweepfarm.common.api.SweepState;
import io.sweepfarm.common.api.SweepView;
import io.sweepfarm.common.messaging.RenderTask;
import io.sweepfarm.common.png.PngText;
import io.sweepfarm.common.storage.ObjectKeys;
import io.sweepfarm.coordinator.support.Api;
import io.sweepfarm.coordinator.support.Infra;
import io.sweepfarm.coordinator.support.Sweeps;
import io.sweepfarm.devstack.testing.DevstackTestResource;
import io.sweepfarm.devstack.testing.RequiresInfra;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The web UI's pages, fragments and image endpoints, against the real PostgreSQL, Kafka and S3. */
@QuarkusTest
@WithTestResource(DevstackTestResource.class)
@RequiresInfra
class UiPagesTest {

    /** Renders every task of the sweep as a flat-coloured PNG (the first {@code failures} fail instead). */
    private static List<RenderTask> render(Sweeps spec, UUID id, int count, int failures) {
        try (Infra.TaskReader reader = Infra.tasksOf(spec.model())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> reader.poll().size() >= count);
            List<RenderTask> tasks = reader.poll();
            for (int i = 0; i < tasks.size(); i++) {
                RenderTask t = tasks.get(i);
                if (i < failures) {
                    Infra.sendResult(Infra.failed(t, "out of memory on cuda:0"));
                    continue;
                }
                BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
                Graphics2D g = img.createGraphics();
                g.setColor(new Color(40 * i % 255, 120, 200));
                g.fillRect(0, 0, 64, 64);
                g.dispose();
                Infra.putObject(t.outputKey(), PngText.write(img, Map.of("parameters", "seed " + t.params().seed())));
                Infra.sendResult(Infra.succeeded(t, "00".repeat(32)));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> Api.sweep(id).done() == count);
            return tasks;
        }
    }

    @Test
    void everyPageRendersAndShowsUserTextEscaped() {
        Sweeps spec = aSweep().withPrompts("<script>alert('fox')</script> a fox").withCfgScales(3.0, 7.5)
                .withSeeds(1L, 2L).withSize(64, 64);
        UUID id = Api.create(spec).id();

        given().get("/").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("/sweeps/" + id)).body(containsString("role=\"progressbar\""));
        given().get("/?state=RUNNING&model=" + spec.model()).then().statusCode(200)
                .body(containsString("/sweeps/" + id));
        given().get("/sweeps/" + id).then().statusCode(200).body(containsString("0 of 4 done"))
                .body(containsString("sse-connect=\"/sweeps/" + id + "/live\""));
        given().get("/images?sweep_id=" + id + "&state=ANY").then().statusCode(200)
                .body(containsString("&lt;script&gt;alert(&#39;fox&#39;)&lt;/script&gt;"))
                .body(not(containsString("<script>alert")));
        String imageId = given().get("/api/v1/images?sweep_id=" + id + "&limit=1").then().statusCode(200)
                .extract().path("items[0].id");
        given().get("/images/" + imageId).then().statusCode(200)
                .body(containsString("&lt;script&gt;alert(&#39;fox&#39;)&lt;/script&gt; a fox"))
                .body(not(containsString("<script>alert")));
        given().get("/sweeps/" + id + "/grid").then().statusCode(200)
                .body(containsString("<table class=\"xy\">")).body(containsString("<option value=\"seed\" selected>"));
        given().get("/sweeps/" + id + "/grid?x=seed&y=cfg_scale").then().statusCode(200)
                .body(containsString("id=\"g-x\""));
        given().get("/sweeps/new").then().statusCode(200).body(containsString("name=\"cfg_scales\""))
                .body(containsString("Euler a"));
        given().get("/fleet").then().statusCode(200).body(containsString(spec.model()));
        given().get("/sweeps/" + UUID.randomUUID()).then().statusCode(404).contentType(containsString("text/html"));
        given().get("/images/not-an-id").then().statusCode(404);
    }

    @Test
    void aLoraSweepsGridPagePlotsAndFixesLoraSetsAndItsImagePagesLinkToTheirSet() {
        Sweeps spec = aSweep().withLora("grain", 0.0, 0.5).withLora("ink", 0.0, 1.0).withSeeds(1L, 2L)
                .withSize(64, 64);
        UUID id = Api.create(spec).id();
        List<String> ids = given().get("/api/v1/images?sweep_id=" + id + "&limit=8").then().statusCode(200)
                .extract().path("items.id");
        assertThat(ids).hasSize(8);
        String plotted = given().get("/sweeps/" + id + "/grid?x=seed&y=loras").then().statusCode(200).extract()
                .asString();
        assertThat(plotted).doesNotContain("class=\"error").contains("grain:0.5, ink:1");
        ids.forEach(i -> assertThat(plotted).contains("cell-" + i));
        // Ordinals 6 and 7 hold both LoRAs: fixing that set leaves their two seeds.
        String fixed = given().get("/sweeps/" + id + "/grid?x=seed&y=&loras=grain:0.5, ink:1").then().statusCode(200)
                .extract().asString();
        assertThat(ids.subList(0, 6)).noneMatch(i -> fixed.contains("cell-" + i));
        assertThat(ids.subList(6, 8)).allMatch(i -> fixed.contains("cell-" + i));
        String noLora = given().get("/sweeps/" + id + "/grid?x=seed&y=&loras=").then().statusCode(200).extract()
                .asString();
        assertThat(ids.subList(0, 2)).allMatch(i -> noLora.contains("cell-" + i));
        assertThat(ids.subList(2, 8)).noneMatch(i -> noLora.contains("cell-" + i));
        given().get("/images/" + ids.get(0)).then().statusCode(200).body(containsString("loras=&amp;"))
                .body(not(containsString("controlnets=")));
    }

    @Test
    void browsingPagesOnWithACursorThatInfiniteScrollFollows() {
        UUID id = Api.create(aSweep().withSeedCount(1000, Browsing.PAGE + 2)).id();
        String html = given().get("/images?sweep_id=" + id + "&state=ANY").then().statusCode(200).extract()
                .asString();
        assertThat(html.split("class=\"tile ", -1)).hasSize(Browsing.PAGE + 1);
        java.util.regex.Matcher more = java.util.regex.Pattern.compile("hx-get=\"([^\"]+)\" hx-trigger=\"revealed\"")
                .matcher(html);
        assertThat(more.find()).as("a 'more' link that scrolling reveals").isTrue();
        String next = more.group(1).replace("&amp;", "&");
        assertThat(next).contains("cursor=").contains("fragment=tiles").contains("state=ANY");
        String rest = given().get(next).then().statusCode(200).extract().asString();
        assertThat(rest.split("class=\"tile ", -1)).hasSize(3);
        assertThat(rest).doesNotContain("<html").doesNotContain("revealed");
        given().get("/images?sweep_id=" + id + "&state=ANY&cfg_scale_min=abc").then().statusCode(200)
                .body(containsString("cfg_scale_min"));
    }

    @Test
    void theFormCountsImagesFromA1111RangesAndSubmitsTheSweep() {
        String model = "ui-" + UUID.randomUUID().toString().substring(0, 8);
        given().multiPart("model", model).multiPart("prompts", "a fox\na lighthouse")
                .multiPart("cfg_scales", "3-12 (+4.5)").multiPart("steps", "20").multiPart("seeds", "1-2")
                .multiPart("samplers", "euler_a").multiPart("sizes", "64x64")
                .when().post("/sweeps/new/preview").then().statusCode(200)
                .body(containsString("data-count=\"12\"")).body(containsString("a lighthouse"));
        given().multiPart("model", model).multiPart("prompts", "a fox").multiPart("cfg_scales", "3, x")
                .when().post("/sweeps/new/preview").then().statusCode(200)
                .body(containsString("&#39;x&#39; is not a number or a range"));
        given().multiPart("model", model).multiPart("prompts", "a fox").multiPart("cfg_scales", "7")
                .multiPart("steps", "0").multiPart("sizes", "64x64")
                .when().post("/sweeps/new/preview").then().statusCode(200).body(containsString("steps[0]"));

        String location = given().redirects().follow(false).multiPart("model", model).multiPart("name", "form sweep")
                .multiPart("prompts", "a fox").multiPart("cfg_scales", "1-10 [4]").multiPart("steps", "20")
                .multiPart("seeds", "5").multiPart("sizes", "64x64").multiPart("samplers", "ddim")
                .when().post("/sweeps/new").then().log().ifValidationFails().statusCode(303).extract().header("Location");
        UUID id = UUID.fromString(location.substring(location.lastIndexOf('/') + 1));
        SweepView v = Api.sweep(id);
        assertThat(v.imageCount()).isEqualTo(4);
        assertThat(v.name()).isEqualTo("form sweep");

        given().multiPart("model", model).multiPart("prompts", "a fox").multiPart("cfg_scales", "7")
                .multiPart("sizes", "63x64").when().post("/sweeps/new").then().statusCode(422)
                .body(containsString("multiple of 8"));
    }

    @Test
    void controlNetUnitsAreAddedAndGetTheirUploadedControlImageWithOrWithoutScripts() throws java.io.IOException {
        String model = "ui-" + UUID.randomUUID().toString().substring(0, 8);
        // Without scripts "Add ControlNet unit" posts the whole form, which comes back with the unit focused.
        given().multiPart("model", model).multiPart("prompts", "a fox").multiPart("controlnet_add", "true")
                .when().post("/sweeps/new").then().statusCode(200).body(containsString("<h1>New sweep</h1>"))
                .body(containsString("id=\"controlnets[0].model\" name=\"controlnet_model\""))
                .body(containsString("autofocus")).body(containsString(">a fox</textarea>"));

        BufferedImage edges = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        edges.setRGB(10, 10, 0xffffff);
        // A file part (not bytes) so that the body has a Content-Length, as a browser's has: a chunked multipart body
        // reaches the resource without its files.
        java.nio.file.Path png = java.nio.file.Files.createTempFile("edges", ".png");
        java.nio.file.Files.write(png, PngText.write(edges, Map.of()));
        String units = given().header("HX-Request", "true").multiPart("controlnet_model", "canny")
                .multiPart("controlnet_image", "").multiPart("controlnet_scales", "0.5, 1")
                .multiPart("controlnet_guidance_start", "").multiPart("controlnet_guidance_end", "")
                .multiPart("controlnet_image_file_0", png.toFile(), "image/png")
                .when().post("/sweeps/new/units").then().statusCode(200).header("HX-Trigger-After-Swap", "inputs-changed")
                .extract().asString();
        java.util.regex.Matcher key = java.util.regex.Pattern
                .compile("name=\"controlnet_image\" value=\"(inputs/[0-9a-f]{64}\\.png)\"").matcher(units);
        assertThat(key.find()).as("the unit keeps its uploaded control image: %s", units).isTrue();
        assertThat(units).doesNotContain("<h1>").contains("<img src=\"/sweeps/new/" + key.group(1) + "\"");

        given().multiPart("model", model).multiPart("prompts", "a fox").multiPart("cfg_scales", "7")
                .multiPart("steps", "20").multiPart("samplers", "ddim").multiPart("seeds", "1-2")
                .multiPart("sizes", "64x64").multiPart("controlnet_model", "canny")
                .multiPart("controlnet_image", key.group(1)).multiPart("controlnet_scales", "0.5, 1")
                .multiPart("controlnet_guidance_start", "").multiPart("controlnet_guidance_end", "")
                .when().post("/sweeps/new/preview").then().statusCode(200).body(containsString("data-count=\"4\""))
                .body(containsString("ControlNet canny:0.5:0:1"));
        // Submitted without its image, the unit's refusal is shown next to the unit's control image.
        given().multiPart("model", model).multiPart("prompts", "a fox").multiPart("controlnet_model", "canny")
                .multiPart("controlnet_image", "").multiPart("controlnet_scales", "1")
                .multiPart("controlnet_guidance_start", "").multiPart("controlnet_guidance_end", "")
                .when().post("/sweeps/new").then().statusCode(422)
                .body(containsString("id=\"controlnets[0].image-error\""));
    }

    @Test
    void thumbnailsAreMadeOnceIntoS3AndTheGridExportsAsOneLabelledPng() {
        Sweeps spec = aSweep().withCfgScales(3.0, 7.5, 12.0).withSeeds(1L, 2L).withSize(64, 64);
        UUID id = Api.create(spec).id();
        List<RenderTask> tasks = render(spec, id, 6, 0);

        RenderTask first = tasks.get(0);
        byte[] jpeg = given().get("/api/v1/images/" + first.imageId() + "/thumbnail").then().statusCode(200)
                .contentType("image/jpeg").extract().asByteArray();
        assertThat(PngText.readImage(jpeg).getWidth()).isEqualTo(64);
        String key = ObjectKeys.thumbnail(id, first.ordinal(), first.imageId());
        assertThat(Infra.objectExists(key)).as("thumbnail kept in S3 at %s", key).isTrue();
        assertThat(given().get("/api/v1/images/" + first.imageId() + "/thumbnail").then().statusCode(200)
                .extract().asByteArray()).isEqualTo(jpeg);

        byte[] png = given().get("/api/v1/sweeps/" + id + "/grid.png?x=cfg_scale&y=seed").then().statusCode(200)
                .contentType("image/png").extract().asByteArray();
        BufferedImage grid = PngText.readImage(png);
        assertThat(grid.getWidth()).isGreaterThan(3 * 64);
        assertThat(grid.getHeight()).isGreaterThan(2 * 64);
        // "y=" asks for no Y axis (the page's export link says so when its Y is "none"): one row of cells.
        BufferedImage oneRow = PngText.readImage(given().get("/api/v1/sweeps/" + id + "/grid.png?x=cfg_scale&y=&seed=2")
                .then().statusCode(200).extract().asByteArray());
        assertThat(oneRow.getHeight()).isLessThan(grid.getHeight() - 64 / 2);
        given().get("/api/v1/sweeps/" + id + "/grid.png?x=seed&cfg_scale=7.50").then().statusCode(200);
        // What the page would quietly replace is refused by the API, naming the parameter.
        Map<String, Object[]> refused = new java.util.LinkedHashMap<>();
        refused.put("x=sampler", new Object[] {422, "x"});
        refused.put("x=cfg_scale&y=cfg_scale", new Object[] {422, "y"});
        refused.put("x=cfg_scale&seed=3", new Object[] {422, "seed"});
        refused.put("x=seed&cfg_scale=7.5d", new Object[] {422, "cfg_scale"});
        refused.put("x=cfg_scale&steps=20", new Object[] {400, "steps"});
        refused.put("x=cfg_scale&x=seed", new Object[] {400, "x"});
        refused.put("x=", new Object[] {422, "x"});
        refused.forEach((query, expected) -> given().get("/api/v1/sweeps/" + id + "/grid.png?" + query).then()
                .statusCode((Integer) expected[0]).contentType("application/problem+json")
                .body("field", org.hamcrest.Matchers.equalTo(expected[1])));
        given().get("/sweeps/" + id + "/grid?x=cfg_scale&y=seed").then().statusCode(200)
                .body(containsString("/api/v1/images/" + first.imageId() + "/thumbnail"));
        given().get("/images?sweep_id=" + id).then().statusCode(200)
                .body(containsString("/api/v1/images/" + first.imageId() + "/thumbnail"));
        given().get("/images/" + first.imageId()).then().statusCode(200)
                .body(containsString("Steps: 20, Sampler: Euler a")).body(containsString("Copy parameters"));
        given().get("/api/v1/images/" + UUID.randomUUID() + "/thumbnail").then().statusCode(404);
    }

    @Test
    void retryingFailedImagesReleasesThemAgainAndRunsACompletedSweepAgain() {
        Sweeps spec = aSweep().withSeeds(1L, 2L, 3L).withSize(64, 64);
        UUID id = Api.create(spec).id();
        try (Infra.TaskReader reader = Infra.tasksOf(spec.model())) {
            await().atMost(Duration.ofSeconds(30)).until(() -> reader.poll().size() >= 3);
            List<RenderTask> tasks = List.copyOf(reader.poll());
            Infra.sendResult(Infra.failed(tasks.get(0), "CUDA out of memory"));
            Infra.sendResult(Infra.failed(tasks.get(1), "CUDA out of memory"));
            Infra.sendResult(Infra.succeeded(tasks.get(2), "00".repeat(32)));
            await().atMost(Duration.ofSeconds(30)).until(() -> Api.sweep(id).state() == SweepState.COMPLETED);
            given().get("/sweeps/" + id).then().statusCode(200).body(containsString("CUDA out of memory"))
                    .body(containsString("Retry failed"));

            given().redirects().follow(false).formParam("back", "/sweeps/" + id)
                    .post("/sweeps/" + id + "/retry-failed").then().statusCode(303);
            SweepView retried = Api.sweep(id);
            assertThat(retried.state()).isEqualTo(SweepState.RUNNING);
            assertThat(retried.counts()).containsEntry(ImageState.FAILED, 0L).containsEntry(ImageState.SUCCEEDED, 1L);

            // Released again one attempt further on; a late repeat of the failed attempt's result changes nothing.
            await().atMost(Duration.ofSeconds(30)).until(() -> reader.poll().size() >= 5);
            List<RenderTask> again = reader.poll().subList(3, 5);
            assertThat(again).extracting(RenderTask::ordinal)
                    .containsExactlyInAnyOrder(tasks.get(0).ordinal(), tasks.get(1).ordinal());
            assertThat(again).allSatisfy(t -> assertThat(t.attempt()).isGreaterThan(1));
            Infra.sendResult(Infra.failed(tasks.get(0), "a late repeat"));
            again.forEach(t -> Infra.sendResult(Infra.succeeded(t, "00".repeat(32))));
            await().atMost(Duration.ofSeconds(30)).until(() -> Api.sweep(id).state() == SweepState.COMPLETED);
            assertThat(Api.sweep(id).counts()).containsEntry(ImageState.SUCCEEDED, 3L)
                    .containsEntry(ImageState.FAILED, 0L);
        }
        UUID cancelled = Api.create(aSweep()).id();
        Api.control(cancelled, "cancel").then().statusCode(200);
        Api.control(cancelled, "retry-failed").then().statusCode(409);
    }
}
