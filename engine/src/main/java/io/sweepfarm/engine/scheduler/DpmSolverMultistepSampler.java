package io.sweepfarm.engine.scheduler;

/**
 * Multistep DPM-Solver (diffusers {@code DPMSolverMultistepScheduler}), orders 1 to 3, algorithm types
 * {@code dpmsolver++} (A1111 "DPM++ 2M") and {@code dpmsolver}, solver types midpoint and heun (they differ only at
 * order 2). The SDE variants are not supported. The last step is first order when the final sigma is 0, with
 * {@code euler_at_final}, or with {@code lower_order_final} below 15 steps (which also makes the second-to-last step
 * at most second order).
 */
public final class DpmSolverMultistepSampler extends MultistepSampler {

    private final boolean dataPrediction;
    private final boolean midpoint;
    private final boolean lowerOrderFinal;
    private final boolean eulerAtFinal;
    private final boolean finalSigmaZero;
    private final int solverOrder;
    private float[] m0;
    private float[] m1;
    private float[] m2;
    private int lowerOrderNums;

    private DpmSolverMultistepSampler(MultistepSchedule s, SchedulerConfig c, int batchSize) {
        super(s, predictionType(c), X0Clipping.of(c, false), batchSize);
        String algorithm = SchedulerConfig.or(c.algorithmType(), "dpmsolver++");
        if (!algorithm.equals("dpmsolver++") && !algorithm.equals("dpmsolver")) {
            throw new IllegalArgumentException("unsupported algorithm_type: " + algorithm);
        }
        String solverType = SchedulerConfig.or(c.solverType(), "midpoint");
        if (!solverType.equals("midpoint") && !solverType.equals("heun")) {
            throw new IllegalArgumentException("unsupported solver_type for DPM-Solver: " + solverType);
        }
        this.solverOrder = SchedulerConfig.or(c.solverOrder(), 2);
        if (solverOrder < 1 || solverOrder > 3) {
            throw new IllegalArgumentException("DPM-Solver solver_order must be 1 to 3, got " + solverOrder);
        }
        this.dataPrediction = algorithm.equals("dpmsolver++");
        this.midpoint = solverType.equals("midpoint");
        this.lowerOrderFinal = SchedulerConfig.or(c.lowerOrderFinal(), true);
        this.eulerAtFinal = SchedulerConfig.or(c.eulerAtFinal(), false);
        this.finalSigmaZero = sigmas[sigmas.length - 1] == 0f;
    }

    static DpmSolverMultistepSampler create(SchedulerConfig c, int steps, int batchSize) {
        NoiseSchedule schedule = NoiseSchedule.of(c, 0.0001, 0.02, true);
        int numTrain = schedule.numTrainTimesteps();
        int last = numTrain - clippedIndex(schedule, SchedulerConfig.or(c.lambdaMinClipped(),
                Double.NEGATIVE_INFINITY));
        MultistepSchedule.Kind kind = SchedulerConfig.or(c.useKarrasSigmas(), false) ? MultistepSchedule.Kind.KARRAS
                : SchedulerConfig.or(c.useLuLambdas(), false) ? MultistepSchedule.Kind.LU
                : MultistepSchedule.Kind.INTERPOLATED;
        boolean sigmaMin = "sigma_min".equals(SchedulerConfig.or(c.finalSigmasType(), "zero"));
        boolean round = !"squaredcos_cap_v2".equals(c.betaSchedule());
        MultistepSchedule s = MultistepSchedule.build(c, schedule, steps, last, kind, sigmaMin, false, round);
        return new DpmSolverMultistepSampler(s, c, batchSize);
    }

    /** {@code searchsorted(flip(lambda_t), lambda_min_clipped)}: how many train steps have lambda below the clip. */
    private static int clippedIndex(NoiseSchedule schedule, double lambdaMin) {
        float[] ac = schedule.alphasCumprod();
        int count = 0;
        for (float a : ac) {
            float lambda = (float) Math.log((float) Math.sqrt(a)) - (float) Math.log((float) Math.sqrt(1f - a));
            if (lambda < lambdaMin) {
                count++;
            }
        }
        return count;
    }

