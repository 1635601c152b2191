package io.sweepfarm.engine.model;

import ai.onnxruntime.OnnxJavaType;
import io.sweepfarm.devstack.modelgen.ExternalData;
import io.sweepfarm.devstack.modelgen.Options;
import io.sweepfarm.devstack.modelgen.TinyStableDiffusion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class ModelVariantsTest {

    private static final SessionFactory CPU = SessionFactory.cpu(1);

    @TempDir
    Path dir;

    static Stream<Arguments> variants() {
        Options d = Options.defaults();
        return Stream.of(
                Arguments.of("defaults (int32 ids, float [B] timestep, latent_sample)", d),
                Arguments.of("int64 ids", d.toBuilder().inputIds(Options.InputIds.INT64).build()),
                Arguments.of("scalar float timestep", d.toBuilder().timestep(Options.Timestep.FLOAT_SCALAR).build()),
                Arguments.of("int64 timestep", d.toBuilder().timestep(Options.Timestep.INT64_BATCH).build()),
                Arguments.of("weights.pb", d.toBuilder().externalData(ExternalData.WEIGHTS_PB).build()),
                Arguments.of("model.onnx_data", d.toBuilder().externalData(ExternalData.MODEL_ONNX_DATA).build()),
                Arguments.of("latent_parameters encoder", d.toBuilder().vaeEncoder(Options.VaeEncoder.LATENT_PARAMETERS).build()),
                Arguments.of("no encoder", d.toBuilder().vaeEncoder(Options.VaeEncoder.NONE).build()),
                Arguments.of("inpainting", d.toBuilder().inpainting(true).build()),
                Arguments.of("fp16", d.toBuilder().float16(true).build()),
                Arguments.of("fp16 optimum style", d.toBuilder().float16(true).inputIds(Options.InputIds.INT64)
                        .timestep(Options.Timestep.FLOAT_SCALAR).externalData(ExternalData.MODEL_ONNX_DATA)
                        .vaeEncoder(Options.VaeEncoder.LATENT_PARAMETERS).build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("variants")
    void every_exporter_variant_loads_and_runs_on_the_cpu(String name, Options options) throws IOException {
        TinyStableDiffusion.generate(dir, options);
        try (StableDiffusionModel model = StableDiffusionModel.load(dir, CPU)) {
            int hidden = options.textHidden();
            assertThat(model.hiddenSize()).isEqualTo(hidden);
            assertThat(model.unetInChannels()).isEqualTo(options.unetInChannels());
            assertThat(model.isInpainting()).isEqualTo(options.inpainting());
            assertThat(model.vaeScalingFactor()).isEqualTo(0.18215f);
            assertThat(model.vaeEncoder().isPresent()).isEqualTo(options.vaeEncoder() != Options.VaeEncoder.NONE);
            assertThat(model.textEncoder().idsType()).isEqualTo(
                    options.inputIds() == Options.InputIds.INT32 ? OnnxJavaType.INT32 : OnnxJavaType.INT64);
            assertThat(model.unet().isFloat16()).isEqualTo(options.float16());
            assertThat(model.unet().scalarTimestep()).isEqualTo(options.timestep() == Options.Timestep.FLOAT_SCALAR);
            assertThat(model.unet().timestepType()).isEqualTo(options.timestep() == Options.Timestep.INT64_BATCH
                    ? OnnxJavaType.INT64 : options.float16() ? OnnxJavaType.FLOAT16 : OnnxJavaType.FLOAT);
            model.vaeEncoder().ifPresent(e -> assertThat(e.returnsParameters())
                    .isEqualTo(options.vaeEncoder() == Options.VaeEncoder.LATENT_PARAMETERS));

            float[] catState = model.textEncoder().encode(prompt(5, 9), 1, 77);
            float[] dogState = model.textEncoder().encode(prompt(6, 9), 1, 77);
            assertThat(catState).hasSize(77 * hidden);
            assertFinite(catState);
            assertThat(maxAbsDiff(catState, dogState)).isGreaterThan(1e-3f);

            int c = model.unetInChannels();
            float[] latents = noise(2 * c * 8 * 8, 1);
            float[] context = concat(catState, dogState);
            float[] a = model.unet().predict(new UNetInput(new Latents(latents, 2, c, 8, 8), new float[] {981, 981},
                    TextStates.of(context, 2, 77)));
            float[] b = model.unet().predict(new UNetInput(new Latents(latents, 2, c, 8, 8), new float[] {1, 1},
                    TextStates.of(context, 2, 77)));
            float[] swapped = model.unet().predict(new UNetInput(new Latents(latents, 2, c, 8, 8),
                    new float[] {981, 981},
                    TextStates.of(concat(dogState, catState), 2, 77)));
            assertThat(a).hasSize(2 * 4 * 64);
            assertFinite(a);
            assertThat(maxAbsDiff(a, b)).as("timestep changes the prediction").isGreaterThan(1e-3f);
            assertThat(maxAbsDiff(a, swapped)).as("prompt changes the prediction").isGreaterThan(1e-3f);

            float[] image = model.vaeDecoder().decode(noise(4 * 64, 2), 1, 8, 8);
            assertThat(image).hasSize(3 * 64 * 64);
            assertFinite(image);
            float min = Float.MAX_VALUE;
            float max = -Float.MAX_VALUE;
            for (float v : image) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            assertThat(min).isGreaterThanOrEqualTo(-1f);
            assertThat(max).isLessThanOrEqualTo(1f);
            assertThat(max - min).as("image is not flat").isGreaterThan(0.2f);

            if (model.vaeEncoder().isPresent()) {
                LatentDistribution dist = model.vaeEncoder().get().encode(image, 1, 64, 64);
                assertThat(dist.mean()).hasSize(4 * 64);
                assertThat(dist.isPreSampled()).isEqualTo(options.vaeEncoder() == Options.VaeEncoder.LATENT_SAMPLE);
                float[] sampled = dist.sample(noise(4 * 64, 3));
                assertFinite(sampled);
                if (!dist.isPreSampled()) {
                    assertThat(maxAbsDiff(sampled, dist.mean())).isGreaterThan(0f);
                }
            }
        }
    }

    @Test
    void external_weights_live_next_to_the_model() throws IOException {
        TinyStableDiffusion.generate(dir, Options.builder().externalData(ExternalData.MODEL_ONNX_DATA).build());
        assertThat(dir.resolve("unet/model.onnx_data")).isNotEmptyFile();
        try (StableDiffusionModel model = StableDiffusionModel.load(dir, CPU)) {
            assertThat(model.unet().inChannels()).isEqualTo(4);
        }
    }

    @Test
    void a_scalar_timestep_model_refuses_different_timesteps_in_one_batch() throws IOException {
        TinyStableDiffusion.generate(dir, Options.builder().timestep(Options.Timestep.FLOAT_SCALAR).build());
        try (StableDiffusionModel model = StableDiffusionModel.load(dir, CPU)) {
            assertThat(model.unet().scalarTimestep()).isTrue();
            float[] context = new float[2 * 77 * 32];
            UNetInput in = new UNetInput(new Latents(new float[2 * 4 * 64], 2, 4, 8, 8), new float[] {1, 2},
                    TextStates.of(context, 2, 77));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> model.unet().predict(in))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("unet/model.onnx").hasMessageContaining("one timestep");
        }
    }

    @Test
    void long_prompts_pass_154_tokens_of_context_to_the_unet() throws IOException {
        TinyStableDiffusion.generate(dir, Options.defaults());
        try (StableDiffusionModel model = StableDiffusionModel.load(dir, CPU)) {
            float[] chunk1 = model.textEncoder().encode(prompt(5, 9), 1, 77);
            float[] chunk2 = model.textEncoder().encode(prompt(7, 9), 1, 77);
            float[] out = model.unet().predict(new UNetInput(new Latents(noise(256, 4), 1, 4, 8, 8), new float[] {500},
                    TextStates.of(concat(chunk1, chunk2), 1, 154)));
            assertThat(out).hasSize(256);
            assertFinite(out);
        }
    }

    /** 77 ids CLIP style: start token, {@code words} word ids derived from {@code first}, end token as padding. */
    static int[] prompt(int first, int words) {
        int[] ids = new int[77];
        ids[0] = VOCAB_SIZE - 2;
        for (int i = 1; i <= words; i++) {
            ids[i] = (first * 37 + i * 11) % 500;
        }
        java.util.Arrays.fill(ids, words + 1, 77, VOCAB_SIZE - 1);
        return ids;
    }

    private static final int VOCAB_SIZE = io.sweepfarm.devstack.modelgen.ClipVocabulary.build(400).size();

    static float[] noise(int n, long seed) {
        java.util.Random r = new java.util.Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    static int[] concatIds(int[] a, int[] b) {
        int[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static float[] concat(float[] a, float[] b) {
        float[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static float maxAbsDiff(float[] a, float[] b) {
        float m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    static void assertFinite(float[] values) {
        for (float v : values) {
            assertThat(Float.isFinite(v)).as("finite").isTrue();
        }
    }
}
