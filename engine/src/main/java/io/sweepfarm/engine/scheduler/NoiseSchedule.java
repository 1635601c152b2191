package io.sweepfarm.engine.scheduler;

/**
 * The training noise schedule: betas and their cumulative alpha products, in float32 exactly as torch stores them
 * ({@code torch.linspace} in float32, {@code torch.cumprod} accumulating in double). Immutable.
 */
final class NoiseSchedule {

    private final float[] alphasCumprod;

    private NoiseSchedule(float[] alphasCumprod) {
        this.alphasCumprod = alphasCumprod;
    }

    /**
     * Builds the schedule from a config, with the sampler's own beta defaults.
     *
     * @param terminalAlphaFix whether this sampler sets the last alpha product to 2^-24 under zero-terminal-SNR
     *                         rescaling (Euler, Euler a and DPM-Solver do; DDIM and DDPM do not)
     */
    static NoiseSchedule of(SchedulerConfig c, double defaultBetaStart, double defaultBetaEnd, boolean terminalAlphaFix) {
        int n = SchedulerConfig.or(c.numTrainTimesteps(), 1000);
        double start = SchedulerConfig.or(c.betaStart(), defaultBetaStart);
        double end = SchedulerConfig.or(c.betaEnd(), defaultBetaEnd);
        float[] betas;
        if (c.trainedBetas() != null) {
            betas = toFloat(c.trainedBetas());
        } else {
            String schedule = SchedulerConfig.or(c.betaSchedule(), "linear");
            betas = switch (schedule) {
                case "linear" -> torchLinspace((float) start, (float) end, n);
                case "scaled_linear" -> square(torchLinspace((float) Math.sqrt(start), (float) Math.sqrt(end), n));
                case "squaredcos_cap_v2" -> cosineBetas(n);
                default -> throw new IllegalArgumentException("unsupported beta_schedule: " + schedule);
            };
        }
        boolean rescale = SchedulerConfig.or(c.rescaleBetasZeroSnr(), false);
        if (rescale) {
            betas = rescaleZeroTerminalSnr(betas);
        }
        float[] ac = cumprod(oneMinus(betas));
        if (rescale && terminalAlphaFix) {
            ac[ac.length - 1] = (float) Math.pow(2, -24);
        }
        return new NoiseSchedule(ac);
    }

    /** {@code alphas_cumprod}; shared, do not modify. */
    float[] alphasCumprod() {
        return alphasCumprod;
    }

    int numTrainTimesteps() {
        return alphasCumprod.length;
    }

    /** {@code ((1 - ac) / ac) ** 0.5} in float32, ascending in t. */
    float[] trainSigmas() {
        float[] s = new float[alphasCumprod.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = sigmaOf(alphasCumprod[i]);
        }
        return s;
    }

    static float sigmaOf(float alphaCumprod) {
        return (float) Math.sqrt((1f - alphaCumprod) / alphaCumprod);
    }

    /**
     * {@code torch.linspace(start, end, steps, dtype=float32)} on an x86 CPU, bit for bit (pytorch/pytorch
     * {@code aten/src/ATen/native/cpu/RangeFactoriesKernel.cpp}, {@code linspace_kernel}, as in torch 1.13; the
     * element order of {@code cpu_serial_kernel_vec} is from {@code aten/src/ATen/native/cpu/Loops.h}).
     *
     * <p>The step is {@code (end - start) / (steps - 1)} in float32. Elements come in 8-wide AVX2 vectors, two per
     * loop turn, so the first {@code steps / 16 * 16} elements are vectors and the rest scalars. A vector starting at
     * index {@code i} takes its base from the start when {@code i < steps / 2} ({@code start + step·i}) and from the
     * end otherwise ({@code end - step·(steps - i - 1)}), the whole vector on one side even where it straddles the
     * halfway point; the compiler fuses each base into one multiply-add, and {@code Vectorized<float>::arange}
     * fills the lanes with {@code base + k·step}, also fused. Scalar tail elements use the same two formulas per
     * element, fused. A plain scalar formula (each product rounded, the halfway split per element) differs from
     * torch in 272 of SD 1.x's 1000 betas.
     */
    static float[] torchLinspace(float start, float end, int steps) {
        float[] out = new float[steps];
        if (steps == 1) {
            out[0] = start;
            return out;
        }
        float step = (end - start) / (steps - 1);
        int halfway = steps / 2;
        int vectorEnd = steps / 16 * 16;
        for (int i = 0; i < vectorEnd; i += VECTOR) {
            float base = linspaceBase(start, end, step, steps, halfway, i);
            out[i] = base;
            for (int k = 1; k < VECTOR; k++) {
                out[i + k] = Math.fma(k, step, base);
            }
        }
        for (int i = vectorEnd; i < steps; i++) {
            out[i] = linspaceBase(start, end, step, steps, halfway, i);
        }
        return out;
    }

    /** Lanes of torch's AVX2 float vector. */
    private static final int VECTOR = 8;

    private static float linspaceBase(float start, float end, float step, int steps, int halfway, int i) {
        return i < halfway ? Math.fma(step, i, start) : Math.fma(-step, steps - i - 1, end);
    }

    private static float[] cosineBetas(int n) {
        float[] betas = new float[n];
        for (int i = 0; i < n; i++) {
            double t1 = (double) i / n;
            double t2 = (double) (i + 1) / n;
            betas[i] = (float) Math.min(1 - cosineAlphaBar(t2) / cosineAlphaBar(t1), 0.999);
        }
        return betas;
    }

    private static double cosineAlphaBar(double t) {
        double c = Math.cos((t + 0.008) / 1.008 * Math.PI / 2);
        return c * c;
    }

    private static float[] rescaleZeroTerminalSnr(float[] betas) {
        float[] sqrtAc = cumprod(oneMinus(betas));
        for (int i = 0; i < sqrtAc.length; i++) {
            sqrtAc[i] = (float) Math.sqrt(sqrtAc[i]);
        }
        float first = sqrtAc[0];
        float last = sqrtAc[sqrtAc.length - 1];
        float scale = first / (first - last);
        float[] alphasBar = new float[sqrtAc.length];
        for (int i = 0; i < sqrtAc.length; i++) {
            float v = (sqrtAc[i] - last) * scale;
            alphasBar[i] = v * v;
        }
        float[] out = new float[betas.length];
        out[0] = 1f - alphasBar[0];
        for (int i = 1; i < out.length; i++) {
            out[i] = 1f - alphasBar[i] / alphasBar[i - 1];
        }
        return out;
    }

    private static float[] oneMinus(float[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = 1f - v[i];
        }
        return out;
    }

    private static float[] cumprod(float[] v) {
        float[] out = new float[v.length];
        double acc = 1.0;
        for (int i = 0; i < v.length; i++) {
            acc *= v[i];
            out[i] = (float) acc;
        }
        return out;
    }

    private static float[] square(float[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] * v[i];
        }
        return out;
    }

    private static float[] toFloat(double[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }
}
