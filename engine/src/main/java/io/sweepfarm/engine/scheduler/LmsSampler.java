package io.sweepfarm.engine.scheduler;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;

/**
 * Linear multistep (diffusers {@code LMSDiscreteScheduler}, order 4). The coefficient of each past derivative is
 * the integral of its Lagrange basis polynomial over [sigma_i, sigma_i+1]; diffusers integrates numerically with
 * scipy's quad, here the polynomial is integrated exactly in double (differences are far below test tolerances).
 */
public final class LmsSampler extends SigmaSampler {

    private static final int ORDER = 4;
    private final Deque<float[]> derivatives = new ArrayDeque<>();

    private LmsSampler(KSchedule s, String predictionType, int batchSize) {
        super(s.timesteps(), s.sigmas(), s.initNoiseSigma(), predictionType, batchSize);
    }

    static LmsSampler create(SchedulerConfig c, int steps, int batchSize) {
        NoiseSchedule schedule = NoiseSchedule.of(c, 0.0001, 0.02, false);
        KSchedule s = KSchedule.build(c, schedule, steps, SchedulerConfig.or(c.useKarrasSigmas(), false), false,
                false);
        return new LmsSampler(s, predictionType(c), batchSize);
    }

    @Override
    public void step(float[] modelOutput, int i, float[] sample, StepNoise noise) {
        advance(i);
        float sigma = sigmas[i];
        float[] x0 = predictOriginal(modelOutput, sample, sigma);
        derivatives.addFirst(derivative(sample, x0, sigma));
        if (derivatives.size() > ORDER) {
            derivatives.removeLast();
        }
        // as diffusers: the polynomial's order follows the absolute step index, but only the derivatives of
        // this run are summed (fewer than the order right after an img2img start)
        int order = Math.min(i + 1, ORDER);
        int used = Math.min(order, derivatives.size());
        float[] acc = new float[sample.length];
        Iterator<float[]> it = derivatives.iterator();
        for (int j = 0; j < used; j++) {
            float c = (float) coefficient(order, i, j);
            float[] d = it.next();
            for (int k = 0; k < acc.length; k++) {
                acc[k] += c * d[k];
            }
        }
        for (int k = 0; k < sample.length; k++) {
            sample[k] = sample[k] + acc[k];
        }
    }

    /** Integral over [sigma_t, sigma_t+1] of prod_{k != j} (tau - sigma_{t-k}) / (sigma_{t-j} - sigma_{t-k}). */
    double coefficient(int order, int t, int j) {
        double[] poly = {1.0};
        for (int k = 0; k < order; k++) {
            if (k == j) {
                continue;
            }
            double root = sigmas[t - k];
            double denom = (double) sigmas[t - j] - root;
            double[] next = new double[poly.length + 1];
            for (int p = 0; p < poly.length; p++) {
                next[p + 1] += poly[p] / denom;
                next[p] -= poly[p] * root / denom;
            }
            poly = next;
        }
        return antiderivative(poly, sigmas[t + 1]) - antiderivative(poly, sigmas[t]);
    }

    private static double antiderivative(double[] poly, double x) {
        double sum = 0;
        for (int p = poly.length - 1; p >= 0; p--) {
            sum = sum * x + poly[p] / (p + 1);
        }
        return sum * x;
    }
}
