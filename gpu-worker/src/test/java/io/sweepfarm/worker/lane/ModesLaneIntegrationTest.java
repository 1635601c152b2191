package io.sweepfarm.worker.lane;

import static io.sweepfarm.worker.lane.ModeTask.aFox;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sweepfarm.common.api.LaneAddons;
import io.sweepfarm.common.image.ControlNetUse;
import io.sweepfarm.common.messaging.LaneHeartbeat;
import io.sweepfarm.common.messaging.RenderResult;
import io.sweepfarm.common.messaging.RenderTask;
import io.sweepfarm.common.png.InfoText;
import io.sweepfarm.devstack.testing.DevstackTestResource;
import io.sweepfarm.devstack.testing.RequiresInfra;
import io.sweepfarm.worker.fleet.Heartbeats;
import io.sweepfarm.worker.lane.TinyModelTestResource.Modes;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.IntBinaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The hires fix, ControlNet, depth-to-image and the SDXL refiner through a worker's lanes (Kafka → lane → S3 →
 * results) on tiny generated models: each mode's axis values render their own images, and each PNG's infotext and S3
 * metadata carry what was rendered, as {@code PngOutput} writes them; each lane announces its add-ons in its
 * heartbeats.
 */
@QuarkusTest
@RequiresInfra
@WithTestResource(DevstackTestResource.class)
@WithTestResource(Modes.class)
class ModesLaneIntegrationTest {

    private final LaneRun lanes = new LaneRun(DevstackTestResource.endpoints());

