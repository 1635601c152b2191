package io.sweepfarm.engine.model;

/**
 * What one U-Net (or ControlNet) call takes.
 *
 * @param sample     latents [batch, channels, h, w] (channels 4; 5 for depth, 9 for inpainting U-Nets)
 * @param timesteps  one timestep per batch item; a scalar-timestep export needs them all equal
 * @param context    text hidden states [batch, sequence, hidden]
 * @param textEmbeds SDXL: the pooled text embedding [batch, width], else null
 * @param timeIds    SDXL: the micro-conditioning [batch, 6] (refiner: 5), else null
 * @param residuals  ControlNet residuals for a U-Net exported with residual inputs, else null
 */
public record UNetInput(Latents sample, float[] timesteps, TextStates context, float[] textEmbeds, float[] timeIds,
        Residuals residuals) {

    public UNetInput {
        if (timesteps.length != sample.batch()) {
            throw new IllegalArgumentException("need one timestep per batch item: " + timesteps.length + " for "
                    + sample.batch());
        }
        if (context.batch() != sample.batch()) {
            throw new IllegalArgumentException("text states for " + context.batch() + " items, latents for "
                    + sample.batch());
        }
        if ((textEmbeds == null) != (timeIds == null)) {
            throw new IllegalArgumentException("SDXL's text_embeds and time_ids come together");
        }
        if (textEmbeds != null && (textEmbeds.length % sample.batch() != 0 || timeIds.length % sample.batch() != 0)) {
            throw new IllegalArgumentException("text_embeds and time_ids need one row per batch item");
        }
    }

    /** An SD 1.x/2.x call: latents, timesteps and text states. */
    public UNetInput(Latents sample, float[] timesteps, TextStates context) {
        this(sample, timesteps, context, null, null, null);
    }

    /** This call with SDXL's added conditions. */
    public UNetInput withAdded(float[] textEmbeds, float[] timeIds) {
        return new UNetInput(sample, timesteps, context, textEmbeds, timeIds, residuals);
    }

    /** This call with ControlNet residuals. */
    public UNetInput withResiduals(Residuals r) {
        return new UNetInput(sample, timesteps, context, textEmbeds, timeIds, r);
    }
}
