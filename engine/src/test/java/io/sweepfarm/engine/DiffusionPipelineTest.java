package io.sweepfarm.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sweepfarm.engine.scheduler.SamplerType;
import io.sweepfarm.devstack.modelgen.Options;
import io.sweepfarm.devstack.modelgen.TinyStableDiffusion;
import io.sweepfarm.engine.model.SessionFactory;
import io.sweepfarm.engine.model.StableDiffusionModel;
import io.sweepfarm.engine.scheduler.SchedulerConfig;
import io.sweepfarm.engine.tokenizer.ClipTokenizer;
import io.sweepfarm.engine.tokenizer.PromptOverflow;
import io.sweepfarm.engine.tokenizer.PromptTokenizer;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DiffusionPipelineTest {

    @TempDir
    static Path dir;
    static StableDiffusionModel model;
    static StableDiffusionModel inpaintModel;
    static DiffusionPipeline pipeline;
    static DiffusionPipeline inpaintPipeline;

    @BeforeAll
    static void load() throws Exception {
        pipeline = open(Options.defaults().toBuilder()
                .vaeEncoder(Options.VaeEncoder.LATENT_PARAMETERS).build(), "standard");
        model = last;
        inpaintPipeline = open(Options.defaults().toBuilder().inpainting(true)
                .vaeEncoder(Options.VaeEncoder.LATENT_PARAMETERS).build(), "inpaint");
        inpaintModel = last;
    }

    private static StableDiffusionModel last;

    private static DiffusionPipeline open(Options options, String name) throws Exception {
        Path modelDir = TinyStableDiffusion.generate(dir.resolve(name), options);
        last = StableDiffusionModel.load(modelDir, SessionFactory.cpu(1));
        return new DiffusionPipeline(last, new PromptTokenizer(ClipTokenizer.load(modelDir)),
                SchedulerConfig.read(last.schedulerConfig()));
    }

    @AfterAll
    static void close() {
        model.close();
        inpaintModel.close();
    }

    private static ImageRequest request(String prompt, double cfg, long seed, SamplerType sampler) {
        return ImageRequest.txt2img(prompt, "ugly", cfg, 6, sampler, seed, 64, 64);
    }

    /** "a fox", no negative prompt, CFG 7.5, seed 3, 64x64. */
    private static ImageRequest.Builder fox(int steps, SamplerType sampler) {
        return ImageRequest.builder().prompt("a fox").cfgScale(7.5).steps(steps).sampler(sampler).seed(3)
                .size(64, 64);
    }

    private static int[] pixels(GeneratedImage g) {
        BufferedImage i = g.image();
        return i.getRGB(0, 0, i.getWidth(), i.getHeight(), null, 0, i.getWidth());
    }

    @ParameterizedTest
    @EnumSource(SamplerType.class)
    void anImageDependsOnlyOnItsOwnParametersNotOnItsBatchOrPosition(SamplerType sampler) {
        ImageRequest target = request("a red fox", 7.5, 42, sampler);
        int[] alone = pixels(pipeline.generate(List.of(target)).get(0));
        List<GeneratedImage> batch = pipeline.generate(List.of(request("a blue whale", 3.0, 7, sampler),
                request("a castle", 1.0, 9, sampler), target));
        assertThat(pixels(batch.get(2))).isEqualTo(alone);
        assertThat(pixels(batch.get(0))).isNotEqualTo(alone);
    }

    @Test
    void theSeedThePromptAndTheGuidanceScaleEachChangeTheImage() {
        int[] base = pixels(pipeline.generate(List.of(request("a red fox", 7.5, 42, SamplerType.EULER_A))).get(0));
        assertThat(pixels(pipeline.generate(List.of(request("a red fox", 7.5, 43, SamplerType.EULER_A))).get(0)))
                .isNotEqualTo(base);
        assertThat(pixels(pipeline.generate(List.of(request("a green fox", 7.5, 42, SamplerType.EULER_A))).get(0)))
                .isNotEqualTo(base);
        assertThat(pixels(pipeline.generate(List.of(request("a red fox", 2.0, 42, SamplerType.EULER_A))).get(0)))
                .isNotEqualTo(base);
    }

    @Test
    void aFloat16ExportRendersTheSameKindOfImageAsItsFloat32Twin() throws Exception {
        Options fp16 = Options.defaults().toBuilder().float16(true).inputIds(Options.InputIds.INT64)
                .timestep(Options.Timestep.FLOAT_SCALAR).build();
        DiffusionPipeline half = open(fp16, "fp16");
        try (StableDiffusionModel halfModel = last) {
            ImageRequest r = request("a red fox", 7.5, 42, SamplerType.DPMPP_2M);
            int[] a = pixels(half.generate(List.of(r)).get(0));
            int[] b = pixels(pipeline.generate(List.of(r)).get(0));
            double meanAbsDiff = 0;
            for (int i = 0; i < a.length; i++) {
                for (int shift = 0; shift < 24; shift += 8) {
                    meanAbsDiff += Math.abs(((a[i] >> shift) & 0xff) - ((b[i] >> shift) & 0xff));
                }
            }
            meanAbsDiff /= a.length * 3.0;
            // fp16 weights round the same random weights: close to, but not bit-equal with, the float32 image.
            assertThat(meanAbsDiff).isLessThan(8.0);
            assertThat(java.util.Arrays.stream(a).distinct().count()).isGreaterThan(100);
        }
    }

    @Test
    void theNvNoiseSourceStartsFromItsOwnDeterministicNoise() {
        ImageRequest cpu = request("a red fox", 7.5, 42, SamplerType.EULER_A);
        ImageRequest nv = request("a red fox", 7.5, 42, SamplerType.EULER_A).toBuilder().noiseSource("nv").build();
        GeneratedImage first = pipeline.generate(List.of(nv)).get(0);
        assertThat(first.request().noiseSource()).isEqualTo("nv");
        assertThat(pixels(first)).isEqualTo(pixels(pipeline.generate(List.of(cpu, nv)).get(1)))
                .isNotEqualTo(pixels(pipeline.generate(List.of(cpu)).get(0)));
    }

    @Test
    void guidanceAtOrBelowOneIgnoresTheNegativePrompt() {
        ImageRequest a = ImageRequest.txt2img("a red fox", "ugly", 1.0, 6, SamplerType.DDIM, 5, 64, 64);
        ImageRequest b = ImageRequest.txt2img("a red fox", "something else", 1.0, 6, SamplerType.DDIM, 5, 64, 64);
        assertThat(pixels(pipeline.generate(List.of(a)).get(0))).isEqualTo(pixels(pipeline.generate(List.of(b)).get(0)));
    }

    @Test
    void aLongPromptIsTruncatedWithAWarningOrChunkedOnRequest() {
        String longPrompt = "a very detailed painting of a lighthouse, ".repeat(20);
        GeneratedImage truncated = pipeline.generate(List.of(request(longPrompt, 7.5, 1, SamplerType.DDIM))).get(0);
        assertThat(truncated.warnings()).anyMatch(w -> w.contains("truncat"));
        ImageRequest chunked = request(longPrompt, 7.5, 1, SamplerType.DDIM).toBuilder()
                .promptMode(PromptOverflow.CHUNK).build();
        GeneratedImage c = pipeline.generate(List.of(chunked)).get(0);
        assertThat(c.warnings()).noneMatch(w -> w.contains("truncat"));
        assertThat(pixels(c)).isNotEqualTo(pixels(truncated));
    }

    @Test
    void img2imgStartsFromTheInitImageAndStrengthControlsHowFarItMoves() {
        BufferedImage init = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = init.createGraphics();
        g.setColor(Color.ORANGE);
        g.fillRect(0, 0, 64, 64);
        g.setColor(Color.BLUE);
        g.fillOval(16, 16, 32, 32);
        g.dispose();
        ImageRequest low = fox(10, SamplerType.EULER).initImage(init, 0.3).build();
        ImageRequest high = fox(10, SamplerType.EULER).initImage(init, 0.9).build();
        int[] a = pixels(pipeline.generate(List.of(low)).get(0));
        int[] b = pixels(pipeline.generate(List.of(high)).get(0));
        assertThat(a).isNotEqualTo(b);
        assertThat(pixels(pipeline.generate(List.of(low)).get(0))).isEqualTo(a);
        ImageRequest none = fox(2, SamplerType.EULER).initImage(init, 0.1).build();
        assertThatThrownBy(() -> pipeline.generate(List.of(none))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("strength");
    }

    @Test
    void inpaintingRunsOnANineChannelUnetAndWithMaskBlendingOnAFourChannelOne() {
        BufferedImage init = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        BufferedImage mask = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = mask.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 32, 64);
        g.dispose();
        ImageRequest r = fox(6, SamplerType.DDIM).initImage(init, 1.0).mask(mask).build();
        GeneratedImage nine = inpaintPipeline.generate(List.of(r)).get(0);
        assertThat(pixels(nine)).isEqualTo(pixels(inpaintPipeline.generate(List.of(r)).get(0)));
        GeneratedImage four = pipeline.generate(List.of(r)).get(0);
        assertThat(pixels(four)).isNotEqualTo(pixels(nine));
        assertThatThrownBy(() -> inpaintPipeline.generate(List.of(request("a fox", 7.5, 1, SamplerType.DDIM))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inpainting");
    }
}
