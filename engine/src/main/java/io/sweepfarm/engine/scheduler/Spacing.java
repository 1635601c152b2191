package io.sweepfarm.engine.scheduler;

/**
 * Timestep spacings of diffusers' {@code set_timesteps} ("Common Diffusion Noise Schedules and Sample Steps are
 * Flawed", table 2), computed in double as numpy does, rounding half to even like {@code np.round}. All results
 * are descending.
 */
final class Spacing {

    private Spacing() {
    }

    /** numpy.linspace(start, stop, num) in double (endpoint included). */
    static double[] linspace(double start, double stop, int num) {
        double[] out = new double[num];
        if (num == 1) {
            out[0] = start;
            return out;
        }
        double step = (stop - start) / (num - 1);
        for (int i = 0; i < num; i++) {
            out[i] = i * step + start;
        }
        out[num - 1] = stop;
        return out;
    }

    /** {@code linspace(0, N-1, n)} descending, unrounded (the Euler family casts it to float32 afterwards). */
    static double[] linspaceDescending(int numTrain, int n) {
        return reversed(linspace(0, numTrain - 1, n));
    }

    /** {@code (arange(n) * (N // n)).round()[::-1] + offset}. */
    static double[] leading(int numTrain, int n, int offset) {
        int ratio = numTrain / n;
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = (double) (n - 1 - i) * ratio + offset;
        }
        return out;
    }

    /** {@code arange(N, 0, -N / n).round() - 1}: may hold n+1 entries where numpy's length rounding says so. */
    static double[] trailing(int numTrain, int n) {
        double ratio = (double) numTrain / n;
        int len = (int) Math.ceil((0.0 - numTrain) / -ratio);
        double[] out = new double[len];
        for (int i = 0; i < len; i++) {
            out[i] = Math.rint(numTrain + i * -ratio) - 1;
        }
        return out;
    }

    /** Rounds half to even, like {@code np.round}. */
    static double[] round(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Math.rint(v[i]);
        }
        return out;
    }

    static double[] reversed(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[v.length - 1 - i];
        }
        return out;
    }

    /** The spacing name from a config, with the sampler's default; unknown names fail. */
    static String of(SchedulerConfig c, String defaultSpacing) {
        String s = SchedulerConfig.or(c.timestepSpacing(), defaultSpacing);
        if (!s.equals("linspace") && !s.equals("leading") && !s.equals("trailing")) {
            throw new IllegalArgumentException("unsupported timestep_spacing: " + s);
        }
        return s;
    }
}
