package io.sweepfarm.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sweepfarm.devstack.modelgen.Options;
import io.sweepfarm.devstack.modelgen.TinyStableDiffusion;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SDXL wrappers' I/O on tiny models in the optimum SDXL layout (text_encoder_2, text_embeds, time_ids). */
class SdxlModelTest {

    @TempDir
    Path dir;

    @Test
    void bothTextEncodersGiveTheirPenultimateLayerAndTheSecondItsPooledEmbedding() throws IOException {
        TinyStableDiffusion.generate(dir, Options.builder().family(Options.Family.SDXL).build());
        try (StableDiffusionModel m = StableDiffusionModel.load(dir, SessionFactory.cpu(1))) {
            int[] ids = ModelVariantsTest.prompt(3, 6);
            int[] two = ModelVariantsTest.concatIds(ids, ModelVariantsTest.prompt(4, 2));
            TextEncoder.Encoded a = m.textEncoder().encodePenultimate(two, 2, 77);
            TextEncoder.Encoded b = m.textEncoder2().encodePenultimate(two, 2, 77);
            assertThat(a.width()).isEqualTo(32);
            assertThat(a.hidden()).hasSize(2 * 77 * 32);
            assertThat(b.width()).isEqualTo(48);
            assertThat(b.pooledWidth()).isEqualTo(48);
            assertThat(b.pooled()).hasSize(2 * 48);
            // the penultimate layer is not the final (layer-normed) state
            float[] last = m.textEncoder2().encode(two, 2, 77);
            assertThat(ModelVariantsTest.maxAbsDiff(last, b.hidden())).isGreaterThan(1e-3f);
            // rows are independent
            TextEncoder.Encoded alone = m.textEncoder2().encodePenultimate(ids, 1, 77);
            assertThat(ModelVariantsTest.maxAbsDiff(alone.hidden(), Arrays.copyOf(b.hidden(), 77 * 48)))
                    .isLessThan(1e-5f);
            assertThat(ModelVariantsTest.maxAbsDiff(alone.pooled(), Arrays.copyOf(b.pooled(), 48))).isLessThan(1e-5f);
        }
    }

    @Test
    void theUnetNeedsItsAddedConditionsAndTheTimeIdsChangeItsPrediction() throws IOException {
        TinyStableDiffusion.generate(dir, Options.builder().family(Options.Family.SDXL).build());
        try (StableDiffusionModel m = StableDiffusionModel.load(dir, SessionFactory.cpu(1))) {
            assertThat(m.unet().takesAddedConditions()).isTrue();
            assertThat(m.unet().textEmbedsWidth()).isEqualTo(48);
            TextStates context = TextStates.of(ModelVariantsTest.noise(77 * 80, 2), 1, 77);
            UNetInput in = new UNetInput(new Latents(ModelVariantsTest.noise(256, 1), 1, 4, 8, 8),
                    new float[] {500}, context);
            assertThatThrownBy(() -> m.unet().predict(in)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("text_embeds");
            float[] embeds = ModelVariantsTest.noise(48, 3);
            float[] square = m.unet().predict(in.withAdded(embeds, new float[] {64, 64, 0, 0, 64, 64}));
            float[] cropped = m.unet().predict(in.withAdded(embeds, new float[] {1024, 1024, 32, 32, 64, 64}));
            assertThat(square).hasSize(256);
            ModelVariantsTest.assertFinite(square);
            assertThat(ModelVariantsTest.maxAbsDiff(square, cropped)).isGreaterThan(1e-4f);
        }
    }

    @Test
    void aRefinerFolderHasOnlyTheSecondEncoderAndFiveTimeIds() throws IOException {
        TinyStableDiffusion.generate(dir, Options.builder().family(Options.Family.SDXL_REFINER).build());
        try (StableDiffusionModel m = StableDiffusionModel.load(dir, SessionFactory.cpu(1))) {
            assertThat(m.family()).isEqualTo(StableDiffusionModel.Family.SDXL_REFINER);
            assertThat(m.textEncoder()).isNull();
            assertThat(m.hiddenSize()).isEqualTo(48);
            assertThat(m.unet().timeIdsWidth()).isEqualTo(5);
            assertThat(m.requiresAestheticsScore()).isTrue();
            assertThat(m.forceZerosForEmptyPrompt()).isFalse();
        }
    }

    @Test
    void anSdxlEncoderExportedWithoutHiddenStatesIsRefusedNamingTheFile() throws IOException {
        TinyStableDiffusion.generate(dir, Options.defaults());
        try (StableDiffusionModel m = StableDiffusionModel.load(dir, SessionFactory.cpu(1))) {
            assertThat(m.textEncoder().exportsHiddenStates()).isFalse();
            assertThatThrownBy(() -> m.textEncoder().encodePenultimate(ModelVariantsTest.prompt(1, 1), 1, 77))
                    .isInstanceOf(ModelLoadException.class).hasMessageContaining("text_encoder/model.onnx")
                    .hasMessageContaining("hidden_states");
        }
    }
}
