package io.sweepfarm.engine.scheduler;

import java.util.ArrayList;
import java.util.List;

/**
 * UniPC (diffusers {@code UniPCMultistepScheduler}, data prediction): a UniC corrector refines each new latent
 * with the model output just computed, then a UniP predictor steps on. Solver types {@code bh2} (default) and
 * {@code bh1}; orders 1 to 3. With {@code lower_order_final} the order shrinks to the steps left.
 */
public final class UniPcSampler extends MultistepSampler {

    private final int solverOrder;
    private final boolean bh2;
    private final boolean lowerOrderFinal;
    /** Converted model outputs, newest last, at most solverOrder. */
    private final List<float[]> outputs = new ArrayList<>();
    private float[] lastSample;
    private int lowerOrderNums;
    private int thisOrder;

    private UniPcSampler(MultistepSchedule s, SchedulerConfig c, int batchSize) {
        super(s, predictionType(c), X0Clipping.of(c, false), batchSize);
        this.solverOrder = SchedulerConfig.or(c.solverOrder(), 2);
        if (solverOrder < 1 || solverOrder > 3) {
            throw new IllegalArgumentException("UniPC solver_order must be 1 to 3, got " + solverOrder);
        }
        String type = SchedulerConfig.or(c.solverType(), "bh2");
        if (!type.equals("bh1") && !type.equals("bh2")) {
            throw new IllegalArgumentException("unsupported solver_type for UniPC: " + type);
        }
        this.bh2 = type.equals("bh2");
        this.lowerOrderFinal = SchedulerConfig.or(c.lowerOrderFinal(), true);
    }

    static UniPcSampler create(SchedulerConfig c, int steps, int batchSize) {
        NoiseSchedule schedule = NoiseSchedule.of(c, 0.0001, 0.02, true);
        MultistepSchedule.Kind kind = SchedulerConfig.or(c.useKarrasSigmas(), false)
                ? MultistepSchedule.Kind.KARRAS : MultistepSchedule.Kind.INTERPOLATED;
        boolean sigmaMin = "sigma_min".equals(SchedulerConfig.or(c.finalSigmasType(), "zero"));
        MultistepSchedule s = MultistepSchedule.build(c, schedule, steps, schedule.numTrainTimesteps(), kind,
                sigmaMin, true, true);
        return new UniPcSampler(s, c, batchSize);
    }

    @Override
    public void step(float[] modelOutput, int i, float[] sample, StepNoise noise) {
        advance(i);
        float[] converted = dataPrediction(modelOutput, sample, i);
        if (i > 0 && lastSample != null) {
            correct(converted, i, sample);
        }
        outputs.add(converted);
        if (outputs.size() > solverOrder) {
            outputs.remove(0);
        }
        int order = lowerOrderFinal ? Math.min(solverOrder, timesteps.length - i) : solverOrder;
        thisOrder = Math.min(order, lowerOrderNums + 1);
        lastSample = sample.clone();
        predict(i, sample);
        if (lowerOrderNums < solverOrder) {
            lowerOrderNums++;
        }
    }

    /** Coefficients shared by predictor and corrector: hh = -h, phi1 = expm1(hh), B(h), and the b vector. */
    private record Phi(float hh, float hPhi1, float bH, float[] b) {
    }

    private Phi phi(float h, int order) {
        float hh = -h;
        float hPhi1 = (float) Math.expm1(hh);
        float hPhiK = hPhi1 / hh - 1f;
        float bH = bh2 ? hPhi1 : hh;
        float[] b = new float[order];
        int factorial = 1;
        for (int k = 1; k <= order; k++) {
            b[k - 1] = hPhiK * factorial / bH;
            factorial *= k + 1;
            hPhiK = hPhiK / hh - 1f / factorial;
        }
        return new Phi(hh, hPhi1, bH, b);
    }

