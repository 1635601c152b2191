package io.sweepfarm.engine.scheduler;

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
        double[] ts = switch (Spacing.of(c, "linspace")) {
            case "linspace" -> Spacing.linspaceDescending(numTrain, n);
            case "leading" -> Spacing.leading(numTrain, n, SchedulerConfig.or(c.stepsOffset(), 0));
            default -> Spacing.trailing(numTrain, n);
        };
        return fromTimesteps(c, schedule, ts, karras, finalSigmaMin, logLinear);
    }

    /** The schedule for given (descending) timesteps: diffusers' {@code set_timesteps(timesteps=...)}. */
    static KSchedule fromTimesteps(SchedulerConfig c, NoiseSchedule schedule, double[] timesteps, boolean karras,
                                   boolean finalSigmaMin, boolean logLinear) {
        int numTrain = schedule.numTrainTimesteps();
        int n = timesteps.length;
        double[] ts = new double[n];
        for (int i = 0; i < n; i++) {
            ts[i] = (float) timesteps[i];
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
        return new KSchedule(Sigmas.toFloat(ts), out, initNoiseSigma(out, Spacing.of(c, "linspace")));
    }

    /**
     * The schedule for given sigmas, final sigma included (diffusers' {@code set_timesteps(sigmas=...)}): used as
     * they are, with each timestep mapped back from its sigma.
     */
    static KSchedule fromSigmas(SchedulerConfig c, NoiseSchedule schedule, float[] sigmas) {
        if (sigmas.length < 2) {
            throw new IllegalArgumentException("custom sigmas need at least two entries (the last is the final sigma)");
        }
        float[] logSigmas = Sigmas.logOf(schedule.trainSigmas());
        double[] ts = new double[sigmas.length - 1];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = Sigmas.sigmaToT(sigmas[i], logSigmas);
        }
        float[] out = sigmas.clone();
        return new KSchedule(Sigmas.toFloat(ts), out, initNoiseSigma(out, Spacing.of(c, "linspace")));
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
