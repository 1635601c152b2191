package io.sweepfarm.engine.scheduler;

import io.sweepfarm.engine.noise.NoiseGenerator;
import io.sweepfarm.engine.noise.TorchCpuNoise;

/**
 * The inputs and loops of diffusers' scheduler tests ({@code tests/schedulers/test_schedulers.py},
 * {@code SchedulerCommonTest}, repository huggingface/diffusers at 58eb52c0803ea9af3abec60841c2a093bdf1f951), as
 * summarised in Sweepfarm's refdata {@code diffusers-schedulers.md} section A.1.
 */
final class DiffusersDummies {

    static final int BATCH = 4;

    private DiffusersDummies() {
    }

    /** {@code dummy_sample_deter}: arange(768) reshaped (3,8,8,4), divided by 768, permuted to (4,3,8,8). */
    static float[] sample() {
        return deter(false, 8);
    }

    /** {@code dummy_noise_deter}: the same with the arange flipped (not random). */
    static float[] noise() {
        return deter(true, 8);
    }

    /** The 1-D variant of UniPCMultistepScheduler1DTest, shape (4,3,8). */
    static float[] sample1d() {
        return deter(false, 1);
    }

    static float[] noise1d() {
        return deter(true, 1);
    }

    private static float[] deter(boolean flip, int height) {
        int c = 3;
        int w = 8;
        int n = BATCH * c * height * w;
        float[] out = new float[n];
        int pos = 0;
        for (int b = 0; b < BATCH; b++) {
            for (int ci = 0; ci < c; ci++) {
                for (int h = 0; h < height; h++) {
                    for (int wi = 0; wi < w; wi++) {
                        int k = ((ci * height + h) * w + wi) * BATCH + b;
                        out[pos++] = (float) (flip ? n - 1 - k : k) / (float) n;
                    }
                }
            }
        }
        return out;
    }

    /** {@code dummy_model}: {@code sample * t / (t + 1)} in float32; a new array. */
    static float[] model(float[] sample, float t) {
        float[] out = new float[sample.length];
        for (int k = 0; k < out.length; k++) {
            out[k] = sample[k] * t / (t + 1f);
        }
        return out;
    }

    /** The loop of the DDIM/PNDM/DPM/UniPC/DDPM tests: model on the latent, step, from the begin index on. */
    static float[] plainLoop(Sampler sampler, float[] sample, StepNoise noise) {
        float[] ts = sampler.timesteps();
        for (int i = sampler.beginIndex(); i < ts.length; i++) {
            sampler.step(model(sample, ts[i]), i, sample, noise);
        }
        return sample;
    }

    static float[] plainLoop(Sampler sampler, float[] sample) {
        return plainLoop(sampler, sample, StepNoise.NONE);
    }

    /**
     * The loop of the LMS/Euler/EulerA/Heun tests, quirk included: the SCALED sample overwrites the latent and is
     * what goes into {@code step}.
     */
    static float[] scaledLoop(Sampler sampler, float[] sample, StepNoise noise) {
        float[] ts = sampler.timesteps();
        for (int i = sampler.beginIndex(); i < ts.length; i++) {
            sample = sampler.scaleModelInput(sample, i);
            sampler.step(model(sample, ts[i]), i, sample, noise);
        }
        return sample;
    }

    static float[] scaledLoop(Sampler sampler, float[] sample) {
        return scaledLoop(sampler, sample, StepNoise.NONE);
    }

    /** One generator over the whole tensor, as {@code torch.randn(shape, generator=torch.manual_seed(0))}. */
    static StepNoise torchSeed0() {
        NoiseGenerator g = TorchCpuNoise.INSTANCE.generator(0);
        return out -> g.randn(out, 0, out.length);
    }

    static float[] scaled(float[] x, float s) {
        float[] out = new float[x.length];
        for (int k = 0; k < out.length; k++) {
            out[k] = x[k] * s;
        }
        return out;
    }

    /** {@code torch.sum(torch.abs(x))}, accumulated in double (torch sums float32 pairwise; far inside tolerances). */
    static double absSum(float[] x) {
        double s = 0;
        for (float v : x) {
            s += Math.abs(v);
        }
        return s;
    }

    /** {@code torch.mean(torch.abs(x))}. */
    static double absMean(float[] x) {
        return absSum(x) / x.length;
    }
}
