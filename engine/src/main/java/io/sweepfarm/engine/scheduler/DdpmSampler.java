package io.sweepfarm.engine.scheduler;

/**
 * Ancestral DDPM sampling (diffusers {@code DDPMScheduler}, variance types fixed_small, fixed_small_log,
 * fixed_large). The previous timestep is the next entry of the schedule (-1 after the last). Draws noise on every
 * step with t &gt; 0 and none at t = 0, as diffusers does.
 */
public final class DdpmSampler extends AlphaSampler {

    private final X0Clipping clipping;
    private final String varianceType;
    private float[] noiseBuffer;

    private DdpmSampler(NoiseSchedule schedule, int[] timesteps, String predictionType, int batchSize,
                        X0Clipping clipping, String varianceType) {
        super(schedule, timesteps, predictionType, batchSize);
        this.clipping = clipping;
        this.varianceType = varianceType;
    }

    static DdpmSampler create(SchedulerConfig c, int steps, int batchSize) {
        NoiseSchedule schedule = NoiseSchedule.of(c, 0.0001, 0.02, false);
        String variance = SchedulerConfig.or(c.varianceType(), "fixed_small");
        if (!variance.equals("fixed_small") && !variance.equals("fixed_small_log") && !variance.equals("fixed_large")) {
            throw new IllegalArgumentException("unsupported variance_type for DDPM: " + variance);
        }
        return new DdpmSampler(schedule, spacedTimesteps(c, schedule.numTrainTimesteps(), steps),
                predictionType(c), batchSize, X0Clipping.of(c, true), variance);
    }

    /**
     * A DDPM run over caller-chosen training timesteps (diffusers' {@code set_timesteps(timesteps=...)}): strictly
     * descending, each below {@code num_train_timesteps}.
     */
    public static DdpmSampler withTimesteps(SchedulerConfig c, int[] timesteps, int batchSize) {
        NoiseSchedule schedule = NoiseSchedule.of(c, 0.0001, 0.02, false);
        if (timesteps.length == 0) {
            throw new IllegalArgumentException("custom timesteps must not be empty");
        }
        for (int i = 0; i < timesteps.length; i++) {
            if (i > 0 && timesteps[i] >= timesteps[i - 1]) {
                throw new IllegalArgumentException("custom timesteps must be in descending order");
            }
            if (timesteps[i] < 0 || timesteps[i] >= schedule.numTrainTimesteps()) {
                throw new IllegalArgumentException("custom timestep " + timesteps[i] + " outside 0.."
                        + (schedule.numTrainTimesteps() - 1));
            }
        }
        return new DdpmSampler(schedule, timesteps.clone(), predictionType(c),
                batchSize, X0Clipping.of(c, true), SchedulerConfig.or(c.varianceType(), "fixed_small"));
    }

    /** The timestep after call {@code i}'s, or -1 after the last. */
    int previousTimestep(int i) {
        return i + 1 < timesteps.length ? timesteps[i + 1] : -1;
    }

    /** diffusers' {@code _get_variance(t)} for call {@code i} (fixed_small: clamped to at least 1e-20). */
    float variance(int i) {
        int t = timesteps[i];
        int prevT = previousTimestep(i);
        float acT = alphasCumprod[t];
        float acPrev = prevT >= 0 ? alphasCumprod[prevT] : 1f;
        float beta = 1f - acT / acPrev;
        float v = Math.max((1f - acPrev) / (1f - acT) * beta, 1e-20f);
        return switch (varianceType) {
            case "fixed_large" -> beta;
            case "fixed_small_log" -> (float) Math.exp(0.5f * (float) Math.log(v));
            default -> v;
        };
    }

    @Override
    public void step(float[] modelOutput, int i, float[] sample, StepNoise noise) {
        advance(i);
        int t = timesteps[i];
        int prevT = previousTimestep(i);
        float acT = alphasCumprod[t];
        float acPrev = prevT >= 0 ? alphasCumprod[prevT] : 1f;
        float betaT = 1f - acT;
        float betaPrev = 1f - acPrev;
        float alphaT = acT / acPrev;
        float currentBeta = 1f - alphaT;
        float[] x0 = predictOriginal(modelOutput, sample, acT);
        clipping.apply(x0, batchSize());
        float x0Coeff = ((float) Math.sqrt(acPrev) * currentBeta) / betaT;
        float sampleCoeff = (float) Math.sqrt(alphaT) * betaPrev / betaT;
        for (int k = 0; k < sample.length; k++) {
            sample[k] = x0Coeff * x0[k] + sampleCoeff * sample[k];
        }
        if (t > 0) {
            if (noiseBuffer == null || noiseBuffer.length != sample.length) {
                noiseBuffer = new float[sample.length];
            }
            noise.fill(noiseBuffer);
            float v = variance(i);
            float scale = varianceType.equals("fixed_small_log") ? v : (float) Math.sqrt(v);
            for (int k = 0; k < sample.length; k++) {
                sample[k] = sample[k] + scale * noiseBuffer[k];
            }
        }
    }
}
