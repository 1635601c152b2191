package io.sweepfarm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.sweepfarm.common.api.CreateSweepResponse;
import io.sweepfarm.common.api.ImageState;
import io.sweepfarm.common.api.ImageView;
import io.sweepfarm.common.api.LaneView;
import io.sweepfarm.common.json.Json;
import io.sweepfarm.common.png.InfoText;
import io.sweepfarm.common.png.PngText;
import io.sweepfarm.devstack.modelgen.Options;
import io.sweepfarm.devstack.modelgen.TinyLora;
import io.sweepfarm.devstack.modelgen.TinyStableDiffusion;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntBinaryOperator;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each mode beyond txt2img through the whole system: sweeps submitted to the packaged coordinator, released through
 * Kafka to one packaged worker whose lanes serve tiny generated models in the real export layouts (SD 1.x with a LoRA
 * and a ControlNet, SDXL with a refiner, an SD 2 depth model), rendered on the CPU into S3. Each sweep varies one
 * mode's axis: every image SUCCEEDS once, its PNG carries the mode's parameters as AUTOMATIC1111 writes them, and
 * images that differ only in that axis differ in pixels. A sweep naming a LoRA the lane lacks is refused.
 */
class ModesEndToEndIT {

    private static final String SD = "modes-sd";
    private static final String XL = "modes-xl";
    private static final String DEPTH = "modes-depth";
    private static final String LORA = "tiny-style";
    private static final String EDGES = "tiny-edges";
    private static final String REFINER = "tiny-refiner";

    @TempDir
    static Path state;
    static TestFarm farm;

