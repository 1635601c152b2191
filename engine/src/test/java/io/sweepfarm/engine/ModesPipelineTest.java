package io.sweepfarm.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sweepfarm.devstack.modelgen.Options;
import io.sweepfarm.devstack.modelgen.TinyStableDiffusion;
import io.sweepfarm.engine.model.SessionFactory;
import io.sweepfarm.engine.scheduler.SamplerType;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Depth-to-image, hires fix and ControlNet through the engine, on tiny models in their export layouts. */
class ModesPipelineTest {

    @TempDir
    static Path dir;
    static StableDiffusion sd;
    static StableDiffusion depth;
    static StableDiffusion control;

    @BeforeAll
    static void load() throws Exception {
        SessionFactory cpu = SessionFactory.cpu(1);
        sd = StableDiffusion.open(TinyStableDiffusion.generate(dir.resolve("sd"), Options.builder()
                .vaeEncoder(Options.VaeEncoder.LATENT_PARAMETERS).build()), cpu);
        depth = StableDiffusion.open(TinyStableDiffusion.generate(dir.resolve("depth"), Options.builder()
                .depth(true).vaeEncoder(Options.VaeEncoder.LATENT_PARAMETERS).build()), cpu);
        Options cn = Options.builder().controlNet(true).build();
        Path model = TinyStableDiffusion.generate(dir.resolve("cn"), cn);
        TinyStableDiffusion.generateControlNet(dir.resolve("controlnets/edges"), cn);
        TinyStableDiffusion.generateControlNet(dir.resolve("controlnets/pose"), cn.toBuilder().seed(9).build());
        control = StableDiffusion.open(EngineConfig.of(model).withControlNets(dir.resolve("controlnets")), cpu);
    }

    @AfterAll
    static void close() {
        sd.close();
        depth.close();
        control.close();
    }

    private static ImageRequest.Builder fox() {
        return ImageRequest.builder().prompt("a red fox").negativePrompt("blurry").cfgScale(7.5).steps(6)
                .sampler(SamplerType.DPMPP_2M).seed(5).size(64, 64);
    }

    private static int[] pixels(GeneratedImage g) {
        BufferedImage i = g.image();
        return i.getRGB(0, 0, i.getWidth(), i.getHeight(), null, 0, i.getWidth());
    }

    private static BufferedImage gradient(Color a, Color b, boolean vertical) {
        BufferedImage img = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setPaint(new GradientPaint(0, 0, a, vertical ? 0 : 64, vertical ? 64 : 0, b));
        g.fillRect(0, 0, 64, 64);
        g.dispose();
        return img;
    }

    // depth-to-image

    @Test
    void aDepthModelDenoisesTheInitImageGuidedByItsDepthMap() {
        BufferedImage init = gradient(Color.ORANGE, Color.BLUE, false);
        ImageRequest near = fox().initImage(init, 0.8).depthMap(gradient(Color.WHITE, Color.BLACK, true)).build();
        ImageRequest far = near.toBuilder().depthMap(gradient(Color.BLACK, Color.WHITE, false)).build();
        int[] a = pixels(depth.generate(List.of(near)).get(0));
        assertThat(a).isEqualTo(pixels(depth.generate(List.of(far, near)).get(1)));
        assertThat(a).isNotEqualTo(pixels(depth.generate(List.of(far)).get(0)));
    }

