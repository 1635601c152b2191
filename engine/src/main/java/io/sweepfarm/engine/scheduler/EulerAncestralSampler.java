package io.sweepfarm.engine.scheduler;

/**
 * Ancestral Euler (diffusers {@code EulerAncestralDiscreteScheduler}, A1111 "Euler a"): an Euler step down to
 * sigma_down, then fresh noise scaled by sigma_up. Draws noise on every step, the last included (where
 * sigma_up = 0), as diffusers does, so generator streams stay aligned. Ignores {@code use_karras_sigmas}, like
 * diffusers.
 */
public final class EulerAncestralSampler extends SigmaSampler {

    private float[] noiseBuffer;

    private EulerAncestralSampler(KSchedule s, String predictionType, int batchSize) {
        super(s.timesteps(), s.sigmas(), s.initNoiseSigma(), predictionType, batchSize);
        if (predictionType.equals("sample")) {
            throw new IllegalArgumentException("prediction_type=sample is not supported by Euler a (as in diffusers)");
        }
    }

    static EulerAncestralSampler create(SchedulerConfig c, int steps, int batchSize) {
        NoiseSchedule schedule = NoiseSchedule.of(c, 0.0001, 0.02, true);
        KSchedule s = KSchedule.build(c, schedule, steps, false, false, false);
        return new EulerAncestralSampler(s, predictionType(c), batchSize);
    }

    @Override
    public void step(float[] modelOutput, int i, float[] sample, StepNoise noise) {
        advance(i);
        float sigma = sigmas[i];
        float[] x0 = predictOriginal(modelOutput, sample, sigma);
        float from2 = sigma * sigma;
        float to2 = sigmas[i + 1] * sigmas[i + 1];
        float sigmaUp = (float) Math.sqrt(to2 * (from2 - to2) / from2);
        float sigmaDown = (float) Math.sqrt(to2 - sigmaUp * sigmaUp);
        float dt = sigmaDown - sigma;
        if (noiseBuffer == null || noiseBuffer.length != sample.length) {
            noiseBuffer = new float[sample.length];
        }
        noise.fill(noiseBuffer);
        for (int k = 0; k < sample.length; k++) {
            float d = (sample[k] - x0[k]) / sigma;
            float prev = sample[k] + d * dt;
            sample[k] = prev + noiseBuffer[k] * sigmaUp;
        }
    }
}
