package io.sweepfarm.engine.scheduler;

/**
 * Supplies the fresh standard-normal noise a stochastic sampler (Euler a, DDPM, DDIM with eta &gt; 0) draws in a
 * step. The sampler calls it exactly when diffusers would draw, with an array as long as the latents; the
 * implementation fills the whole array (per-image slices from per-image generators in the pipeline; one generator
 * over the whole tensor in the ported diffusers tests).
 */
@FunctionalInterface
public interface StepNoise {

    /** Fills {@code out} (laid out like the latents) with standard normals. */
    void fill(float[] out);

    /** For deterministic samplers: fails if a draw is ever requested. */
    StepNoise NONE = out -> {
        throw new IllegalStateException("this sampler needs step noise but none was supplied");
    };
}
