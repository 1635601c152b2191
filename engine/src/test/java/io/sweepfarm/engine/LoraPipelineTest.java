package io.sweepfarm.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sweepfarm.devstack.modelgen.Options;
import io.sweepfarm.devstack.modelgen.TinyLora;
import io.sweepfarm.devstack.modelgen.TinyStableDiffusion;
import io.sweepfarm.engine.model.SessionFactory;
import io.sweepfarm.engine.scheduler.SamplerType;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LoRAs from safetensors applied to the tiny models' weights at load time, through the engine. */
class LoraPipelineTest {

    @TempDir
    static Path dir;
    static StableDiffusion sd;
    static StableDiffusion xl;

    @BeforeAll
    static void load() throws Exception {
        Options o = Options.defaults();
        Path loras = dir.resolve("loras");
        TinyLora.write(loras.resolve("style-kohya.safetensors"), o, TinyLora.Style.KOHYA, 4, 1, 4f);
        TinyLora.write(loras.resolve("style-peft.safetensors"), o, TinyLora.Style.PEFT, 4, 1, 4f);
        TinyLora.write(loras.resolve("detail.safetensors"), o, TinyLora.Style.KOHYA, 2, 9, 1f);
        TinyLora.writeForeign(loras.resolve("other-model.safetensors"), TinyLora.Style.PEFT);
        Options xlo = Options.builder().family(Options.Family.SDXL).build();
        TinyLora.write(dir.resolve("xl-loras/xl.safetensors"), xlo, TinyLora.Style.KOHYA, 4, 3, 4f);
        sd = StableDiffusion.open(EngineConfig.of(TinyStableDiffusion.generate(dir.resolve("sd"), o))
                .withLoras(loras, 2), SessionFactory.cpu(1));
        xl = StableDiffusion.open(EngineConfig.of(TinyStableDiffusion.generate(dir.resolve("xl"), xlo))
                .withLoras(dir.resolve("xl-loras"), 1), SessionFactory.cpu(1));
    }

    @AfterAll
    static void close() {
        sd.close();
        xl.close();
    }

    private static ImageRequest.Builder fox() {
        return ImageRequest.builder().prompt("a red fox").negativePrompt("blurry").cfgScale(7.5).steps(6)
                .sampler(SamplerType.EULER).seed(21).size(64, 64);
    }

    private static int[] pixels(ImageRequest r, StableDiffusion engine) {
        BufferedImage i = engine.generate(List.of(r)).get(0).image();
        return i.getRGB(0, 0, i.getWidth(), i.getHeight(), null, 0, i.getWidth());
    }

    @Test
    void theEngineNamesTheLorasInItsFolder_andNoneWithoutAFolder() throws Exception {
        assertThat(sd.loraNames()).containsExactly("detail", "other-model", "style-kohya", "style-peft");
        java.nio.file.Files.writeString(dir.resolve("loras/readme.txt"), "not a LoRA");
        TinyLora.write(dir.resolve("loras/added-later.safetensors"), Options.defaults(), TinyLora.Style.KOHYA, 2, 4,
                1f);
        assertThat(sd.loraNames()).containsExactly("added-later", "detail", "other-model", "style-kohya",
                "style-peft");
        try (StableDiffusion plain = StableDiffusion.open(dir.resolve("sd"), SessionFactory.cpu(1))) {
            assertThat(plain.loraNames()).isEmpty();
        }
    }

    @Test
    void kohyaAndPeftKeysOfOneLoraRenderTheSameImage() {
        int[] kohya = pixels(fox().loras(List.of(new LoraWeight("style-kohya", 0.8))).build(), sd);
        int[] peft = pixels(fox().loras(List.of(new LoraWeight("style-peft", 0.8))).build(), sd);
        assertThat(kohya).isEqualTo(peft);
        assertThat(kohya).isNotEqualTo(pixels(fox().build(), sd));
    }

    @Test
    void scaleZeroIsTheBaseModelAndEveryScaleIsItsOwnImage() {
        int[] base = pixels(fox().build(), sd);
        assertThat(pixels(fox().loras(List.of(new LoraWeight("detail", 0))).build(), sd)).isEqualTo(base);
        int[] half = pixels(fox().loras(List.of(new LoraWeight("detail", 0.5))).build(), sd);
        int[] full = pixels(fox().loras(List.of(new LoraWeight("detail", 1.0))).build(), sd);
        assertThat(half).isNotEqualTo(base).isNotEqualTo(full);
    }

    @Test
    void severalLorasApplyTogetherInAnyOrderAndEachSetIsPatchedOnce() {
        List<LoraWeight> both = List.of(new LoraWeight("style-kohya", 0.6), new LoraWeight("detail", 0.3));
        int built = sd.loraVariantsBuilt();
        int[] a = pixels(fox().loras(both).build(), sd);
        int[] b = pixels(fox().seed(22).loras(List.of(both.get(1), both.get(0))).build(), sd);
        assertThat(sd.loraVariantsBuilt()).isEqualTo(built + 1);
        assertThat(pixels(fox().loras(List.of(both.get(1), both.get(0))).build(), sd)).isEqualTo(a);
        assertThat(b).isNotEqualTo(a);
        assertThat(sd.loraVariantsBuilt()).isEqualTo(built + 1);
        assertThat(a).isNotEqualTo(pixels(fox().loras(List.of(both.get(0))).build(), sd));
    }

    @Test
    void aBatchSharesItsVariantAndEachImageIsAsAlone() {
        ImageRequest target = fox().loras(List.of(new LoraWeight("detail", 0.7))).build();
        int[] alone = pixels(target, sd);
        List<GeneratedImage> batch = sd.generate(List.of(fox().seed(3).loras(target.loras()).build(), fox().build(),
                target));
        BufferedImage i = batch.get(2).image();
        assertThat(i.getRGB(0, 0, 64, 64, null, 0, 64)).isEqualTo(alone);
    }

    @Test
    void anSdxlLoraPatchesTheUnetAndBothTextEncoders() {
        int[] base = pixels(fox().build(), xl);
        int[] lora = pixels(fox().loras(List.of(new LoraWeight("xl", 1))).build(), xl);
        assertThat(lora).isNotEqualTo(base);
    }

    @Test
    void aLoraForAnotherModelOrNoneAtAllIsRefusedClearly() {
        assertThatThrownBy(() -> sd.generate(List.of(fox().loras(List.of(new LoraWeight("other-model", 1))).build())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unet.mid_block.attentions.0.transformer_blocks.0.attn1.to_q");
        assertThatThrownBy(() -> sd.generate(List.of(fox().loras(List.of(new LoraWeight("missing", 1))).build())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("missing.safetensors");
    }
}
