package io.sweepfarm.engine.scheduler;

/**
 * Base of the exponential-integrator multistep solvers (DPM-Solver++, UniPC). They work on integer timesteps with
 * sigmas; {@code alpha_t = 1 / sqrt(sigma^2 + 1)}, {@code sigma_t = sigma * alpha_t}, {@code lambda = log alpha_t -
 * log sigma_t}, all in float32 like diffusers' 0-d tensors. The model sees the latent unscaled; init sigma is 1.
 */
abstract class MultistepSampler extends RunState {

    protected final int[] timesteps;
    /** sigma of call i at index i; one more entry than {@link #timesteps}. */
    protected final float[] sigmas;
    protected final String predictionType;
    protected final X0Clipping clipping;

    MultistepSampler(MultistepSchedule s, String predictionType, X0Clipping clipping, int batchSize) {
        super(s.timesteps().length, batchSize);
        this.timesteps = s.timesteps();
        this.sigmas = s.sigmas();
        this.predictionType = predictionType;
        this.clipping = clipping;
    }

    @Override
    public float[] timesteps() {
        return asFloats(timesteps);
    }

    /** The sigmas of this run (length = number of calls + 1), a copy. */
    public float[] sigmas() {
        return sigmas.clone();
    }

    @Override
    public float initNoiseSigma() {
        return 1f;
    }

    @Override
    public float[] addNoise(float[] original, float[] noise, int i) {
        float sigma = sigmas[i];
        float a = alpha(sigma);
        float s = sigma * a;
        float[] out = new float[original.length];
        for (int k = 0; k < out.length; k++) {
            out[k] = a * original[k] + s * noise[k];
        }
        return out;
    }

    @Override
    public float[] scaleModelInput(float[] sample, int i) {
        return sample.clone();
    }

    static float alpha(float sigma) {
        return 1f / (float) Math.sqrt(sigma * sigma + 1f);
    }

    /** lambda = log(alpha_t) - log(sigma_t) at sigma, in float32. */
    static float lambda(float sigma) {
        float a = alpha(sigma);
        float s = sigma * a;
        return (float) Math.log(a) - (float) Math.log(s);
    }

    /** The data prediction x0 at call {@code i}'s sigma, thresholded if configured; a new array. */
    protected final float[] dataPrediction(float[] model, float[] sample, int i) {
        float sigma = sigmas[i];
        float a = alpha(sigma);
        float[] x0 = predictX0(predictionType, model, sample, a, sigma * a);
        if (clipping.thresholding()) {
            Thresholding.dynamic(x0, batchSize(), clipping.ratio(), clipping.maxValue());
        }
        return x0;
    }

    /** The noise prediction at call {@code i}'s sigma (for the non-"++" DPM-Solver); a new array. */
    protected final float[] noisePrediction(float[] model, float[] sample, int i) {
        float sigma = sigmas[i];
        float a = alpha(sigma);
        float s = sigma * a;
        float[] eps = new float[sample.length];
        switch (predictionType) {
            case "epsilon" -> System.arraycopy(model, 0, eps, 0, eps.length);
            case "v_prediction" -> {
                for (int k = 0; k < eps.length; k++) {
                    eps[k] = a * model[k] + s * sample[k];
                }
            }
            case "sample" -> {
                for (int k = 0; k < eps.length; k++) {
                    eps[k] = (sample[k] - a * model[k]) / s;
                }
            }
            default -> throw new IllegalArgumentException("unsupported prediction_type: " + predictionType);
        }
        if (clipping.thresholding()) {
            float[] x0 = new float[eps.length];
            for (int k = 0; k < x0.length; k++) {
                x0[k] = (sample[k] - s * eps[k]) / a;
            }
            Thresholding.dynamic(x0, batchSize(), clipping.ratio(), clipping.maxValue());
            for (int k = 0; k < x0.length; k++) {
                eps[k] = (sample[k] - a * x0[k]) / s;
            }
        }
        return eps;
    }
}
