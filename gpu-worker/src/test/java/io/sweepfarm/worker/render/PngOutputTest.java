package io.sweepfarm.worker.render;

import static org.assertj.core.api.Assertions.assertThat;

import io.sweepfarm.common.api.PromptOverflow;
import io.sweepfarm.common.image.ControlNetUse;
import io.sweepfarm.common.image.ImageParameters;
import io.sweepfarm.common.image.LoraWeight;
import io.sweepfarm.common.messaging.RenderTask;
import io.sweepfarm.common.png.InfoText;
import io.sweepfarm.common.png.PngText;
import io.sweepfarm.common.sampler.SamplerId;
import io.sweepfarm.engine.ImageRequest;
import io.sweepfarm.engine.scheduler.SamplerType;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PngOutputTest {

    private static final BufferedImage PIXELS = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);

    private static RenderTask task(String noiseSource, String initKey, Double strength) {
        return new RenderTask(UUID.randomUUID(), UUID.randomUUID(), 3, 1, new ImageParameters("sd15", "a fox", "", 7.5,
                20, "euler_a", 42, 64, 64, noiseSource, null, initKey, strength, null), "out/key.png");
    }

    private static RenderOutcome.Rendered rendered(RenderTask t) {
        ImageRequest r = TaskRequests.toRequest(t, Map.of("in/init.png", PIXELS)).request();
        return new RenderOutcome.Rendered(PIXELS, r, List.of());
    }

    @Test
    void anImg2imgTaskWithoutAStrengthIsRecordedWithTheStrengthItWasRenderedAt() {
        RenderTask t = task("torch_cpu", "in/init.png", null);
        RenderOutcome.Rendered r = rendered(t);
        assertThat(r.request().strength()).isEqualTo(1.0);
        Map<String, String> params = InfoText.parse(PngText.readText(PngOutput.encode(t, r)).get("parameters"))
                .params();
        assertThat(params).containsEntry("Denoising strength", "1");
        assertThat(PngOutput.metadata(t, r.request())).containsEntry("strength", "1.0")
                .containsEntry("init-image", "in/init.png");
    }

    @Test
    void aTaskWithoutANoiseSourceIsRecordedWithTheDefaultSourceThatDrewItsNoise() {
        RenderTask t = task(null, null, null);
        RenderOutcome.Rendered r = rendered(t);
        assertThat(PngOutput.metadata(t, r.request())).containsEntry("noise-source", "torch_cpu")
                .doesNotContainKey("strength");
        assertThat(InfoText.parse(PngText.readText(PngOutput.encode(t, r)).get("parameters")).params())
                .containsEntry("RNG", "CPU").doesNotContainKey("Denoising strength");
    }

    @Test
    void infotextAndMetadataDescribeTheRequestNotTheTask() {
        RenderTask t = task("torch_cpu", null, null);
        ImageRequest other = ImageRequest.txt2img("a wolf", "blurry", 4, 9, SamplerType.DDIM, 7, 64, 64);
        RenderOutcome.Rendered r = new RenderOutcome.Rendered(PIXELS, other, List.of());
        InfoText.Parsed parsed = InfoText.parse(PngText.readText(PngOutput.encode(t, r)).get("parameters"));
        assertThat(parsed.prompt()).isEqualTo("a wolf");
        assertThat(parsed.params()).containsEntry("Steps", "9").containsEntry("Sampler", "DDIM")
                .containsEntry("Seed", "7").containsEntry("Model", "sd15");
        assertThat(PngOutput.metadata(t, other)).containsEntry("steps", "9").containsEntry("sampler", "ddim")
                .containsEntry("image-id", t.imageId().toString());
    }

    @Test
    void everyWireSamplerIdMapsToAnEngineSamplerOfTheSameId() {
        assertThat(Arrays.stream(SamplerId.values()).map(s -> SamplerType.fromId(s.id()).map(SamplerType::id)))
                .allSatisfy(mapped -> assertThat(mapped).isPresent());
        assertThat(SamplerType.values()).hasSameSizeAs(SamplerId.values());
    }

    @Test
    void anUnknownSamplerIsRejectedNamingTheKnownOnes() {
        RenderTask t = new RenderTask(UUID.randomUUID(), UUID.randomUUID(), 0, 1, new ImageParameters("sd15", "a fox",
                "", 7.5, 20, "k_lms_turbo", 1, 64, 64, "torch_cpu", null, null, null, null), "k");
        assertThat(TaskRequests.toRequest(t, Map.of()).rejection()).contains("k_lms_turbo").contains("euler_a");
    }

    @Test
    void theModesBeyondImg2imgAreRecordedAsA1111WritesThem() {
        RenderTask t = task("nv", null, null);
        ImageRequest r = ImageRequest.builder().prompt("a fox").negativePrompt("blurry").cfgScale(6).steps(30)
                .sampler(SamplerType.DPMPP_2M_KARRAS).seed(7).size(1024, 1024).noiseSource("nv")
                .loras(List.of(new io.sweepfarm.engine.LoraWeight("film-grain", 0.8)))
                .hires(new io.sweepfarm.engine.HiresFix(1.5, 0.45, io.sweepfarm.engine.HiresFix.Upscaler.LATENT, 12))
                .controlNets(List.of(new io.sweepfarm.engine.ControlNetUnit("canny", PIXELS, 0.7, 0, 0.8)))
                .build();
        String text = PngText.readText(PngOutput.encode(t, new RenderOutcome.Rendered(PIXELS, r, List.of())))
                .get("parameters");
        assertThat(text).isEqualTo("""
                a fox <lora:film-grain:0.8>
                Negative prompt: blurry
                Steps: 30, Sampler: DPM++ 2M Karras, CFG scale: 6, Seed: 7, Size: 1024x1024, Model: sd15, \
                Denoising strength: 0.45, RNG: NV, Hires upscale: 1.5, Hires steps: 12, Hires upscaler: Latent, \
                ControlNet 0: "Module: none, Model: canny, Weight: 0.7, Guidance Start: 0, Guidance End: 0.8\"""");
        assertThat(PngOutput.metadata(t, r)).containsEntry("loras", "film-grain:0.8")
                .containsEntry("controlnets", "canny:0.7:0:0.8").containsEntry("hires-scale", "1.5")
                .containsEntry("hires-strength", "0.45").containsEntry("hires-upscaler", "latent")
                .containsEntry("hires-steps", "12").doesNotContainKey("refiner-switch-at");
        ImageRequest refined = ImageRequest.builder().prompt("a fox").steps(20).sampler(SamplerType.EULER).seed(1)
                .size(1024, 1024).refiner(new io.sweepfarm.engine.Refiner(0.8)).build();
        assertThat(InfoText.parse(PngText.readText(PngOutput.encode(t, new RenderOutcome.Rendered(PIXELS, refined,
                List.of(), "sdxl-refiner"))).get("parameters")).params()).containsEntry("Refiner switch at", "0.8")
                .containsEntry("Refiner", "sdxl-refiner").containsEntry("Size", "1024x1024")
                .doesNotContainKey("Hires upscale");
        assertThat(PngOutput.metadata(t, refined)).containsEntry("refiner-switch-at", "0.8")
                .doesNotContainKey("hires-scale").doesNotContainKey("loras");
    }

    @Test
    void aTaskOfEveryModeBecomesTheRequestItNamesAndIsRecordedAsItWasAsked() {
        String init = "inputs/" + "1".repeat(64) + ".png";
        String depth = "inputs/" + "2".repeat(64) + ".png";
        String edges = "inputs/" + "3".repeat(64) + ".png";
        BufferedImage initImage = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        BufferedImage depthImage = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        BufferedImage edgesImage = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        ImageParameters asked = new ImageParameters("sd21-depth", "a fox", "blurry", 6, 12, "dpmpp_2m", 9, 64, 48,
                "nv", PromptOverflow.CHUNK, init, 0.75, null, depth,
                List.of(new LoraWeight("grain", 0.5), new LoraWeight("ink", -1)),
                List.of(new ControlNetUse("canny", edges, 0.8, 0.1, 0.9), new ControlNetUse("pose", init, 1, 0, 1)),
                2.0, 0.4, "latent_nearest", 6, 0.8);
        RenderTask t = new RenderTask(UUID.randomUUID(), UUID.randomUUID(), 5, 1, asked, "out/key.png");
        ImageRequest r = TaskRequests.toRequest(t, Map.of(init, initImage, depth, depthImage, edges, edgesImage))
                .request();
        assertThat(r.initImage()).isSameAs(initImage);
        assertThat(r.depthMap()).isSameAs(depthImage);
        assertThat(r.loras()).containsExactly(new io.sweepfarm.engine.LoraWeight("grain", 0.5),
                new io.sweepfarm.engine.LoraWeight("ink", -1));
        assertThat(r.controlNets()).extracting(io.sweepfarm.engine.ControlNetUnit::image)
                .containsExactly(edgesImage, initImage);
        assertThat(r.controlNets().get(0).settings()).isEqualTo(new io.sweepfarm.engine.ControlNetUnit.Settings(
                "canny", 0.8, 0.1, 0.9));
        assertThat(r.hires()).isEqualTo(new io.sweepfarm.engine.HiresFix(2, 0.4,
                io.sweepfarm.engine.HiresFix.Upscaler.LATENT_NEAREST, 6));
        assertThat(r.refiner()).isEqualTo(new io.sweepfarm.engine.Refiner(0.8));
        assertThat(PngOutput.rendered(t, r)).isEqualTo(asked);
        assertThat(asked.inputKeys()).containsExactly(init, depth, edges);
        assertThat(PngOutput.metadata(t, r)).containsEntry("depth-map", depth)
                .containsEntry("loras", "grain:0.5,ink:-1").containsEntry("controlnets", "canny:0.8:0.1:0.9,pose:1:0:1")
                .containsEntry("hires-upscaler", "latent_nearest");
    }

    @Test
    void aTaskWhoseControlImageOrUpscalerIsMissingIsRejectedWithTheReason() {
        String edges = "inputs/" + "3".repeat(64) + ".png";
        ImageParameters asked = new ImageParameters("sd15", "a fox", "", 6, 12, "euler", 9, 64, 64, null, null,
                null, null, null, null, List.of(), List.of(new ControlNetUse("canny", edges, 1, 0, 1)), null, null,
                null, null, null);
        RenderTask t = new RenderTask(UUID.randomUUID(), UUID.randomUUID(), 0, 1, asked, "k");
        assertThat(TaskRequests.toRequest(t, Map.of()).rejection()).contains("canny").contains("control image");
        RenderTask hires = new RenderTask(UUID.randomUUID(), UUID.randomUUID(), 0, 1, new ImageParameters("sd15",
                "a fox", "", 6, 12, "euler", 9, 64, 64, null, null, null, null, null, null, List.of(), List.of(), 2.0,
                0.5, "esrgan", 0, null), "k");
        assertThat(TaskRequests.toRequest(hires, Map.of()).rejection()).contains("esrgan").contains("latent_nearest");
    }
}
