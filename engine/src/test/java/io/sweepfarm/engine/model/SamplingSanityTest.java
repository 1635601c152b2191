package io.sweepfarm.engine.model;

import io.sweepfarm.devstack.modelgen.Options;
import io.sweepfarm.devstack.modelgen.TinyStableDiffusion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A guided Euler run over the tiny model stays numerically sane, so pipeline tests on it produce
 * real-looking (not flat, not saturated) images. The schedule is SD 1.5's scaled_linear betas
 * (0.00085..0.012 over 1000 steps, huggingface/diffusers schedulers/scheduling_euler_discrete.py).
 */
class SamplingSanityTest {

    @TempDir
    Path dir;

    @Test
    void twenty_guided_euler_steps_give_sane_latents_and_a_non_flat_image() throws IOException {
        TinyStableDiffusion.generate(dir, Options.defaults());
        try (StableDiffusionModel model = StableDiffusionModel.load(dir, SessionFactory.cpu(1))) {
            float[] cat = sample(model, 3);
            float[] dog = sample(model, 4);
            assertThat(ModelVariantsTest.maxAbsDiff(cat, dog)).as("prompts change the image").isGreaterThan(0.05f);
            for (float[] image : new float[][] {cat, dog}) {
                ModelVariantsTest.assertFinite(image);
                double mean = 0;
                double sq = 0;
                int saturated = 0;
                for (float v : image) {
                    mean += v;
                    sq += v * v;
                    saturated += Math.abs(v) > 0.98f ? 1 : 0;
                }
                mean /= image.length;
                double std = Math.sqrt(sq / image.length - mean * mean);
                assertThat(std).isBetween(0.1, 0.8);
                assertThat(saturated).isLessThan(image.length / 10);
            }
        }
    }

    private static float[] sample(StableDiffusionModel model, int prompt) {
        double[] alphasCumprod = new double[1000];
        double prod = 1;
        for (int i = 0; i < 1000; i++) {
            double beta = Math.pow(Math.sqrt(0.00085) + (Math.sqrt(0.012) - Math.sqrt(0.00085)) * i / 999, 2);
            prod *= 1 - beta;
            alphasCumprod[i] = prod;
        }
        float[] context = ModelVariantsTest.concat(model.textEncoder().encode(ModelVariantsTest.prompt(0, 0), 1, 77),
                model.textEncoder().encode(ModelVariantsTest.prompt(prompt, 6), 1, 77));
        int steps = 20;
        float[] x = ModelVariantsTest.noise(256, 5);
        double sigmaMax = sigma(alphasCumprod, 999);
        for (int i = 0; i < x.length; i++) {
            x[i] *= (float) sigmaMax;
        }
        for (int k = 0; k < steps; k++) {
            int t = 999 - k * (999 / (steps - 1));
            double s = sigma(alphasCumprod, t);
            double next = k + 1 < steps ? sigma(alphasCumprod, 999 - (k + 1) * (999 / (steps - 1))) : 0;
            float[] in = new float[512];
            for (int i = 0; i < 256; i++) {
                in[i] = (float) (x[i] / Math.sqrt(s * s + 1));
                in[256 + i] = in[i];
            }
            float[] eps = model.unet().predict(new UNetInput(new Latents(in, 2, 4, 8, 8), new float[] {t, t},
                    TextStates.of(context, 2, 77)));
            for (int i = 0; i < 256; i++) {
                x[i] += (float) ((next - s) * (eps[i] + 7.5f * (eps[256 + i] - eps[i])));
            }
        }
        for (int i = 0; i < x.length; i++) {
            x[i] /= model.vaeScalingFactor();
        }
        return model.vaeDecoder().decode(x, 1, 8, 8);
    }

    private static double sigma(double[] alphasCumprod, int t) {
        return Math.sqrt((1 - alphasCumprod[t]) / alphasCumprod[t]);
    }
}
