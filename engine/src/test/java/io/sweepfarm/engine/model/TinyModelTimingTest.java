package io.sweepfarm.engine.model;

import io.sweepfarm.devstack.modelgen.Options;
import io.sweepfarm.devstack.modelgen.TinyStableDiffusion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Prints timings on one CPU thread; asserts only correctness, never time. */
class TinyModelTimingTest {

    @TempDir
    Path dir;

    @Test
    void a_ten_step_64px_render_equivalent_on_the_tiny_model_is_timed() throws IOException {
        TinyStableDiffusion.generate(dir, Options.defaults());
        long loadStart = System.nanoTime();
        try (StableDiffusionModel model = StableDiffusionModel.load(dir, SessionFactory.cpu(1))) {
            long loaded = System.nanoTime();
            render(model); // warm-up
            long start = System.nanoTime();
            float[] image = render(model);
            long end = System.nanoTime();
            System.out.printf("tiny model, 1 thread: load %.1f ms; 64x64, 10 steps, CFG batch 2 "
                            + "(text encoder x2 + 10 U-Net calls + VAE decode): %.1f ms%n",
                    (loaded - loadStart) / 1e6, (end - start) / 1e6);
            assertThat(image).hasSize(3 * 64 * 64);
        }
    }

    @Test
    void one_bench_unet_step_is_timed() throws IOException {
        TinyStableDiffusion.generate(dir, Options.bench());
        try (StableDiffusionModel model = StableDiffusionModel.load(dir, SessionFactory.cpu(1))) {
            float[] state = model.textEncoder().encode(ModelVariantsTest.prompt(3, 5), 1, 77);
            for (int latent : new int[] {8, 32, 64}) {
                float[] latents = ModelVariantsTest.noise(4 * latent * latent, 1);
                model.unet().predict(latents, 1, 4, latent, latent, new float[] {500}, state, 77);
                int runs = 5;
                long start = System.nanoTime();
                for (int i = 0; i < runs; i++) {
                    model.unet().predict(latents, 1, 4, latent, latent, new float[] {500}, state, 77);
                }
                System.out.printf("bench U-Net, 1 thread, batch 1, %dx%d latents (%dpx): %.1f ms/step%n",
                        latent, latent, latent * 8, (System.nanoTime() - start) / 1e6 / runs);
            }
        }
    }

    private static float[] render(StableDiffusionModel model) {
        float[] uncond = model.textEncoder().encode(ModelVariantsTest.prompt(0, 0), 1, 77);
        float[] cond = model.textEncoder().encode(ModelVariantsTest.prompt(3, 6), 1, 77);
        float[] context = ModelVariantsTest.concat(uncond, cond);
        float[] latents = ModelVariantsTest.noise(4 * 8 * 8, 7);
        for (int step = 0; step < 10; step++) {
            float t = 901 - step * 100;
            float[] both = ModelVariantsTest.concat(latents, latents);
            float[] eps = model.unet().predict(both, 2, 4, 8, 8, new float[] {t, t}, context, 77);
            for (int i = 0; i < latents.length; i++) {
                float guided = eps[i] + 7.5f * (eps[latents.length + i] - eps[i]);
                latents[i] -= 0.1f * guided;
            }
        }
        for (int i = 0; i < latents.length; i++) {
            latents[i] /= model.vaeScalingFactor();
        }
        return model.vaeDecoder().decode(latents, 1, 8, 8);
    }
}
