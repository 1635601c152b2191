package io.sweepfarm.common.png;

import static org.assertj.core.api.Assertions.assertThat;

import io.sweepfarm.common.api.PromptOverflow;
import io.sweepfarm.common.image.ImageParameters;
import java.awt.image.BufferedImage;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InfoTextTest {

    private static ImageParameters params(String negative) {
        return new ImageParameters("sd15", "a red fox, in the snow", negative, 7.5, 20, "euler_a", 42, 512, 768,
                "torch_cpu", PromptOverflow.TRUNCATE, null, null, null);
    }

    @Test
    void formatsLikeAutomatic1111() {
        assertThat(InfoText.format(params("blurry"))).isEqualTo("""
                a red fox, in the snow
                Negative prompt: blurry
                Steps: 20, Sampler: Euler a, CFG scale: 7.5, Seed: 42, Size: 512x768, Model: sd15, RNG: CPU""");
    }

    @Test
    void leavesOutAnEmptyNegativePromptAndPrintsWholeScalesWithoutDecimals() {
        ImageParameters p = new ImageParameters("tiny", "cat", "", 7.0, 10, "ddim", 1, 64, 64, "torch_cpu",
                PromptOverflow.TRUNCATE, "inputs/" + "ab".repeat(32) + ".png", 0.75, null);
        assertThat(InfoText.format(p)).isEqualTo(
                "cat\nSteps: 10, Sampler: DDIM, CFG scale: 7, Seed: 1, Size: 64x64, Model: tiny, "
                        + "Denoising strength: 0.75, RNG: CPU");
    }

    @Test
    void parsesWhatItFormatsIncludingQuotedValuesAndMultiLinePrompts() {
        ImageParameters p = new ImageParameters("my-model", "line one\nline two", "bad, ugly", 5.0, 30,
                "dpmpp_2m_karras", 4294967295L, 64, 128, "torch_cpu", PromptOverflow.TRUNCATE, null, null, null);
        InfoText.Parsed parsed = InfoText.parse(InfoText.format(p));
        assertThat(parsed.prompt()).isEqualTo("line one\nline two");
        assertThat(parsed.negativePrompt()).isEqualTo("bad, ugly");
        assertThat(parsed.params()).containsEntry("Steps", "30").containsEntry("Sampler", "DPM++ 2M Karras")
                .containsEntry("CFG scale", "5").containsEntry("Seed", "4294967295").containsEntry("Size", "64x128")
                .containsEntry("Model", "my-model");
    }

    @Test
    void quotesValuesThatContainSeparators() {
        ImageParameters p = new ImageParameters("a:b,c", "x", "", 1, 1, "ddim", 0, 8, 8, null, null, null, null, null);
        String text = InfoText.format(p);
        assertThat(text).endsWith("Model: \"a:b,c\"");
        assertThat(InfoText.parse(text).params()).containsEntry("Model", "a:b,c");
    }

    @Test
    void pngTextChunksSurviveARoundTripIncludingNonLatinText() {
        BufferedImage image = new BufferedImage(16, 8, BufferedImage.TYPE_INT_RGB);
        image.setRGB(3, 2, 0x00ff8040);
        byte[] png = PngText.write(image, Map.of("parameters", "Sweep 日本語 prompt", "seed", "42"));
        assertThat(PngText.readText(png)).containsEntry("parameters", "Sweep 日本語 prompt").containsEntry("seed", "42");
        BufferedImage back = PngText.readImage(png);
        assertThat(back.getWidth()).isEqualTo(16);
        assertThat(back.getRGB(3, 2) & 0xffffff).isEqualTo(0xff8040);
    }

    @Test
    void nvNoiseIsA1111sNvRng() {
        ImageParameters p = new ImageParameters("tiny", "cat", "", 7.0, 10, "euler_a", 1, 64, 64, "nv", null, null, null,
                null);
        assertThat(InfoText.parse(InfoText.format(p)).params()).containsEntry("RNG", "NV");
    }
}
