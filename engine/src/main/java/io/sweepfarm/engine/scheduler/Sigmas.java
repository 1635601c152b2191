package io.sweepfarm.engine.scheduler;

/**
 * Sigma-space helpers shared by every sampler that works in sigmas: interpolation of the training sigmas at
 * fractional timesteps, the Karras et al. (2022) rho=7 schedule, and the inverse map from a sigma to a fractional
 * timestep. Mirrors diffusers' numpy code: double arithmetic on float32 training sigmas.
 */
final class Sigmas {

    private Sigmas() {
    }

    /** {@code np.interp(t, arange(len), trainSigmas)} for every t. */
    static double[] interp(double[] timesteps, float[] trainSigmas) {
        double[] out = new double[timesteps.length];
        int last = trainSigmas.length - 1;
        for (int k = 0; k < timesteps.length; k++) {
            double t = timesteps[k];
            if (t <= 0) {
                out[k] = trainSigmas[0];
            } else if (t >= last) {
                out[k] = trainSigmas[last];
            } else {
                int j = (int) Math.floor(t);
                double slope = ((double) trainSigmas[j + 1] - trainSigmas[j]);
                out[k] = slope * (t - j) + trainSigmas[j];
            }
        }
        return out;
    }

    /** Karras sigmas from sigmaMax down to sigmaMin, {@code n} entries, rho = 7. */
    static double[] karras(double sigmaMin, double sigmaMax, int n) {
        double rho = 7.0;
        double minInv = Math.pow(sigmaMin, 1 / rho);
        double maxInv = Math.pow(sigmaMax, 1 / rho);
        double[] ramp = Spacing.linspace(0, 1, n);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = Math.pow(maxInv + ramp[i] * (minInv - maxInv), rho);
        }
        return out;
    }

    /** {@code np.log} of the float32 training sigmas, kept in float32 as numpy does. */
    static float[] logOf(float[] sigmas) {
        float[] out = new float[sigmas.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) Math.log(sigmas[i]);
        }
        return out;
    }

    /**
     * diffusers' {@code _sigma_to_t}: piecewise-linear in log sigma between the two bracketing train steps, with
     * numpy 1.x's value-based promotions: the float64 log sigma meets float32 arrays (the log training sigmas and
     * the bracketing pair, which are 1-element arrays), so the distances and the weight {@code w} are float32;
     * only {@code t = (1 - w)·low + w·high} is float64 (float32 times an int64 array).
     */
    static double sigmaToT(double sigma, float[] logSigmas) {
        float logSigma = (float) Math.log(Math.max(sigma, 1e-10));
        int low = 0;
        for (int i = 0; i < logSigmas.length; i++) {
            if (logSigma - logSigmas[i] >= 0) {
                low = i;
            }
        }
        low = Math.min(low, logSigmas.length - 2);
        float lo = logSigmas[low];
        float hi = logSigmas[low + 1];
        float w = (lo - logSigma) / (lo - hi);
        w = Math.max(0f, Math.min(1f, w));
        return (double) (1f - w) * low + (double) w * (low + 1);
    }

    static double[] sigmasToT(double[] sigmas, float[] logSigmas) {
        double[] out = new double[sigmas.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = sigmaToT(sigmas[i], logSigmas);
        }
        return out;
    }

    static float[] toFloat(double[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }
}
