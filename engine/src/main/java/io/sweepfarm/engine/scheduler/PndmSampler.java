package io.sweepfarm.engine.scheduler;

import java.util.ArrayList;
import java.util.List;

/**
 * Pseudo numerical methods (diffusers {@code PNDMScheduler}). With {@code skip_prk_steps} (how Stable Diffusion
 * and A1111's "PLMS" use it) the run is pure linear multistep, its second timestep repeated for the warm-up;
 * without it, 12 Runge-Kutta calls (3 steps of 4) come first. The timesteps list is the prk list then the plms list.
 */
public final class PndmSampler extends AlphaSampler {

    private final int prkCalls;
    private final int stepRatio;
    private final float finalAlphaCumprod;
    private final List<float[]> ets = new ArrayList<>();
    private int counter;
    private float[] curModelOutput;
    private float[] curSample;

    private PndmSampler(NoiseSchedule schedule, int[] timesteps, int prkCalls, String predictionType, int batchSize,
                        int stepRatio, boolean setAlphaToOne) {
        super(schedule, timesteps, predictionType, batchSize);
        if (!predictionType.equals("epsilon") && !predictionType.equals("v_prediction")) {
            throw new IllegalArgumentException("PNDM supports epsilon and v_prediction, not " + predictionType);
        }
        this.prkCalls = prkCalls;
        this.stepRatio = stepRatio;
        this.finalAlphaCumprod = setAlphaToOne ? 1f : alphasCumprod[0];
    }

    static PndmSampler create(SchedulerConfig c, int n, int batchSize) {
        NoiseSchedule schedule = NoiseSchedule.of(c, 0.0001, 0.02, false);
        int numTrain = schedule.numTrainTimesteps();
        String spacing = Spacing.of(c, "leading");
        double[] desc = switch (spacing) {
            case "leading" -> Spacing.leading(numTrain, n, SchedulerConfig.or(c.stepsOffset(), 0));
            case "trailing" -> Spacing.trailing(numTrain, n);
            default -> Spacing.round(Spacing.linspaceDescending(numTrain, n));
        };
        int m = desc.length;
        int[] asc = new int[m];
        for (int i = 0; i < m; i++) {
            asc[i] = (int) desc[m - 1 - i];
        }
        List<Integer> calls = new ArrayList<>();
        int prk = 0;
        if (SchedulerConfig.or(c.skipPrkSteps(), false)) {
            // plms = concat(ts[:-1], ts[-2:-1], ts[-1:])[::-1]
            calls.add(asc[m - 1]);
            calls.add(asc[m - 2]);
            for (int i = m - 2; i >= 0; i--) {
                calls.add(asc[i]);
            }
        } else {
            int half = numTrain / n / 2;
            // last 4 timesteps, each followed by itself + half, doubled inner: [t0, t0+h, t0+h, t1, t1, ...]
            List<Integer> base = new ArrayList<>();
            for (int i = m - 4; i < m; i++) {
                base.add(asc[i]);
                base.add(asc[i] + half);
            }
            List<Integer> doubled = new ArrayList<>();
            for (int i = 0; i < base.size() - 1; i++) {
                doubled.add(base.get(i));
                doubled.add(base.get(i));
            }
            List<Integer> prkList = doubled.subList(1, doubled.size() - 1);
            for (int i = prkList.size() - 1; i >= 0; i--) {
                calls.add(prkList.get(i));
            }
            prk = prkList.size();
            for (int i = m - 4; i >= 0; i--) {
                calls.add(asc[i]);
            }
        }
        int[] ts = calls.stream().mapToInt(Integer::intValue).toArray();
        return new PndmSampler(schedule, ts, prk, predictionType(c), batchSize,
                numTrain / n, SchedulerConfig.or(c.setAlphaToOne(), false));
    }

    @Override
    public void step(float[] modelOutput, int i, float[] sample, StepNoise noise) {
        advance(i);
        if (counter < prkCalls) {
            stepPrk(modelOutput, timesteps[i], sample);
        } else {
            stepPlms(modelOutput, timesteps[i], sample);
        }
        counter++;
    }

