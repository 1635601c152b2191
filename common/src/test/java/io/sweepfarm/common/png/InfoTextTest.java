package io.sweepfarm.common.png;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InfoTextTest {

    private static ImageParameters params(String negative) {
        return new ImageParameters("a red fox, in the snow", negative, 20, "euler_a", 7.5, 42, 512, 768, "sd15",
                "torch_cpu", null);
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
        ImageParameters p = new ImageParameters("cat", "", 10, "ddim", 7.0, 1, 64, 64, "tiny", "torch_cpu", 0.75);
        assertThat(InfoText.format(p)).isEqualTo(
                "cat\nSteps: 10, Sampler: DDIM, CFG scale: 7, Seed: 1, Size: 64x64, Model: tiny, "
                        + "Denoising strength: 0.75, RNG: CPU");
    }

    @Test
    void parsesWhatItFormatsIncludingQuotedValuesAndMultiLinePrompts() {
        ImageParameters p = new ImageParameters("line one\nline two", "bad, ugly", 30, "dpmpp_2m_karras", 5.0,
                4294967295L, 64, 128, "my-model", "torch_cpu", null);
        InfoText.Parsed parsed = InfoText.parse(InfoText.format(p));
        assertThat(parsed.prompt()).isEqualTo("line one\nline two");
        assertThat(parsed.negativePrompt()).isEqualTo("bad, ugly");
        assertThat(parsed.params()).containsEntry("Steps", "30").containsEntry("Sampler", "DPM++ 2M Karras")
                .containsEntry("CFG scale", "5").containsEntry("Seed", "4294967295").containsEntry("Size", "64x128")
                .containsEntry("Model", "my-model");
    }

    @Test
    void quotesValuesThatContainSeparators() {
        ImageParameters p = new ImageParameters("x", "", 1, "ddim", 1, 0, 8, 8, "a:b,c", null, null);
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
        ImageParameters p = new ImageParameters("cat", "", 10, "euler_a", 7.0, 1, 64, 64, "tiny", "nv", null);
        assertThat(InfoText.parse(InfoText.format(p)).params()).containsEntry("RNG", "NV");
    }
}
