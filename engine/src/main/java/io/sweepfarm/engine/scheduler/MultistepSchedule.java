package io.sweepfarm.engine.scheduler;

/**
 * Timesteps and sigmas of DPM-Solver and UniPC: integer timesteps from {@code linspace(0, last-1, n+1)} (or
 * leading/trailing), training sigmas interpolated at them, or Karras sigmas / DPM's uniform-log-sigma ("Lu")
 * sigmas mapped back to rounded timesteps, plus a final sigma (0 or sigma_min).
 *
 * @param sigmas {@code timesteps.length + 1} entries
 */
record MultistepSchedule(int[] timesteps, float[] sigmas) {

    enum Kind { INTERPOLATED, KARRAS, LU }

    /**
     * @param lastTimestep  N, or fewer when DPM clips small lambdas
     * @param karrasLastIsOwnMin UniPC's sigma_min with Karras sigmas is the Karras schedule's last entry
     */
    static MultistepSchedule build(SchedulerConfig c, NoiseSchedule schedule, int n, int lastTimestep, Kind kind,
                                   boolean sigmaMinLast, boolean karrasLastIsOwnMin, boolean roundKarras) {
        int numTrain = schedule.numTrainTimesteps();
        String spacing = Spacing.of(c, "linspace");
        double[] ts;
        switch (spacing) {
            case "linspace" -> {
                double[] l = Spacing.round(Spacing.linspace(0, lastTimestep - 1, n + 1));
                ts = new double[n];
                for (int i = 0; i < n; i++) {
                    ts[i] = l[n - i];
                }
            }
            case "leading" -> {
                int ratio = lastTimestep / (n + 1);
                int offset = SchedulerConfig.or(c.stepsOffset(), 0);
                ts = new double[n];
                for (int i = 0; i < n; i++) {
                    ts[i] = (double) (n - i) * ratio + offset;
                }
            }
            default -> {
                double ratio = (double) numTrain / n;
                int len = (int) Math.ceil(lastTimestep / ratio);
                ts = new double[len];
                for (int i = 0; i < len; i++) {
                    ts[i] = Math.rint(lastTimestep - i * ratio) - 1;
                }
            }
        }
        float[] train = schedule.trainSigmas();
        float[] logSigmas = Sigmas.logOf(train);
        double[] sigmas;
        int count = ts.length;
        switch (kind) {
            case KARRAS -> {
                sigmas = Sigmas.karras(train[0], train[numTrain - 1], count);
                ts = Sigmas.sigmasToT(sigmas, logSigmas);
                if (roundKarras) {
                    ts = Spacing.round(ts);
                }
            }
            case LU -> {
                double max = logSigmas[numTrain - 1];
                double min = logSigmas[0];
                double[] ramp = Spacing.linspace(0, 1, count);
                sigmas = new double[count];
                for (int i = 0; i < count; i++) {
                    sigmas[i] = Math.exp(max + ramp[i] * (min - max));
                }
                ts = Sigmas.sigmasToT(sigmas, logSigmas);
                if (roundKarras) {
                    ts = Spacing.round(ts);
                }
            }
            default -> sigmas = Sigmas.interp(ts, train);
        }
        float[] out = new float[count + 1];
        for (int i = 0; i < count; i++) {
            out[i] = (float) sigmas[i];
        }
        if (sigmaMinLast) {
            out[count] = karrasLastIsOwnMin && kind == Kind.KARRAS
                    ? out[count - 1] : NoiseSchedule.sigmaOf(schedule.alphasCumprod()[0]);
        }
        int[] its = new int[count];
        for (int i = 0; i < count; i++) {
            its[i] = (int) ts[i];
        }
        return new MultistepSchedule(its, out);
    }
}
