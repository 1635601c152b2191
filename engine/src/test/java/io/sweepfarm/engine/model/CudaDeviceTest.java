package io.sweepfarm.engine.model;

import io.sweepfarm.devstack.modelgen.Options;
import io.sweepfarm.devstack.modelgen.TinyStableDiffusion;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

class CudaDeviceTest {

    @TempDir
    Path dir;

    @Test
    void cuda_without_a_gpu_fails_and_tells_the_operator_what_is_missing() throws IOException {
        assumeFalse(Files.exists(Path.of("/dev/nvidia0")), "this host has an NVIDIA GPU");
        TinyStableDiffusion.generate(dir, Options.defaults());
        assertThatThrownBy(() -> StableDiffusionModel.load(dir, new SessionFactory(DeviceSpec.parse("cuda:0"), 1)))
                .isInstanceOf(DeviceUnavailableException.class)
                .hasMessageContaining("cuda:0")
                .hasMessageContaining("CUDA 12")
                .hasMessageContaining("cuDNN 9")
                .hasMessageContaining("LD_LIBRARY_PATH")
                .hasMessageContaining("onnxruntime_gpu")
                .hasMessageContaining("'cpu'");
    }

    @Test
    @Tag("gpu")
    void the_tiny_model_runs_on_cuda_0() throws IOException {
        TinyStableDiffusion.generate(dir, Options.builder().float16(true).build());
        try (StableDiffusionModel model = StableDiffusionModel.load(dir, new SessionFactory(DeviceSpec.cuda(0), 1))) {
            float[] state = model.textEncoder().encode(ModelVariantsTest.prompt(3, 5), 1, 77);
            float[] out = model.unet().predict(new UNetInput(new Latents(ModelVariantsTest.noise(256, 1), 1, 4, 8, 8),
                    new float[] {500},
                    TextStates.of(state, 1, 77)));
            ModelVariantsTest.assertFinite(out);
            assertThat(model.vaeDecoder().decode(out, 1, 8, 8)).hasSize(3 * 64 * 64);
        }
    }
}
