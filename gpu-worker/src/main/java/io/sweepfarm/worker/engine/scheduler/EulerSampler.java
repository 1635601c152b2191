package io.sweepfarm.worker.engine.scheduler;

/**
 * Euler's method on the probability-flow ODE (diffusers {@code EulerDiscreteScheduler}, s_churn = 0, so it
 * never draws noise). Supports Karras sigmas, {@code final_sigmas_type} and {@code interpolation_type}.
 */
public final class EulerSampler extends SigmaSampler {

    EulerSampler(KSchedule s, String predictionType, int batchSize) {
        super(s.timesteps(), s.sigmas(), s.initNoiseSigma(), predictionType, batchSize);
    }

    static EulerSampler create(SchedulerConfig c, int steps, int batchSize) {
        NoiseSchedule schedule = NoiseSchedule.of(c, 0.0001, 0.02, true);
        String interpolation = SchedulerConfig.or(c.interpolationType(), "linear");
        if (!interpolation.equals("linear") && !interpolation.equals("log_linear")) {
            throw new IllegalArgumentException("unsupported interpolation_type: " + interpolation);
        }
        if ("continuous".equals(c.timestepType())) {
            throw new IllegalArgumentException("timestep_type=continuous is not supported");
        }
        boolean sigmaMin = "sigma_min".equals(SchedulerConfig.or(c.finalSigmasType(), "zero"));
        KSchedule s = KSchedule.build(c, schedule, steps, SchedulerConfig.or(c.useKarrasSigmas(), false), sigmaMin,
                interpolation.equals("log_linear"));
        return new EulerSampler(s, predictionType(c), batchSize);
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