    @BeforeAll
    static void startFarm() throws IOException {
        farm = TestFarm.start(state, 1, modeLanes(state.resolve("models")));
        // The coordinator checks sweeps against what the lanes announce once their models are loaded.
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(300)).until(() -> {
            LaneView[] lanes = Json.fromBytes(farm.api.download("/api/v1/workers"), LaneView[].class);
            return Arrays.stream(lanes).filter(l -> l.addons() != null).map(LaneView::model).distinct().count() == 3;
        });
    }

    @AfterAll
    static void stopFarm() {
        if (farm != null) {
            farm.close();
        }
    }

    /** One worker, three lanes: the tiny models of each mode with their LoRA, ControlNet and refiner folders. */
    private static Map<String, String> modeLanes(Path root) throws IOException {
        Options base = Options.defaults().toBuilder().vaeEncoder(Options.VaeEncoder.LATENT_PARAMETERS).build();
        Options sd = base.toBuilder().controlNet(true).build();
        Map<String, String> w = new LinkedHashMap<>();
        w.put("sweepfarm.worker.lanes", SD + "@cpu," + XL + "@cpu," + DEPTH + "@cpu");
        w.put("sweepfarm.worker.max-batch", "4");
        w.put("sweepfarm.worker.model-paths." + SD, TinyStableDiffusion.generate(root.resolve(SD), sd).toString());
        Path loras = Files.createDirectories(root.resolve("loras"));
        TinyLora.write(loras.resolve(LORA + ".safetensors"), sd, TinyLora.Style.KOHYA, 4, 1, 4f);
        w.put("sweepfarm.worker.lora-paths." + SD, loras.toString());
        TinyStableDiffusion.generateControlNet(root.resolve("controlnets").resolve(EDGES), sd);
        w.put("sweepfarm.worker.controlnet-paths." + SD, root.resolve("controlnets").toString());
        w.put("sweepfarm.worker.model-paths." + XL, TinyStableDiffusion.generate(root.resolve(XL),
                base.toBuilder().family(Options.Family.SDXL).build()).toString());
        w.put("sweepfarm.worker.refiner-paths." + XL, TinyStableDiffusion.generate(root.resolve(REFINER),
                base.toBuilder().family(Options.Family.SDXL_REFINER).seed(7).build()).toString());
        w.put("sweepfarm.worker.model-paths." + DEPTH, TinyStableDiffusion.generate(root.resolve(DEPTH),
                base.toBuilder().depth(true).build()).toString());
        return w;
    }

    /** A small sweep of {@code model}: one prompt and seed, 4 Euler steps at 64×48, plus {@code mode}. */
    private static Map<String, Object> sweep(String model, Map<String, Object> mode) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("name", "modes e2e");
        spec.put("model", model);
        spec.put("prompts", List.of("a red fox in the snow"));
        spec.put("cfg_scales", List.of(7.5));
        spec.put("steps", List.of(4));
        spec.put("samplers", List.of("euler"));
        spec.put("seeds", List.of(7L));
        spec.put("width", 64);
        spec.put("height", 48);
        spec.putAll(mode);
        return spec;
    }

    /** Submits the sweep, waits for it, and checks that each image was rendered and stored once. */
    private static List<ImageView> render(Map<String, Object> spec, int images) throws Exception {
        CreateSweepResponse created = farm.api.createSweep(Json.toBytes(spec));
        assertThat(created.imageCount()).isEqualTo(images);
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> farm.api.sweep(created.id()).state().isTerminal());
        assertThat(farm.audit.images(created.id())).as("images that did not succeed")
                .filteredOn(i -> i.state() != ImageState.SUCCEEDED).extracting(ImageView::error).isEmpty();
        return farm.audit.assertEveryImageRenderedExactlyOnce(created.id(), images);
    }

    private static ImageView one(List<ImageView> images, Predicate<ImageView> which) {
        return images.stream().filter(which).findFirst().orElseThrow();
    }

    private static Map<String, String> infotext(ImageView image) throws Exception {
        return InfoText.parse(PngText.readText(farm.audit.object(image.objectKey())).get("parameters")).params();
    }

    private static int[] pixels(ImageView image) throws Exception {
        return SweepAudit.pixels(farm.audit.object(image.objectKey()));
    }

    /** Uploads a 64×48 grey picture whose pixel (x, y) has the brightness {@code level(x, y)}; returns its key. */
    private static String upload(IntBinaryOperator level) {
        BufferedImage img = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                img.setRGB(x, y, level.applyAsInt(x, y) * 0x010101);
            }
        }
        return farm.api.uploadInput(PngText.write(img, Map.of())).key();
    }

    @Test
    void aLoraScaleAxisRendersEachScaleWithItsTagInThePrompt() throws Exception {
        List<ImageView> images = render(sweep(SD, Map.of("loras", List.of(Map.of("name", LORA,
                "scales", List.of(0.5, 1.0))))), 2);
        ImageView half = one(images, i -> i.params().loras().get(0).scale() == 0.5);
        ImageView full = one(images, i -> i.params().loras().get(0).scale() == 1.0);
        assertThat(InfoText.parse(PngText.readText(farm.audit.object(half.objectKey())).get("parameters")).prompt())
                .isEqualTo("a red fox in the snow <lora:" + LORA + ":0.5>");
        assertThat(pixels(half)).isNotEqualTo(pixels(full));
    }

    @Test
    void aControlNetScaleAxisGuidesEachImageByItsWeightWithTheUnitInTheInfotext() throws Exception {
        String edges = upload((x, y) -> 255 - 5 * y);
        List<ImageView> images = render(sweep(SD, Map.of("controlnets", List.of(Map.of("model", EDGES,
                "image", edges, "scales", List.of(0.0, 1.0))))), 2);
        ImageView off = one(images, i -> i.params().controlnets().get(0).scale() == 0);
        ImageView on = one(images, i -> i.params().controlnets().get(0).scale() == 1);
        assertThat(infotext(off)).containsEntry("ControlNet 0", "Module: none, Model: " + EDGES
                + ", Weight: 0, Guidance Start: 0, Guidance End: 1");
        assertThat(infotext(on)).containsEntry("ControlNet 0", "Module: none, Model: " + EDGES
                + ", Weight: 1, Guidance Start: 0, Guidance End: 1");
        assertThat(on.params().controlnets().get(0).image()).isEqualTo(edges);
        assertThat(pixels(off)).isNotEqualTo(pixels(on));
    }

    @Test
    void anSdxlRefinerSwitchAxisHandsOverAtEachFractionAndNamesTheRefiner() throws Exception {
        List<ImageView> images = render(sweep(XL, Map.of("refiner_switch_at", List.of(0.5, 0.75))), 2);
        ImageView early = one(images, i -> i.params().refinerSwitchAt() == 0.5);
        ImageView late = one(images, i -> i.params().refinerSwitchAt() == 0.75);
        assertThat(infotext(early)).containsEntry("Refiner", REFINER).containsEntry("Refiner switch at", "0.5")
                .containsEntry("Model", XL).containsEntry("Size", "64x48");
        assertThat(infotext(late)).containsEntry("Refiner switch at", "0.75");
        assertThat(pixels(early)).isNotEqualTo(pixels(late));
    }

    @Test
    void aDepthMapAxisDenoisesTheInitImageGuidedByEachMap() throws Exception {
        String init = upload((x, y) -> 4 * x);
        String near = upload((x, y) -> 255 - 5 * y);
        String far = upload((x, y) -> 255 - 4 * x);
        List<ImageView> images = render(sweep(DEPTH, Map.of("init_images", List.of(init), "strengths",
                List.of(0.8), "depth_maps", List.of(near, far))), 2);
        ImageView a = one(images, i -> near.equals(i.params().depthMap()));
        ImageView b = one(images, i -> far.equals(i.params().depthMap()));
        assertThat(infotext(a)).containsEntry("Denoising strength", "0.8").containsEntry("Model", DEPTH);
        assertThat(a.params().initImage()).isEqualTo(init);
        assertThat(pixels(a)).isNotEqualTo(pixels(b));
    }

    @Test
    void hiresFixFactorAndStrengthAxesRenderTheSecondPassAtEachSizeAndStrength() throws Exception {
        Map<String, Object> spec = sweep(SD, Map.of("hires", Map.of("scales", List.of(1.5, 2.0),
                "strengths", List.of(0.5, 0.75))));
        spec.put("height", 64); // 1.5 × 64 keeps the latent even
        List<ImageView> images = render(spec, 4);
        for (ImageView i : images) {
            BufferedImage png = PngText.readImage(farm.audit.object(i.objectKey()));
            int side = (int) (64 * i.params().hiresScale());
            assertThat(List.of(png.getWidth(), png.getHeight())).containsExactly(side, side);
            assertThat(infotext(i)).containsEntry("Size", "64x64")
                    .containsEntry("Hires upscale", InfoText.number(i.params().hiresScale()))
                    .containsEntry("Denoising strength", InfoText.number(i.params().hiresStrength()))
                    .containsEntry("Hires upscaler", "Latent");
        }
        ImageView gentle = one(images, i -> i.params().hiresScale() == 2 && i.params().hiresStrength() == 0.5);
        ImageView strong = one(images, i -> i.params().hiresScale() == 2 && i.params().hiresStrength() == 0.75);
        assertThat(pixels(gentle)).isNotEqualTo(pixels(strong));
    }

    @Test
    void aSweepNamingALoraTheLaneLacksIsRefusedNamingTheFieldAndTheLorasOffered() throws Exception {
        Map<String, Object> spec = sweep(SD, Map.of("loras", List.of(Map.of("name", "not-there",
                "scales", List.of(1.0)))));
        long sweepsBefore = farm.api.sweeps(1000).size();
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                farm.local.coordinatorUrl() + "/api/v1/sweeps")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.toBytes(spec))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("application/problem+json"));
        JsonNode problem = Json.MAPPER.readTree(r.body());
        assertThat(problem.path("field").asText()).isEqualTo("loras[0].name");
        assertThat(problem.path("detail").asText()).contains("'not-there'").contains(LORA);
        assertThat(farm.api.sweeps(1000)).as("nothing stored").hasSize((int) sweepsBefore);
    }
}
