package io.sweepfarm.engine.scheduler;

/**
 * Creates a fresh {@link Sampler} for one denoising run. Stateless and thread-safe; the samplers it makes are not.
 *
 * <p>Mapping to diffusers: DDIM → DDIMScheduler; PLMS → PNDMScheduler with {@code skip_prk_steps} forced on;
 * LMS → LMSDiscreteScheduler; EULER → EulerDiscreteScheduler; EULER_A → EulerAncestralDiscreteScheduler;
 * HEUN → HeunDiscreteScheduler; DPMPP_2M → DPMSolverMultistepScheduler (as configured, by default dpmsolver++,
 * midpoint, order 2); DPMPP_2M_KARRAS → the same with {@code use_karras_sigmas} forced on; DDPM → DDPMScheduler;
 * UNIPC → UniPCMultistepScheduler. Keys the config lacks take each scheduler's own default.
 */
public final class Samplers {

    private Samplers() {
    }

    /**
     * @param config            the model's scheduler config (absent keys use the sampler's defaults)
     * @param numInferenceSteps denoising steps (not model calls: Heun makes about twice as many)
     * @param batchSize         images in the latents, for per-image thresholding
     */
    public static Sampler create(SamplerType id, SchedulerConfig config, int numInferenceSteps, int batchSize) {
        if (numInferenceSteps < 1) {
            throw new IllegalArgumentException("numInferenceSteps must be at least 1, got " + numInferenceSteps);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
        }
        int numTrain = SchedulerConfig.or(config.numTrainTimesteps(), 1000);
        if (numInferenceSteps > numTrain) {
            throw new IllegalArgumentException("numInferenceSteps " + numInferenceSteps
                    + " exceeds num_train_timesteps " + numTrain);
        }
        return switch (id) {
            case DDIM -> DdimSampler.create(config, numInferenceSteps, batchSize);
            case PLMS -> PndmSampler.create(config.with("skip_prk_steps", true), numInferenceSteps,
                    batchSize);
            case LMS -> LmsSampler.create(config, numInferenceSteps, batchSize);
            case EULER -> EulerSampler.create(config, numInferenceSteps, batchSize);
            case EULER_A -> EulerAncestralSampler.create(config, numInferenceSteps, batchSize);
            case HEUN -> HeunSampler.create(config, numInferenceSteps, batchSize);
            case DPMPP_2M -> DpmSolverMultistepSampler.create(config, numInferenceSteps, batchSize);
            case DPMPP_2M_KARRAS -> DpmSolverMultistepSampler.create(
                    config.with("use_karras_sigmas", true), numInferenceSteps, batchSize);
            case DDPM -> DdpmSampler.create(config, numInferenceSteps, batchSize);
            case UNIPC -> UniPcSampler.create(config, numInferenceSteps, batchSize);
        };
    }

    /**
     * diffusers' {@code index_for_timestep}: the position of {@code t} in {@code timesteps}, taking the second
     * occurrence when it occurs more than once (Heun's duplicated timesteps), so a run started by timestep value
     * does not repeat a step. Throws when {@code t} is absent.
     */
    public static int indexForTimestep(float[] timesteps, float t) {
        int first = -1;
        for (int i = 0; i < timesteps.length; i++) {
            if (timesteps[i] == t) {
                if (first >= 0) {
                    return i;
                }
                first = i;
            }
        }
        if (first < 0) {
            throw new IllegalArgumentException("timestep " + t + " is not in the schedule");
        }
        return first;
    }
}
