package io.sweepfarm.engine.scheduler;

/**
 * One denoising run of a diffusion sampler (a diffusers scheduler after {@code set_timesteps}).
 *
 * <p>Latents are {@code float[]} in NCHW order (any trailing shape works: the ported UniPC test uses N,C,W), holding
 * {@link #batchSize()} images of equal size. The pipeline drives it so:
 * <ol>
 *   <li>{@link #timesteps()}: what the U-Net receives, one entry per model call (19 calls for Heun at 10 steps);
 *   <li>start latents are {@code noise * initNoiseSigma()}; or, for img2img, {@link #setBeginIndex(int)} with
 *       {@code tStart * order()} and {@link #addNoise(float[], float[])} at that index;
 *   <li>per call {@code i} (from the begin index up): {@link #scaleModelInput(float[], int)}, the model, then
 *       {@link #step(float[], int, float[], StepNoise)}.
 * </ol>
 * Arrays passed in stay owned by the caller; {@code step} updates {@code sample} in place and keeps copies of
 * whatever history it needs. Not thread-safe: one instance per run.
 */
public interface Sampler {

    /** The model-call timesteps in order; a fresh copy. Fractional for the Euler family. */
    float[] timesteps();

    /** Standard deviation of the initial noise (1 for alpha-based samplers, the largest sigma or more for the rest). */
    float initNoiseSigma();

    /** Model calls per denoising step: 2 for Heun, else 1. */
    int order();

    /** How many images the latents hold (used by per-image thresholding). */
    int batchSize();

    /** Index of the first call the run will make (diffusers' {@code set_begin_index}); 0 unless img2img. */
    void setBeginIndex(int index);

    /** The call index set by {@link #setBeginIndex(int)}. */
    int beginIndex();

    /** Noises clean latents to the begin index's timestep, as diffusers' {@code add_noise}; returns a new array. */
    default float[] addNoise(float[] original, float[] noise) {
        return addNoise(original, noise, beginIndex());
    }

    /**
     * Noises clean latents to call {@code i}'s timestep (diffusers' {@code add_noise} at {@code timesteps[i]}), as
     * inpainting with a 4-channel U-Net does before blending; returns a new array.
     */
    float[] addNoise(float[] original, float[] noise, int i);

    /** The input the model gets at call {@code i}: a new array (Euler family divides by sqrt(sigma^2+1)). */
    float[] scaleModelInput(float[] sample, int i);

    /**
     * Advances {@code sample} in place from call {@code i}'s timestep to the next. Calls must come in order, one
     * per index from the begin index up.
     *
     * @param modelOutput the model's prediction for {@code scaleModelInput(sample, i)} (not modified)
     * @param noise source of fresh normals for stochastic samplers; ignored by deterministic ones
     */
    void step(float[] modelOutput, int i, float[] sample, StepNoise noise);

    /** Convenience for deterministic samplers. */
    default void step(float[] modelOutput, int i, float[] sample) {
        step(modelOutput, i, sample, StepNoise.NONE);
    }
}
