package io.sweepfarm.engine.scheduler;

/**
 * Euler's method on the probability-flow ODE (diffusers {@code EulerDiscreteScheduler}, s_churn = 0, so it
 * never draws noise). Supports Karras sigmas, {@code final_sigmas_type} and {@code interpolation_type}.
 */
public final class EulerSampler extends SigmaSampler {

    EulerSampler(KSchedule s, String predictionType, int batchSize) {
        super(s.timesteps(), s.sigmas(), s.initNoiseSigma(), predictionType, batchSize);
    }

    static EulerSampler create(SchedulerConfig c, int steps, int batchSize) {
        return new EulerSampler(KSchedule.build(c, schedule(c), steps, SchedulerConfig.or(c.useKarrasSigmas(), false),
                finalSigmaMin(c), logLinear(c)), predictionType(c), batchSize);
    }

    /**
     * An Euler run over given descending timesteps (diffusers' {@code set_timesteps(timesteps=...)}); not with
     * Karras sigmas.
     */
    public static EulerSampler withTimesteps(SchedulerConfig c, float[] timesteps, int batchSize) {
        if (SchedulerConfig.or(c.useKarrasSigmas(), false)) {
            throw new IllegalArgumentException("custom timesteps cannot be combined with use_karras_sigmas");
        }
        double[] ts = new double[timesteps.length];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = timesteps[i];
        }
        return new EulerSampler(KSchedule.fromTimesteps(c, schedule(c), ts, false, finalSigmaMin(c), logLinear(c)),
                predictionType(c), batchSize);
    }

    /** An Euler run over given sigmas, the final one included (diffusers' {@code set_timesteps(sigmas=...)}). */
    public static EulerSampler withSigmas(SchedulerConfig c, float[] sigmas, int batchSize) {
        return new EulerSampler(KSchedule.fromSigmas(c, schedule(c), sigmas), predictionType(c), batchSize);
    }

    private static NoiseSchedule schedule(SchedulerConfig c) {
        if ("continuous".equals(c.timestepType())) {
            throw new IllegalArgumentException("timestep_type=continuous is not supported");
        }
        return NoiseSchedule.of(c, 0.0001, 0.02, true);
    }

    private static boolean finalSigmaMin(SchedulerConfig c) {
        return "sigma_min".equals(SchedulerConfig.or(c.finalSigmasType(), "zero"));
    }

    private static boolean logLinear(SchedulerConfig c) {
        String interpolation = SchedulerConfig.or(c.interpolationType(), "linear");
        if (!interpolation.equals("linear") && !interpolation.equals("log_linear")) {
            throw new IllegalArgumentException("unsupported interpolation_type: " + interpolation);
        }
        return interpolation.equals("log_linear");
    }

    @Override
    public void step(float[] modelOutput, int i, float[] sample, StepNoise noise) {
        advance(i);
        float sigma = sigmas[i];
        float[] x0 = predictOriginal(modelOutput, sample, sigma);
        float dt = sigmas[i + 1] - sigma;
        for (int k = 0; k < sample.length; k++) {
            float d = (sample[k] - x0[k]) / sigma;
            sample[k] = sample[k] + d * dt;
        }
    }
}
