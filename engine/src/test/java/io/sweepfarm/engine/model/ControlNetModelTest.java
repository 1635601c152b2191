package io.sweepfarm.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sweepfarm.devstack.modelgen.Options;
import io.sweepfarm.devstack.modelgen.TinyStableDiffusion;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ControlNet wrapper and a U-Net with residual inputs, on tiny models in that export layout. */
class ControlNetModelTest {

    @TempDir
    Path dir;

    @Test
    void aControlNetGivesScaledResidualsTheUnetTakes() throws IOException {
        Options o = Options.builder().controlNet(true).unetBlocks(2).build();
        TinyStableDiffusion.generate(dir.resolve("model"), o);
        TinyStableDiffusion.generateControlNet(dir.resolve("net"), o);
        SessionFactory cpu = SessionFactory.cpu(1);
        try (StableDiffusionModel m = StableDiffusionModel.load(dir.resolve("model"), cpu);
                ControlNet net = new ControlNet(cpu, dir.resolve("net/model.onnx"), "net/model.onnx")) {
            assertThat(m.unet().residualInputs()).isEqualTo(3);
            assertThat(net.downResiduals()).isEqualTo(3);
            TextStates text = TextStates.of(m.textEncoder().encode(ModelVariantsTest.prompt(3, 4), 1, 77), 1, 77);
            UNetInput in = new UNetInput(new Latents(ModelVariantsTest.noise(256, 1), 1, 4, 8, 8),
                    new float[] {400}, text);
            Latents image = new Latents(ModelVariantsTest.noise(3 * 64 * 64, 2), 1, 3, 64, 64);
            Residuals one = net.run(in, image, 1f);
            Residuals half = net.run(in, image, 0.5f);
            assertThat(one.down()).hasSize(3);
            assertThat(one.mid().channels()).isEqualTo(16);
            assertThat(one.down().get(2).height()).isEqualTo(8);
            for (int i = 0; i < one.mid().data().length; i++) {
                assertThat(half.mid().data()[i]).isEqualTo(one.mid().data()[i] * 0.5f);
            }
            float[] guided = m.unet().predict(in.withResiduals(one));
            float[] plain = m.unet().predict(in.withResiduals(one.zeros()));
            assertThat(ModelVariantsTest.maxAbsDiff(guided, plain)).isGreaterThan(1e-3f);
            assertThat(one.plus(one.zeros()).mid().data()).containsExactly(one.mid().data());
            assertThatThrownBy(() -> m.unet().predict(in)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("needs its residuals");
        }
    }

    @Test
    void aPlainUnetRefusesResiduals() throws IOException {
        Options o = Options.builder().controlNet(true).build();
        TinyStableDiffusion.generate(dir.resolve("plain"), Options.defaults());
        TinyStableDiffusion.generateControlNet(dir.resolve("net"), o);
        SessionFactory cpu = SessionFactory.cpu(1);
        try (StableDiffusionModel m = StableDiffusionModel.load(dir.resolve("plain"), cpu);
                ControlNet net = new ControlNet(cpu, dir.resolve("net/model.onnx"), "net/model.onnx")) {
            TextStates text = TextStates.of(m.textEncoder().encode(ModelVariantsTest.prompt(3, 4), 1, 77), 1, 77);
            UNetInput in = new UNetInput(new Latents(ModelVariantsTest.noise(256, 1), 1, 4, 8, 8),
                    new float[] {400}, text);
            Residuals r = net.run(in, new Latents(new float[3 * 64 * 64], 1, 3, 64, 64), 1f);
            assertThat(m.unet().residualInputs()).isZero();
            assertThatThrownBy(() -> m.unet().predict(in.withResiduals(r)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no ControlNet residuals");
        }
    }
}
