package io.sweepfarm.worker.engine.scheduler;

/**
 * The timesteps and sigmas of the Euler family (Euler, Euler a, Heun, LMS): spaced timesteps, training sigmas
 * interpolated at them (or a Karras schedule mapped back to fractional timesteps), then a final sigma.
 *
 * @param timesteps one per inference step, float32 as diffusers stores them
 * @param sigmas    {@code timesteps.length + 1} entries (the last is 0 or sigma_min)
 */
record KSchedule(float[] timesteps, float[] sigmas, float initNoiseSigma) {

    /**
     * @param karras          whether to use Karras sigmas (false for samplers that ignore {@code use_karras_sigmas})
     * @param finalSigmaMin   whether the appended last sigma is sigma_min rather than 0
     * @param logLinear       Euler's {@code interpolation_type=log_linear}
     */
    static KSchedule build(SchedulerConfig c, NoiseSchedule schedule, int n, boolean karras, boolean finalSigmaMin,
                           boolean logLinear) {
        int numTrain = schedule.numTrainTimesteps();
        String spacing = Spacing.of(c, "linspace");
        double[] ts = switch (spacing) {
            case "linspace" -> Spacing.linspaceDescending(numTrain, n);
            case "leading" -> Spacing.leading(numTrain, n, SchedulerConfig.or(c.stepsOffset(), 0));
            default -> Spacing.trailing(numTrain, n);
        };
        for (int i = 0; i < ts.length; i++) {
            ts[i] = (float) ts[i];
        }
        float[] train = schedule.trainSigmas();
        float[] logSigmas = Sigmas.logOf(train);
        double[] sigmas;
        if (logLinear) {
            float[] logs = NoiseSchedule.torchLinspace(logSigmas[numTrain - 1], logSigmas[0], n + 1);
            sigmas = new double[n + 1];
            for (int i = 0; i < sigmas.length; i++) {
                sigmas[i] = (float) Math.exp(logs[i]);
            }
        } else {
            sigmas = Sigmas.interp(ts, train);
        }
        if (karras) {
            sigmas = Sigmas.karras(sigmas[sigmas.length - 1], sigmas[0], n);
            ts = Sigmas.sigmasToT(sigmas, logSigmas);
        }
        float last = finalSigmaMin ? NoiseSchedule.sigmaOf(schedule.alphasCumprod()[0]) : 0f;
        float[] out = new float[sigmas.length + 1];
        for (int i = 0; i < sigmas.length; i++) {
            out[i] = (float) sigmas[i];
        }
        out[sigmas.length] = last;
        return new KSchedule(Sigmas.toFloat(ts), out, initNoiseSigma(out, spacing));
    }

    /** The largest sigma for linspace/trailing spacing, else sqrt(max^2 + 1), in float32. */
    static float initNoiseSigma(float[] sigmas, String spacing) {
        float max = 0f;
        for (float s : sigmas) {
            max = Math.max(max, s);
        }
        if (spacing.equals("linspace") || spacing.equals("trailing")) {
            return max;
        }
        return (float) Math.sqrt(max * max + 1f);
    }
}