    @Override
    public void step(float[] modelOutput, int i, float[] sample, StepNoise noise) {
        advance(i);
        int n = timesteps.length;
        boolean lowerFinal = i == n - 1 && (eulerAtFinal || (lowerOrderFinal && n < 15) || finalSigmaZero);
        boolean lowerSecond = i == n - 2 && lowerOrderFinal && n < 15;
        float[] converted = dataPrediction ? dataPrediction(modelOutput, sample, i)
                : noisePrediction(modelOutput, sample, i);
        m2 = m1;
        m1 = m0;
        m0 = converted;
        if (solverOrder == 1 || lowerOrderNums < 1 || lowerFinal) {
            firstOrder(i, sample);
        } else if (solverOrder == 2 || lowerOrderNums < 2 || lowerSecond) {
            secondOrder(i, sample);
        } else {
            thirdOrder(i, sample);
        }
        if (lowerOrderNums < solverOrder) {
            lowerOrderNums++;
        }
    }

    private void firstOrder(int i, float[] x) {
        float sT = sigmas[i + 1];
        float sS = sigmas[i];
        float aT = alpha(sT);
        float aS = alpha(sS);
        float sigT = sT * aT;
        float sigS = sS * aS;
        float h = lambda(sT) - lambda(sS);
        float c1;
        float c2;
        if (dataPrediction) {
            c1 = sigT / sigS;
            c2 = aT * ((float) Math.exp(-h) - 1f);
        } else {
            c1 = aT / aS;
            c2 = sigT * ((float) Math.exp(h) - 1f);
        }
        for (int k = 0; k < x.length; k++) {
            x[k] = c1 * x[k] - c2 * m0[k];
        }
    }

    private void secondOrder(int i, float[] x) {
        float sT = sigmas[i + 1];
        float s0 = sigmas[i];
        float aT = alpha(sT);
        float a0 = alpha(s0);
        float sigT = sT * aT;
        float sig0 = s0 * a0;
        float lT = lambda(sT);
        float l0 = lambda(s0);
        float l1 = lambda(sigmas[i - 1]);
        float h = lT - l0;
        float r0 = (l0 - l1) / h;
        float inv = 1f / r0;
        float c1;
        float cD0;
        float cD1;
        if (dataPrediction) {
            c1 = sigT / sig0;
            float e = (float) Math.exp(-h) - 1f;
            cD0 = aT * e;
            cD1 = midpoint ? 0.5f * (aT * e) : -(aT * (e / h + 1f));
        } else {
            c1 = aT / a0;
            float e = (float) Math.exp(h) - 1f;
            cD0 = sigT * e;
            cD1 = midpoint ? 0.5f * (sigT * e) : sigT * (e / h - 1f);
        }
        for (int k = 0; k < x.length; k++) {
            float d1 = inv * (m0[k] - m1[k]);
            x[k] = c1 * x[k] - cD0 * m0[k] - cD1 * d1;
        }
    }

    private void thirdOrder(int i, float[] x) {
        float sT = sigmas[i + 1];
        float s0 = sigmas[i];
        float aT = alpha(sT);
        float a0 = alpha(s0);
        float sigT = sT * aT;
        float sig0 = s0 * a0;
        float lT = lambda(sT);
        float l0 = lambda(s0);
        float l1 = lambda(sigmas[i - 1]);
        float l2 = lambda(sigmas[i - 2]);
        float h = lT - l0;
        float r0 = (l0 - l1) / h;
        float r1 = (l1 - l2) / h;
        float inv0 = 1f / r0;
        float inv1 = 1f / r1;
        float w = r0 / (r0 + r1);
        float inv01 = 1f / (r0 + r1);
        float c1;
        float cD0;
        float cD1;
        float cD2;
        if (dataPrediction) {
            float e = (float) Math.exp(-h) - 1f;
            c1 = sigT / sig0;
            cD0 = -(aT * e);
            cD1 = aT * (e / h + 1f);
            cD2 = -(aT * ((e + h) / (h * h) - 0.5f));
        } else {
            float e = (float) Math.exp(h) - 1f;
            c1 = aT / a0;
            cD0 = -(sigT * e);
            cD1 = -(sigT * (e / h - 1f));
            cD2 = -(sigT * ((e - h) / (h * h) - 0.5f));
        }
        for (int k = 0; k < x.length; k++) {
            float d10 = inv0 * (m0[k] - m1[k]);
            float d11 = inv1 * (m1[k] - m2[k]);
            float d1 = d10 + w * (d10 - d11);
            float d2 = inv01 * (d10 - d11);
            x[k] = c1 * x[k] + cD0 * m0[k] + cD1 * d1 + cD2 * d2;
        }
    }
}
