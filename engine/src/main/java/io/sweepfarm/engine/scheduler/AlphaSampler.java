package io.sweepfarm.engine.scheduler;

/**
 * Base of the samplers that work on integer training timesteps and {@code alphas_cumprod} (DDIM, DDPM, PNDM):
 * the model input is the latent itself, the initial noise sigma is 1, and img2img noising is
 * {@code sqrt(ac_t) x + sqrt(1 - ac_t) noise}.
 */
abstract class AlphaSampler extends RunState {

    protected final float[] alphasCumprod;
    /** Integer timesteps, one per model call. */
    protected final int[] timesteps;
    protected final String predictionType;

    AlphaSampler(NoiseSchedule schedule, int[] timesteps, String predictionType, int batchSize) {
        super(timesteps.length, batchSize);
        this.alphasCumprod = schedule.alphasCumprod();
        this.timesteps = timesteps;
        this.predictionType = predictionType;
    }

    @Override
    public float[] timesteps() {
        return asFloats(timesteps);
    }

    @Override
    public float initNoiseSigma() {
        return 1f;
    }

    @Override
    public float[] addNoise(float[] original, float[] noise, int i) {
        float ac = alphasCumprod[timesteps[i]];
        float a = (float) Math.sqrt(ac);
        float b = (float) Math.sqrt(1f - ac);
        float[] out = new float[original.length];
        for (int k = 0; k < out.length; k++) {
            out[k] = a * original[k] + b * noise[k];
        }
        return out;
    }

    @Override
    public float[] scaleModelInput(float[] sample, int i) {
        return sample.clone();
    }

    /** x0 from the model output at alpha product {@code ac}; a new array. */
    protected final float[] predictOriginal(float[] model, float[] sample, float ac) {
        return predictX0(predictionType, model, sample, (float) Math.sqrt(ac), (float) Math.sqrt(1f - ac));
    }

    /** Integer timesteps by spacing, shared by DDIM and DDPM: leading (+offset), trailing, rounded linspace. */
    static int[] spacedTimesteps(SchedulerConfig c, int numTrain, int n) {
        String spacing = Spacing.of(c, "leading");
        double[] ts = switch (spacing) {
            case "leading" -> Spacing.leading(numTrain, n, SchedulerConfig.or(c.stepsOffset(), 0));
            case "trailing" -> Spacing.trailing(numTrain, n);
            default -> Spacing.round(Spacing.linspaceDescending(numTrain, n));
        };
        int[] out = new int[ts.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (int) ts[i];
        }
        return out;
    }
}
