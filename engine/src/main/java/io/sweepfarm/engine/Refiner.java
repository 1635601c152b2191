package io.sweepfarm.engine;

/**
 * SDXL's refiner hand-off, as diffusers does it: the base model denoises until {@code denoising_end = switchAt} of
 * the schedule and hands its latents, noise and all, to the refiner model, which continues from
 * {@code denoising_start = switchAt} with the same sampler and step count.
 *
 * @param switchAt fraction of the schedule the base model denoises ("Refiner switch at"), in (0, 1)
 */
public record Refiner(double switchAt) {

    public Refiner {
        if (!(switchAt > 0 && switchAt < 1)) {
            throw new IllegalArgumentException("refiner switch must be in (0, 1), got " + switchAt);
        }
    }
}