    private void stepPrk(float[] m, int t, float[] sample) {
        int diffToPrev = counter % 2 == 1 ? 0 : stepRatio / 2;
        int prevT = t - diffToPrev;
        int baseT = timesteps[counter / 4 * 4];
        float[] output = m;
        switch (counter % 4) {
            case 0 -> {
                curModelOutput = axpy(null, 1.0 / 6, m);
                ets.add(m.clone());
                curSample = sample.clone();
            }
            case 1, 2 -> curModelOutput = axpy(curModelOutput, 1.0 / 3, m);
            default -> {
                output = axpy(curModelOutput, 1.0 / 6, m);
                curModelOutput = null;
            }
        }
        prevSample(curSample, baseT, prevT, output, sample);
    }

    private void stepPlms(float[] m, int t, float[] sample) {
        boolean skipPrk = prkCalls == 0;
        int prevT = t - stepRatio;
        if (counter != 1) {
            while (ets.size() > 3) {
                ets.remove(0);
            }
            ets.add(m.clone());
        } else {
            prevT = t;
            t = t + stepRatio;
        }
        int n = ets.size();
        float[] output = new float[m.length];
        float[] from = sample;
        if (n == 1 && counter == 0) {
            System.arraycopy(m, 0, output, 0, m.length);
            curSample = sample.clone();
        } else if (n == 1 && counter == 1) {
            float[] e = ets.get(0);
            for (int k = 0; k < m.length; k++) {
                output[k] = (m[k] + e[k]) / 2f;
            }
            from = curSample;
            curSample = null;
        } else if (n == 2) {
            float[] e1 = ets.get(1), e2 = ets.get(0);
            for (int k = 0; k < m.length; k++) {
                output[k] = (3f * e1[k] - e2[k]) / 2f;
            }
        } else if (n == 3) {
            float[] e1 = ets.get(2), e2 = ets.get(1), e3 = ets.get(0);
            for (int k = 0; k < m.length; k++) {
                output[k] = (23f * e1[k] - 16f * e2[k] + 5f * e3[k]) / 12f;
            }
        } else {
            float[] e1 = ets.get(n - 1), e2 = ets.get(n - 2), e3 = ets.get(n - 3), e4 = ets.get(n - 4);
            float c = (float) (1.0 / 24);
            for (int k = 0; k < m.length; k++) {
                output[k] = c * (55f * e1[k] - 59f * e2[k] + 37f * e3[k] - 9f * e4[k]);
            }
        }
        if (!skipPrk && n < 3) {
            throw new IllegalStateException("PLMS steps need the 12 Runge-Kutta warm-up calls first");
        }
        prevSample(from, t, prevT, output, sample);
    }

    /**
     * The PNDM transfer (formula 9 of the paper) from {@code from} at t to prevT, written into {@code out}; purely
     * element-wise, so {@code from} may be {@code out}.
     */
    private void prevSample(float[] from, int t, int prevT, float[] m, float[] out) {
        float acT = alphasCumprod[t];
        float acPrev = prevT >= 0 ? alphasCumprod[prevT] : finalAlphaCumprod;
        float betaT = 1f - acT;
        float betaPrev = 1f - acPrev;
        float[] eps = m;
        if (predictionType.equals("v_prediction")) {
            float sa = (float) Math.sqrt(acT);
            float sb = (float) Math.sqrt(betaT);
            eps = new float[m.length];
            for (int k = 0; k < m.length; k++) {
                eps[k] = sa * m[k] + sb * from[k];
            }
        }
        float sampleCoeff = (float) Math.sqrt(acPrev / acT);
        float denom = acT * (float) Math.sqrt(betaPrev) + (float) Math.sqrt(acT * betaT * acPrev);
        float diff = acPrev - acT;
        for (int k = 0; k < out.length; k++) {
            out[k] = sampleCoeff * from[k] - diff * eps[k] / denom;
        }
    }

    /** {@code acc + (float) a * x} in float32, with a null accumulator standing for 0. */
    private static float[] axpy(float[] acc, double a, float[] x) {
        float c = (float) a;
        float[] out = new float[x.length];
        for (int k = 0; k < x.length; k++) {
            out[k] = (acc == null ? 0f : acc[k]) + c * x[k];
        }
        return out;
    }
}
