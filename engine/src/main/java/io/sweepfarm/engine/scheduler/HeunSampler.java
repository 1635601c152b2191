package io.sweepfarm.engine.scheduler;

/**
 * Heun's second-order method (diffusers {@code HeunDiscreteScheduler}): two model calls per step, so every
 * timestep after the first appears twice and {@link #order()} is 2; the final step (to sigma 0) is a plain Euler
 * step. Beta defaults are 0.00085..0.012, unlike the other samplers.
 */
public final class HeunSampler extends SigmaSampler {

    private final float clipRange;
    private float[] prevDerivative;
    private float[] firstSample;
    private float dt;

    private HeunSampler(float[] timesteps, float[] sigmas, float initNoiseSigma, String predictionType,
                        int batchSize, float clipRange) {
        super(timesteps, sigmas, initNoiseSigma, predictionType, batchSize);
        this.clipRange = clipRange;
    }

    static HeunSampler create(SchedulerConfig c, int steps, int batchSize) {
        NoiseSchedule schedule = NoiseSchedule.of(c, 0.00085, 0.012, false);
        KSchedule s = KSchedule.build(c, schedule, steps, SchedulerConfig.or(c.useKarrasSigmas(), false), false,
                false);
        float[] ts = s.timesteps();
        float[] sg = s.sigmas();
        int n = ts.length;
        float[] calls = new float[2 * n - 1];
        float[] callSigmas = new float[2 * n];
        calls[0] = ts[0];
        callSigmas[0] = sg[0];
        for (int j = 1; j < n; j++) {
            calls[2 * j - 1] = ts[j];
            calls[2 * j] = ts[j];
            callSigmas[2 * j - 1] = sg[j];
            callSigmas[2 * j] = sg[j];
        }
        callSigmas[2 * n - 1] = sg[n];
        boolean clip = SchedulerConfig.or(c.clipSample(), false);
        float range = clip ? SchedulerConfig.or(c.clipSampleRange(), 1.0).floatValue() : Float.NaN;
        return new HeunSampler(calls, callSigmas, s.initNoiseSigma(),
                predictionType(c), batchSize, range);
    }

    @Override
    public int order() {
        return 2;
    }

    @Override
    public void step(float[] modelOutput, int i, float[] sample, StepNoise noise) {
        advance(i);
        boolean firstOrder = prevDerivative == null;
        float sigma = firstOrder ? sigmas[i] : sigmas[i - 1];
        float sigmaNext = firstOrder ? sigmas[i + 1] : sigmas[i];
        float[] x0 = predictOriginal(modelOutput, sample, firstOrder ? sigma : sigmaNext);
        if (!Float.isNaN(clipRange)) {
            for (int k = 0; k < x0.length; k++) {
                x0[k] = Math.max(-clipRange, Math.min(clipRange, x0[k]));
            }
        }
        if (firstOrder) {
            float[] d = derivative(sample, x0, sigma);
            dt = sigmaNext - sigma;
            prevDerivative = d;
            firstSample = sample.clone();
            for (int k = 0; k < sample.length; k++) {
                sample[k] = sample[k] + d[k] * dt;
            }
        } else {
            for (int k = 0; k < sample.length; k++) {
                float d = (sample[k] - x0[k]) / sigmaNext;
                d = (prevDerivative[k] + d) / 2f;
                sample[k] = firstSample[k] + d * dt;
            }
            prevDerivative = null;
            firstSample = null;
        }
    }
}
