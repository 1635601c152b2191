package io.sweepfarm.engine.scheduler;

/**
 * DDIM (diffusers {@code DDIMScheduler}). Deterministic for eta = 0 (the default); for eta &gt; 0 it draws noise on
 * every step. The step after the last timestep uses {@code final_alpha_cumprod} (1 when {@code set_alpha_to_one},
 * else alphas_cumprod[0]).
 */
public final class DdimSampler extends AlphaSampler {

    private final float finalAlphaCumprod;
    private final int stepRatio;
    private final X0Clipping clipping;
    private final float eta;
    private float[] noiseBuffer;

    private DdimSampler(NoiseSchedule schedule, int[] timesteps, String predictionType, int batchSize,
                        boolean setAlphaToOne, int stepRatio, X0Clipping clipping, float eta) {
        super(schedule, timesteps, predictionType, batchSize);
        this.finalAlphaCumprod = setAlphaToOne ? 1f : alphasCumprod[0];
        this.stepRatio = stepRatio;
        this.clipping = clipping;
        this.eta = eta;
    }

    /** A DDIM run with eta = 0. */
    static DdimSampler create(SchedulerConfig c, int steps, int batchSize) {
        return create(c, steps, batchSize, 0f);
    }

    /** A DDIM run with the given eta (noise is drawn through {@link StepNoise} when eta &gt; 0). */
    public static DdimSampler create(SchedulerConfig c, int steps, int batchSize, float eta) {
        NoiseSchedule schedule = NoiseSchedule.of(c, 0.0001, 0.02, false);
        int numTrain = schedule.numTrainTimesteps();
        return new DdimSampler(schedule, spacedTimesteps(c, numTrain, steps),
                predictionType(c), batchSize,
                SchedulerConfig.or(c.setAlphaToOne(), true), numTrain / steps, X0Clipping.of(c, true), eta);
    }

    private float alphaPrev(int prevTimestep) {
        return prevTimestep >= 0 ? alphasCumprod[prevTimestep] : finalAlphaCumprod;
    }

    /** diffusers' {@code _get_variance(t, prev_t)}: the DDPM posterior variance between the two timesteps. */
    float variance(int timestep, int prevTimestep) {
        float acT = alphasCumprod[timestep];
        float acPrev = alphaPrev(prevTimestep);
        return ((1f - acPrev) / (1f - acT)) * (1f - acT / acPrev);
    }

    @Override
    public void step(float[] modelOutput, int i, float[] sample, StepNoise noise) {
        advance(i);
        int t = timesteps[i];
        int prevT = t - stepRatio;
        float acT = alphasCumprod[t];
        float acPrev = alphaPrev(prevT);
        float[] x0 = predictOriginal(modelOutput, sample, acT);
        float sa = (float) Math.sqrt(acT);
        float sb = (float) Math.sqrt(1f - acT);
        float[] eps = new float[sample.length];
        switch (predictionType) {
            case "epsilon" -> System.arraycopy(modelOutput, 0, eps, 0, eps.length);
            case "sample" -> {
                for (int k = 0; k < eps.length; k++) {
                    eps[k] = (sample[k] - sa * x0[k]) / sb;
                }
            }
            default -> {
                for (int k = 0; k < eps.length; k++) {
                    eps[k] = sa * modelOutput[k] + sb * sample[k];
                }
            }
        }
        clipping.apply(x0, batchSize());
        float std = eta * (float) Math.sqrt(variance(t, prevT));
        float dirCoeff = (float) Math.sqrt(1f - acPrev - std * std);
        float x0Coeff = (float) Math.sqrt(acPrev);
        for (int k = 0; k < sample.length; k++) {
            sample[k] = x0Coeff * x0[k] + dirCoeff * eps[k];
        }
        if (eta > 0) {
            if (noiseBuffer == null || noiseBuffer.length != sample.length) {
                noiseBuffer = new float[sample.length];
            }
            noise.fill(noiseBuffer);
            for (int k = 0; k < sample.length; k++) {
                sample[k] = sample[k] + std * noiseBuffer[k];
            }
        }
    }
}
