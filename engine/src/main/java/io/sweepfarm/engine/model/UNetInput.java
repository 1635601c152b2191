package io.sweepfarm.engine.model;

/**
 * What one U-Net call takes.
 *
 * @param sample    latents [batch, channels, h, w] (channels 4, or 9 for inpainting)
 * @param timesteps one timestep per batch item; a scalar-timestep export needs them all equal
 * @param context   text hidden states [batch, sequence, hidden]
 */
public record UNetInput(Latents sample, float[] timesteps, TextStates context) {

    public UNetInput {
        if (timesteps.length != sample.batch()) {
            throw new IllegalArgumentException("need one timestep per batch item: " + timesteps.length + " for "
                    + sample.batch());
        }
        if (context.batch() != sample.batch()) {
            throw new IllegalArgumentException("text states for " + context.batch() + " items, latents for "
                    + sample.batch());
        }
    }
}
