package io.sweepfarm.engine.scheduler;

import java.util.Arrays;

/**
 * Base of the sigma-parameterised ("k-diffusion") samplers: latents live at noise level sigma, the model sees
 * {@code x / sqrt(sigma^2 + 1)}, and img2img noising is {@code x + sigma * noise}. Per-element work is float32.
 */
abstract class SigmaSampler extends RunState {

    /** sigma of call i at index i; one more entry than {@link #timesteps}. */
    protected final float[] sigmas;
    private final float[] timesteps;
    private final float initNoiseSigma;
    protected final String predictionType;

    SigmaSampler(float[] timesteps, float[] sigmas, float initNoiseSigma, String predictionType, int batchSize) {
        super(timesteps.length, batchSize);
        this.timesteps = timesteps;
        this.sigmas = sigmas;
        this.initNoiseSigma = initNoiseSigma;
        this.predictionType = predictionType;
    }

    @Override
    public float[] timesteps() {
        return timesteps.clone();
    }

    /** The sigmas of this run (length = number of calls + 1), a copy. */
    public float[] sigmas() {
        return sigmas.clone();
    }

    @Override
    public float initNoiseSigma() {
        return initNoiseSigma;
    }

    @Override
    public float[] addNoise(float[] original, float[] noise, int i) {
        float sigma = sigmas[i];
        float[] out = new float[original.length];
        for (int k = 0; k < out.length; k++) {
            out[k] = original[k] + noise[k] * sigma;
        }
        return out;
    }

    @Override
    public float[] scaleModelInput(float[] sample, int i) {
        float sigma = sigmas[i];
        float div = (float) Math.sqrt(sigma * sigma + 1f);
        float[] out = new float[sample.length];
        for (int k = 0; k < out.length; k++) {
            out[k] = sample[k] / div;
        }
        return out;
    }

    /** The denoised estimate x0 at noise level {@code sigma}; a new array. */
    protected final float[] predictOriginal(float[] model, float[] sample, float sigma) {
        float[] x0 = new float[sample.length];
        switch (predictionType) {
            case "epsilon" -> {
                for (int k = 0; k < x0.length; k++) {
                    x0[k] = sample[k] - sigma * model[k];
                }
            }
            case "v_prediction" -> {
                float s2 = sigma * sigma + 1f;
                float c = -sigma / (float) Math.sqrt(s2);
                for (int k = 0; k < x0.length; k++) {
                    x0[k] = model[k] * c + sample[k] / s2;
                }
            }
            case "sample" -> System.arraycopy(model, 0, x0, 0, x0.length);
            default -> throw new IllegalArgumentException("unsupported prediction_type: " + predictionType);
        }
        return x0;
    }

    /** {@code (sample - x0) / sigma}, the ODE derivative; a new array. */
    protected static float[] derivative(float[] sample, float[] x0, float sigma) {
        float[] d = new float[sample.length];
        for (int k = 0; k < d.length; k++) {
            d[k] = (sample[k] - x0[k]) / sigma;
        }
        return d;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + Arrays.toString(timesteps);
    }
}
