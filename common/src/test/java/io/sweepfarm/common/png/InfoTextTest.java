package io.sweepfarm.common.png;

import static org.assertj.core.api.Assertions.assertThat;

import io.sweepfarm.common.api.PromptOverflow;
import io.sweepfarm.common.image.ImageParameters;
import java.awt.image.BufferedImage;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The infotext as A1111 writes and reads it. Expected readings follow {@code parse_generation_parameters} in
 * AUTOMATIC1111/stable-diffusion-webui {@code modules/infotext_utils.py} (commit 0365002): strip, split on "\n",
 * the last line is the parameters when {@code re_param} finds at least three pairs in it, every other line is
 * stripped, and a line starting with {@code Negative prompt:} starts the negative prompt.
 */
class InfoTextTest {

    private static ImageParameters params(String negative) {
        return withPrompts("a red fox, in the snow", negative);
    }

    private static ImageParameters withPrompts(String prompt, String negative) {
        return new ImageParameters("sd15", prompt, negative, 7.5, 20, "euler_a", 42, 512, 768, "torch_cpu",
                PromptOverflow.TRUNCATE, null, null, null);
    }

    /** What CLIP's tokenizer reads of a text: whitespace runs folded to one space, stripped, lower-cased. */
    private static String asClipReadsIt(String text) {
        return text.replaceAll("(?U)\\s+", " ").strip().toLowerCase(Locale.ROOT);
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
    void parsesWhatItFormatsIncludingQuotedValues() {
        ImageParameters p = new ImageParameters("my-model", "line one", "bad, ugly", 5.0, 30,
                "dpmpp_2m_karras", 4294967295L, 64, 128, "torch_cpu", PromptOverflow.TRUNCATE, null, null, null);
        InfoText.Parsed parsed = InfoText.parse(InfoText.format(p));
        assertThat(parsed.prompt()).isEqualTo("line one");
        assertThat(parsed.negativePrompt()).isEqualTo("bad, ugly");
        assertThat(parsed.params()).containsEntry("Steps", "30").containsEntry("Sampler", "DPM++ 2M Karras")
                .containsEntry("CFG scale", "5").containsEntry("Seed", "4294967295").containsEntry("Size", "64x128")
                .containsEntry("Model", "my-model");
    }

    @Test
    void quotesValuesThatContainSeparatorsAsJson() {
        ImageParameters p = new ImageParameters("a:b,c\"d\\e\tf", "x", "", 1, 1, "ddim", 0, 8, 8, null, null, null,
                null, null);
        String text = InfoText.format(p);
        assertThat(text).endsWith("Model: \"a:b,c\\\"d\\\\e\\tf\"");
        assertThat(InfoText.parse(text).params()).containsEntry("Model", "a:b,c\"d\\e\tf");
    }

    @Test
    void aPromptCannotForgeANegativePromptOrParametersWithALineBreak() {
        ImageParameters p = withPrompts("a cat\nNegative prompt: a dog\nSteps: 999, Sampler: DDIM, Seed: 7", "");
        String text = InfoText.format(p);
        assertThat(text.lines()).hasSize(2);
        InfoText.Parsed parsed = InfoText.parse(text);
        assertThat(parsed.prompt()).isEqualTo("a cat Negative prompt: a dog Steps: 999, Sampler: DDIM, Seed: 7");
        assertThat(parsed.negativePrompt()).isEmpty();
        assertThat(parsed.params()).containsEntry("Steps", "20").containsEntry("Sampler", "Euler a")
                .containsEntry("Seed", "42");
    }

    @Test
    void aPromptThatStartsLikeTheNegativeLineIsNotReadAsTheNegativePrompt() {
        InfoText.Parsed parsed = InfoText.parse(InfoText.format(withPrompts("  Negative prompt: evil", "kind")));
        assertThat(parsed.prompt()).isEqualTo("negative prompt: evil");
        assertThat(parsed.negativePrompt()).isEqualTo("kind");
    }

    static Stream<Arguments> adversarialPrompts() {
        return Stream.of(
                Arguments.of("cat\nNegative prompt: dog", ""),
                Arguments.of("cat\r\nNegative prompt: dog", "tree"),
                Arguments.of("cat\rNegative prompt: dog", ""),
                Arguments.of("cat\u2028Negative prompt: dog\u2029Steps: 1, Seed: 2, Size: 8x8", ""),
                Arguments.of("cat\u000BSteps: 999, CFG scale: 1, Seed: 5, Size: 8x8\u000C", ""),
                Arguments.of("Negative prompt: dog", ""),
                Arguments.of("\n\nNegative prompt: dog\n", "x\nNegative prompt: y\nSteps: 3, Seed: 4, Model: m"),
                Arguments.of("", "Negative prompt: twice"),
                Arguments.of("Steps: 999, Sampler: DDIM, Seed: 7, Size: 1x1", ""),
                Arguments.of("multi\n\nline\n  prompt  \n", "  leading and trailing  "),
                Arguments.of("quotes \"Steps: 5\", commas, colons: yes", "Steps: 6, Seed: 7, Model: evil"),
                Arguments.of("\u65e5\u672c\u8a9e\n\u30d7\u30ed\u30f3\u30d7\u30c8", "\u00a0nbsp\u00a0"),
                Arguments.of("tab\tseparated\nNegative prompt:", ""),
                Arguments.of("ends with label\nNegative prompt:\n", "neg"));
    }

    @ParameterizedTest
    @MethodSource("adversarialPrompts")
    void readsBackExactlyThePromptsAndParametersTheModelSaw(String prompt, String negative) {
        ImageParameters p = new ImageParameters("sd15", prompt, negative, 6.5, 33, "euler_a", 1234, 64, 96,
                "torch_cpu", PromptOverflow.TRUNCATE, "inputs/x.png", 0.5, null);
        InfoText.Parsed parsed = InfoText.parse(InfoText.format(p));
        assertThat(asClipReadsIt(parsed.prompt())).isEqualTo(asClipReadsIt(prompt));
        assertThat(asClipReadsIt(parsed.negativePrompt())).isEqualTo(asClipReadsIt(negative));
        assertThat(parsed.params()).containsExactlyInAnyOrderEntriesOf(Map.of("Steps", "33", "Sampler", "Euler a",
                "CFG scale", "6.5", "Seed", "1234", "Size", "64x96", "Model", "sd15", "Denoising strength", "0.5",
                "RNG", "CPU"));
    }

    @Test
    void readsA1111sOwnOutputWithAMultiLinePromptLikeA1111() {
        // A1111 writes prompts raw; its reader strips each line and joins them with "\n".
        InfoText.Parsed parsed = InfoText.parse("""
                  first line\s
                second line
                Negative prompt:  bad
                worse
                Steps: 20, Sampler: Euler a, CFG scale: 7, Seed: 965400086, Size: 512x512, Model hash: 45dee52b
                """);
        assertThat(parsed.prompt()).isEqualTo("first line\nsecond line");
        assertThat(parsed.negativePrompt()).isEqualTo("bad\nworse");
        assertThat(parsed.params()).containsEntry("Model hash", "45dee52b").containsEntry("Size", "512x512");
    }

    @Test
    void aLastLineWithFewerThanThreeParametersIsPartOfThePrompt() {
        InfoText.Parsed parsed = InfoText.parse("a fox\nSteps: 20, Seed: 1");
        assertThat(parsed.prompt()).isEqualTo("a fox\nSteps: 20, Seed: 1");
        assertThat(parsed.params()).isEmpty();
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
