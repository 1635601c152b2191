package io.sweepfarm.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.sweepfarm.devstack.modelgen.Options;
import io.sweepfarm.devstack.modelgen.TinyStableDiffusion;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The U-Net wrapper on the wider bench model (the one the benches time): a batched call gives each row what that
 * row gives alone, at the latent sizes the benches use, so guidance batches never mix images.
 */
class UNetBatchTest {

    @TempDir
    Path dir;

    @Test
    void aBatchedCallGivesEachRowWhatItGivesAloneAtEveryBenchedLatentSize() throws IOException {
        TinyStableDiffusion.generate(dir, Options.bench());
        try (StableDiffusionModel model = StableDiffusionModel.load(dir, SessionFactory.cpu(1))) {
            float[] uncond = model.textEncoder().encode(ModelVariantsTest.prompt(0, 0), 1, 77);
            float[] cond = model.textEncoder().encode(ModelVariantsTest.prompt(3, 6), 1, 77);
            for (int size : new int[] {8, 32}) {
                int plane = 4 * size * size;
                float[] a = ModelVariantsTest.noise(plane, size);
                float[] b = ModelVariantsTest.noise(plane, size + 1);
                float[] aAlone = model.unet().predict(new UNetInput(new Latents(a, 1, 4, size, size),
                        new float[] {801}, TextStates.of(uncond, 1, 77)));
                float[] bAlone = model.unet().predict(new UNetInput(new Latents(b, 1, 4, size, size),
                        new float[] {201}, TextStates.of(cond, 1, 77)));
                float[] both = model.unet().predict(new UNetInput(
                        new Latents(ModelVariantsTest.concat(a, b), 2, 4, size, size), new float[] {801, 201},
                        TextStates.of(ModelVariantsTest.concat(uncond, cond), 2, 77)));
                assertThat(both).hasSize(2 * plane);
                ModelVariantsTest.assertFinite(both);
                assertThat(ModelVariantsTest.maxAbsDiff(Arrays.copyOfRange(both, 0, plane), aAlone))
                        .as("row 0 at %dx%d", size, size).isLessThan(1e-4f);
                assertThat(ModelVariantsTest.maxAbsDiff(Arrays.copyOfRange(both, plane, 2 * plane), bAlone))
                        .as("row 1 at %dx%d", size, size).isLessThan(1e-4f);
                assertThat(ModelVariantsTest.maxAbsDiff(aAlone, bAlone)).isGreaterThan(1e-2f);
            }
        }
    }

    @Test
    void aCallWithTheWrongChannelCountIsRefusedNamingTheModel() throws IOException {
        TinyStableDiffusion.generate(dir, Options.defaults());
        try (StableDiffusionModel model = StableDiffusionModel.load(dir, SessionFactory.cpu(1))) {
            float[] state = model.textEncoder().encode(ModelVariantsTest.prompt(1, 2), 1, 77);
            UNetInput nine = new UNetInput(new Latents(new float[9 * 64], 1, 9, 8, 8), new float[] {1},
                    TextStates.of(state, 1, 77));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> model.unet().predict(nine))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unet/model.onnx")
                    .hasMessageContaining("4 latent channels");
        }
    }
}