    /** UniP: predicts the next latent from {@code x} at call i into {@code x}. */
    private void predict(int i, float[] x) {
        int order = thisOrder;
        float sT = sigmas[i + 1];
        float s0 = sigmas[i];
        float aT = alpha(sT);
        float sigT = sT * aT;
        float sig0 = s0 * alpha(s0);
        float l0 = lambda(s0);
        float h = lambda(sT) - l0;
        float[] m0 = outputs.get(outputs.size() - 1);
        float[] rks = new float[order - 1];
        for (int k = 1; k < order; k++) {
            rks[k - 1] = (lambda(sigmas[i - k]) - l0) / h;
        }
        Phi p = phi(h, order);
        float[] rhos = order == 2 ? new float[] {0.5f} : solve(rks, p.b(), order - 1);
        float c1 = sigT / sig0;
        float c2 = aT * p.hPhi1();
        float c3 = aT * p.bH();
        for (int e = 0; e < x.length; e++) {
            float res = 0f;
            for (int k = 1; k < order; k++) {
                float d = (outputs.get(outputs.size() - 1 - k)[e] - m0[e]) / rks[k - 1];
                res = k == 1 ? rhos[0] * d : res + rhos[k - 1] * d;
            }
            float base = c1 * x[e] - c2 * m0[e];
            // order 1 has no correction term; skipping it avoids bh1's (-inf) * 0 on a final sigma of 0
            x[e] = order == 1 ? base : base - c3 * res;
        }
    }

    /** UniC: corrects {@code x} (the latent at call i) using this call's converted output. */
    private void correct(float[] modelT, int i, float[] x) {
        int order = thisOrder;
        float sT = sigmas[i];
        float s0 = sigmas[i - 1];
        float aT = alpha(sT);
        float sigT = sT * aT;
        float sig0 = s0 * alpha(s0);
        float l0 = lambda(s0);
        float h = lambda(sT) - l0;
        float[] m0 = outputs.get(outputs.size() - 1);
        float[] rks = new float[order - 1];
        for (int k = 1; k < order; k++) {
            rks[k - 1] = (lambda(sigmas[i - (k + 1)]) - l0) / h;
        }
        Phi p = phi(h, order);
        float[] rhos = order == 1 ? new float[] {0.5f} : solve(rks, p.b(), order);
        float c1 = sigT / sig0;
        float c2 = aT * p.hPhi1();
        float c3 = aT * p.bH();
        float rhoLast = rhos[rhos.length - 1];
        for (int e = 0; e < x.length; e++) {
            float corr = 0f;
            for (int k = 1; k < order; k++) {
                float d = (outputs.get(outputs.size() - 1 - k)[e] - m0[e]) / rks[k - 1];
                corr = k == 1 ? rhos[0] * d : corr + rhos[k - 1] * d;
            }
            float base = c1 * lastSample[e] - c2 * m0[e];
            x[e] = base - c3 * (corr + rhoLast * (modelT[e] - m0[e]));
        }
    }

    /**
     * Solves R rho = b for the leading {@code size} rows/columns, R[r][k] = rk_k^r with rks = (given..., 1), in
     * double by Gaussian elimination, rounded to float32 like torch.linalg.solve on float32 inputs.
     */
    private static float[] solve(float[] rksGiven, float[] b, int size) {
        double[] rks = new double[rksGiven.length + 1];
        for (int k = 0; k < rksGiven.length; k++) {
            rks[k] = rksGiven[k];
        }
        rks[rksGiven.length] = 1.0;
        double[][] a = new double[size][size + 1];
        for (int r = 0; r < size; r++) {
            for (int k = 0; k < size; k++) {
                a[r][k] = Math.pow(rks[k], r);
            }
            a[r][size] = b[r];
        }
        for (int col = 0; col < size; col++) {
            int pivot = col;
            for (int r = col + 1; r < size; r++) {
                if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
                    pivot = r;
                }
            }
            double[] tmp = a[col];
            a[col] = a[pivot];
            a[pivot] = tmp;
            for (int r = 0; r < size; r++) {
                if (r != col) {
                    double f = a[r][col] / a[col][col];
                    for (int k = col; k <= size; k++) {
                        a[r][k] -= f * a[col][k];
                    }
                }
            }
        }
        float[] out = new float[size];
        for (int r = 0; r < size; r++) {
            out[r] = (float) (a[r][size] / a[r][r]);
        }
        return out;
    }
}
