package io.sweepfarm.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sweepfarm.devstack.modelgen.Options;
import io.sweepfarm.devstack.modelgen.TinyStableDiffusion;
import io.sweepfarm.engine.model.SessionFactory;
import io.sweepfarm.engine.model.StableDiffusionModel;
import io.sweepfarm.engine.scheduler.SamplerType;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SDXL base and refiner through the engine, on tiny models generated in the SDXL export layout. */
class SdxlPipelineTest {

    @TempDir
    static Path dir;
    static StableDiffusion sdxl;
    static StableDiffusion withRefiner;

    @BeforeAll
    static void load() throws Exception {
        Path base = TinyStableDiffusion.generate(dir.resolve("base"), Options.builder()
                .family(Options.Family.SDXL).build());
        Path refiner = TinyStableDiffusion.generate(dir.resolve("refiner"), Options.builder()
                .family(Options.Family.SDXL_REFINER).seed(7).build());
        sdxl = StableDiffusion.open(base, SessionFactory.cpu(1));
        withRefiner = StableDiffusion.open(EngineConfig.of(base).withRefiner(refiner), SessionFactory.cpu(1));
    }

    @AfterAll
    static void close() {
        sdxl.close();
        withRefiner.close();
    }

    private static ImageRequest.Builder fox() {
        return ImageRequest.builder().prompt("a red fox in the snow").negativePrompt("blurry").cfgScale(6)
                .steps(8).sampler(SamplerType.EULER_A).seed(11).size(64, 64);
    }

    private static int[] pixels(GeneratedImage g) {
        BufferedImage i = g.image();
        return i.getRGB(0, 0, i.getWidth(), i.getHeight(), null, 0, i.getWidth());
    }

    @Test
    void anSdxlFolderLoadsAsSdxlWithBothEncodersAndItsVaeScale() {
        StableDiffusionModel m = sdxl.model();
        assertThat(m.family()).isEqualTo(StableDiffusionModel.Family.SDXL);
        assertThat(m.textEncoder()).isNotNull();
        assertThat(m.textEncoder2()).isNotNull();
        assertThat(m.vaeScalingFactor()).isEqualTo(0.13025f);
        assertThat(m.hiddenSize()).isEqualTo(32 + 48);
        assertThat(m.forceZerosForEmptyPrompt()).isTrue();
        assertThat(m.unet().timeIdsWidth()).isEqualTo(6);
    }

    @Test
    void anSdxlImageDependsOnlyOnItsOwnParameters() {
        ImageRequest target = fox().build();
        int[] alone = pixels(sdxl.generate(List.of(target)).get(0));
        List<GeneratedImage> batch = sdxl.generate(List.of(fox().prompt("a castle").seed(3).build(),
                fox().cfgScale(1).seed(5).build(), target));
        assertThat(pixels(batch.get(2))).isEqualTo(alone);
        assertThat(pixels(batch.get(0))).isNotEqualTo(alone);
        assertThat(Arrays.stream(alone).distinct().count()).isGreaterThan(100);
    }

    @Test
    void anEmptyNegativePromptConditionsOnZerosUnlikeABlankOne() {
        // diffusers' force_zeros_for_empty_prompt: "" gives zero embeddings, " " is encoded like any prompt
        int[] empty = pixels(sdxl.generate(List.of(fox().negativePrompt("").build())).get(0));
        int[] blank = pixels(sdxl.generate(List.of(fox().negativePrompt(" ").build())).get(0));
        assertThat(empty).isNotEqualTo(blank);
    }

    @Test
    void theMicroConditioningReachesTheUnet() {
        int[] plain = pixels(sdxl.generate(List.of(fox().build())).get(0));
        int[] cropped = pixels(sdxl.generate(List.of(fox().sdxl(new SdxlConditioning(1024, 1024, 64, 32, 64, 64,
                6.0, 2.5)).build())).get(0));
        assertThat(cropped).isNotEqualTo(plain);
        // the defaults are the render size, uncropped
        assertThat(pixels(sdxl.generate(List.of(fox().sdxl(SdxlConditioning.defaults(64, 64)).build())).get(0)))
                .isEqualTo(plain);
    }

    @Test
    void theRefinerTakesOverAtTheSwitchAndTheSwitchMatters() {
        int[] baseOnly = pixels(withRefiner.generate(List.of(fox().build())).get(0));
        int[] at08 = pixels(withRefiner.generate(List.of(fox().refiner(new Refiner(0.8)).build())).get(0));
        int[] at05 = pixels(withRefiner.generate(List.of(fox().refiner(new Refiner(0.5)).build())).get(0));
        assertThat(at08).isNotEqualTo(baseOnly).isNotEqualTo(at05);
        assertThat(pixels(withRefiner.generate(List.of(fox().refiner(new Refiner(0.8)).build())).get(0)))
                .isEqualTo(at08);
    }

    @Test
    void aRefinerRequestWithoutARefinerModelIsRefused() {
        assertThatThrownBy(() -> sdxl.generate(List.of(fox().refiner(new Refiner(0.8)).build())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("refiner model");
    }
}