    @Test
    void depthNeedsADepthModelAnInitImageAndAMap() {
        BufferedImage init = gradient(Color.ORANGE, Color.BLUE, false);
        BufferedImage map = gradient(Color.WHITE, Color.BLACK, true);
        assertThatThrownBy(() -> sd.generate(List.of(fox().initImage(init, 0.8).depthMap(map).build())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("5 input channels");
        assertThatThrownBy(() -> depth.generate(List.of(fox().initImage(init, 0.8).build())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("depth map");
        assertThatThrownBy(() -> depth.generate(List.of(fox().depthMap(map).build())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("init image");
    }

    // hires fix

    @Test
    void hiresFixRendersTheSecondPassAtTheUpscaledSize() {
        GeneratedImage g = sd.generate(List.of(fox().hires(new HiresFix(2, 0.6, HiresFix.Upscaler.LATENT, 0))
                .build())).get(0);
        assertThat(g.image().getWidth()).isEqualTo(128);
        assertThat(g.image().getHeight()).isEqualTo(128);
        assertThat(Arrays.stream(pixels(g)).distinct().count()).isGreaterThan(200);
    }

    @Test
    void theHiresStrengthUpscalerAndStepsEachChangeTheImageAndTheBatchDoesNot() {
        HiresFix latent = new HiresFix(1.5, 0.6, HiresFix.Upscaler.LATENT, 0);
        ImageRequest target = fox().hires(latent).build();
        int[] base = pixels(sd.generate(List.of(target)).get(0));
        assertThat(pixels(sd.generate(List.of(fox().seed(9).hires(latent).build(), target)).get(1))).isEqualTo(base);
        for (HiresFix other : List.of(new HiresFix(1.5, 0.3, HiresFix.Upscaler.LATENT, 0),
                new HiresFix(1.5, 0.6, HiresFix.Upscaler.LATENT_NEAREST, 0),
                new HiresFix(1.5, 0.6, HiresFix.Upscaler.LANCZOS, 0),
                new HiresFix(1.5, 0.6, HiresFix.Upscaler.LATENT, 10))) {
            GeneratedImage g = sd.generate(List.of(fox().hires(other).build())).get(0);
            assertThat(g.image().getWidth()).isEqualTo(96);
            assertThat(pixels(g)).as("%s", other).isNotEqualTo(base);
        }
    }

    @Test
    void hiresFixIsATxt2imgMode() {
        assertThatThrownBy(() -> sd.generate(List.of(fox().initImage(gradient(Color.RED, Color.GREEN, true), 0.5)
                .hires(new HiresFix(2, 0.5, HiresFix.Upscaler.LATENT, 0)).build())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("txt2img");
    }

    // ControlNet

    @Test
    void aControlNetAtScaleZeroIsNoControlNetAndAtScaleOneChangesTheImage() {
        BufferedImage edges = gradient(Color.WHITE, Color.BLACK, true);
        int[] none = pixels(control.generate(List.of(fox().build())).get(0));
        int[] zero = pixels(control.generate(List.of(fox().controlNets(List.of(
                new ControlNetUnit("edges", edges, 0.0, 0, 1))).build())).get(0));
        int[] one = pixels(control.generate(List.of(fox().controlNets(List.of(
                ControlNetUnit.of("edges", edges))).build())).get(0));
        assertThat(zero).isEqualTo(none);
        assertThat(one).isNotEqualTo(none);
    }

    @Test
    void guidanceStartAndEndLimitTheStepsTheControlNetActsOn() {
        BufferedImage edges = gradient(Color.WHITE, Color.BLACK, true);
        int[] full = pixels(control.generate(List.of(fox().controlNets(List.of(
                new ControlNetUnit("edges", edges, 1.0, 0, 1))).build())).get(0));
        int[] late = pixels(control.generate(List.of(fox().controlNets(List.of(
                new ControlNetUnit("edges", edges, 1.0, 0.5, 1))).build())).get(0));
        int[] none = pixels(control.generate(List.of(fox().build())).get(0));
        assertThat(late).isNotEqualTo(full).isNotEqualTo(none);
    }

    @Test
    void severalControlNetsAddTheirResidualsAndEachImageKeepsItsOwnControlImage() {
        BufferedImage edges = gradient(Color.WHITE, Color.BLACK, true);
        BufferedImage pose = gradient(Color.RED, Color.CYAN, false);
        // residuals are linear in the scale here: the same net twice at 1 equals it once at 2
        int[] twice = pixels(control.generate(List.of(fox().controlNets(List.of(
                ControlNetUnit.of("edges", edges), ControlNetUnit.of("edges", edges))).build())).get(0));
        int[] doubled = pixels(control.generate(List.of(fox().controlNets(List.of(
                new ControlNetUnit("edges", edges, 2.0, 0, 1))).build())).get(0));
        assertThat(twice).isEqualTo(doubled);
        ImageRequest both = fox().controlNets(List.of(ControlNetUnit.of("edges", edges),
                ControlNetUnit.of("pose", pose))).build();
        int[] alone = pixels(control.generate(List.of(both)).get(0));
        ImageRequest neighbour = fox().seed(8).controlNets(List.of(ControlNetUnit.of("edges", pose),
                ControlNetUnit.of("pose", edges))).build();
        assertThat(pixels(control.generate(List.of(neighbour, both)).get(1))).isEqualTo(alone);
        assertThat(alone).isNotEqualTo(twice);
    }

    @Test
    void anUnknownControlNetIsRefusedNamingTheKnownOnes() {
        assertThatThrownBy(() -> control.generate(List.of(fox().controlNets(List.of(
                ControlNetUnit.of("depth", gradient(Color.WHITE, Color.BLACK, true)))).build())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'depth'")
                .hasMessageContaining("edges, pose");
        assertThatThrownBy(() -> sd.generate(List.of(fox().controlNets(List.of(
                ControlNetUnit.of("edges", gradient(Color.WHITE, Color.BLACK, true)))).build())))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theEngineNamesTheControlNetsItCanUse_noneWhenItsUNetTakesNoResiduals() {
        assertThat(control.controlNetNames()).containsExactly("edges", "pose");
        assertThat(sd.controlNetNames()).isEmpty();
        assertThat(depth.model().isDepth()).isTrue();
        assertThat(sd.model().isDepth()).isFalse();
    }
}