    /** A 64×48 grey picture whose pixel (x, y) has the brightness {@code level(x, y)} in 0…255. */
    private static BufferedImage grey(IntBinaryOperator level) {
        BufferedImage img = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                img.setRGB(x, y, level.applyAsInt(x, y) * 0x010101);
            }
        }
        return img;
    }

    private static void assertSucceeded(LaneRun.Outcomes outcomes, RenderTask... tasks) {
        for (RenderTask t : tasks) {
            assertThat(outcomes.of(t).outcome()).as("%s", outcomes.of(t).error())
                    .isEqualTo(RenderResult.Outcome.SUCCEEDED);
        }
    }

    @Test
    void aHiresTaskStoresAnImageTwiceTheBaseSizeWithA1111sHiresEntries_andOneWithoutKeepsTheBaseSize()
            throws Exception {
        UUID sweep = UUID.randomUUID();
        RenderTask plain = aFox(Modes.SD).build(sweep, 0);
        RenderTask hires = aFox(Modes.SD).withHires(2, 0.6).build(sweep, 1);
        LaneRun.Outcomes outcomes = lanes.render(List.of(plain, hires));
        assertSucceeded(outcomes, plain, hires);

        BufferedImage big = lanes.image(hires);
        assertThat(List.of(big.getWidth(), big.getHeight())).containsExactly(128, 96);
        BufferedImage small = lanes.image(plain);
        assertThat(List.of(small.getWidth(), small.getHeight())).containsExactly(64, 48);
        InfoText.Parsed info = lanes.infotext(hires);
        assertThat(info.params()).containsEntry("Size", "64x48").containsEntry("Hires upscale", "2")
                .containsEntry("Hires upscaler", "Latent").containsEntry("Denoising strength", "0.6")
                .doesNotContainKey("Hires steps");
        assertThat(lanes.infotext(plain).params()).doesNotContainKeys("Hires upscale", "Denoising strength");
        assertThat(lanes.metadata(hires)).containsEntry("width", "64").containsEntry("hires-scale", "2.0")
                .containsEntry("hires-strength", "0.6").containsEntry("hires-upscaler", "latent")
                .containsEntry("hires-steps", "0");
        assertThat(lanes.metadata(plain)).doesNotContainKeys("hires-scale", "hires-strength");
    }

    @Test
    void eachControlNetScaleRendersItsOwnImageWithItsUnitInTheInfotext_andAnUnknownControlNetFailsNamingIt()
            throws Exception {
        String edges = lanes.upload(grey((x, y) -> 255 - 5 * y), "c1");
        UUID sweep = UUID.randomUUID();
        RenderTask off = aFox(Modes.CONTROLNET)
                .withControlNets(List.of(new ControlNetUse(Modes.EDGES, edges, 0, 0, 1))).build(sweep, 0);
        RenderTask on = aFox(Modes.CONTROLNET)
                .withControlNets(List.of(new ControlNetUse(Modes.EDGES, edges, 1, 0, 1))).build(sweep, 1);
        RenderTask unknown = aFox(Modes.CONTROLNET)
                .withControlNets(List.of(new ControlNetUse("not-there", edges, 1, 0, 1))).build(sweep, 2);
        LaneRun.Outcomes outcomes = lanes.render(List.of(off, on, unknown));
        assertSucceeded(outcomes, off, on);
        assertThat(outcomes.of(off).sha256()).isNotEqualTo(outcomes.of(on).sha256());
        assertThat(outcomes.of(unknown).outcome()).isEqualTo(RenderResult.Outcome.FAILED);
        assertThat(outcomes.of(unknown).error()).contains("not-there");

        assertThat(lanes.infotext(off).params()).containsEntry("ControlNet 0", "Module: none, Model: " + Modes.EDGES
                + ", Weight: 0, Guidance Start: 0, Guidance End: 1");
        assertThat(lanes.infotext(on).params()).containsEntry("ControlNet 0", "Module: none, Model: " + Modes.EDGES
                + ", Weight: 1, Guidance Start: 0, Guidance End: 1");
        assertThat(lanes.metadata(on)).containsEntry("controlnets", Modes.EDGES + ":1:0:1");
    }

    @Test
    void eachDepthMapRendersItsOwnImageFromTheInitImage_andTheMetadataNamesTheMapRendered() throws Exception {
        String init = lanes.upload(grey((x, y) -> 4 * x), "d1");
        String near = lanes.upload(grey((x, y) -> 255 - 5 * y), "d2");
        String far = lanes.upload(grey((x, y) -> 255 - 4 * x), "d3");
        UUID sweep = UUID.randomUUID();
        RenderTask a = aFox(Modes.DEPTH).withDepth(init, 0.8, near).build(sweep, 0);
        RenderTask b = aFox(Modes.DEPTH).withDepth(init, 0.8, far).build(sweep, 1);
        LaneRun.Outcomes outcomes = lanes.render(List.of(a, b));
        assertSucceeded(outcomes, a, b);
        assertThat(outcomes.of(a).sha256()).isNotEqualTo(outcomes.of(b).sha256());

        assertThat(lanes.infotext(a).params()).containsEntry("Denoising strength", "0.8");
        assertThat(lanes.metadata(a)).containsEntry("depth-map", near).containsEntry("init-image", init)
                .containsEntry("strength", "0.8");
        assertThat(lanes.metadata(b)).containsEntry("depth-map", far);
    }

    @Test
    void theRefinerSwitchIsAnAxis_theRefinedImageNamesTheLanesRefinerAndTheSwitchInItsInfotext() throws Exception {
        UUID sweep = UUID.randomUUID();
        RenderTask base = aFox(Modes.SDXL).build(sweep, 0);
        RenderTask refined = aFox(Modes.SDXL).withRefinerSwitchAt(0.5).build(sweep, 1);
        LaneRun.Outcomes outcomes = lanes.render(List.of(base, refined));
        assertSucceeded(outcomes, base, refined);
        assertThat(outcomes.of(base).sha256()).isNotEqualTo(outcomes.of(refined).sha256());

        assertThat(lanes.infotext(refined).params()).containsEntry("Refiner", Modes.REFINER)
                .containsEntry("Refiner switch at", "0.5");
        assertThat(lanes.infotext(base).params()).doesNotContainKeys("Refiner", "Refiner switch at");
        assertThat(lanes.metadata(refined)).containsEntry("refiner-switch-at", "0.5");
    }

    @Test
    void eachLaneAnnouncesInItsHeartbeatsTheAddonsItsFoldersAndModelOffer() {
        try (Heartbeats heartbeats = new Heartbeats(DevstackTestResource.endpoints().kafkaBootstrap())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> Stream.of(Modes.SD, Modes.CONTROLNET, Modes.DEPTH,
                    Modes.SDXL).allMatch(m -> announced(heartbeats, m) != null));
            assertThat(announced(heartbeats, Modes.SD)).isEqualTo(new LaneAddons(List.of(Modes.LORA), List.of(),
                    null, false, false));
            assertThat(announced(heartbeats, Modes.CONTROLNET)).isEqualTo(new LaneAddons(List.of(),
                    List.of(Modes.EDGES), null, false, false));
            assertThat(announced(heartbeats, Modes.DEPTH)).isEqualTo(new LaneAddons(List.of(), List.of(), null, true,
                    false));
            assertThat(announced(heartbeats, Modes.SDXL)).isEqualTo(new LaneAddons(List.of(), List.of(),
                    Modes.REFINER, false, false));
        }
    }

    /** The add-ons in the latest heartbeat of the lane serving {@code model}, or null. */
    private static LaneAddons announced(Heartbeats heartbeats, String model) {
        List<LaneHeartbeat> of = heartbeats.poll().stream().filter(h -> h.model().equals(model)).toList();
        return of.isEmpty() ? null : of.get(of.size() - 1).addons();
    }
}
