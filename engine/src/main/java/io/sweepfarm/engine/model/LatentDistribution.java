package io.sweepfarm.engine.model;

/**
 * What a VAE encoder returns for a batch of images: the diagonal Gaussian over latents (mean and
 * log-variance, each [batch, 4, h, w]) when the export outputs {@code latent_parameters}, or an
 * already-sampled latent when an older export outputs {@code latent_sample} ({@code logvar} null).
 * Latents are unscaled: multiply by the VAE scaling factor before denoising.
 *
 * <p>Arrays are owned by this record; do not modify them.
 */
public record LatentDistribution(float[] mean, float[] logvar, int batch, int channels, int height, int width) {

    /** True when the encoder sampled inside the model; {@link #sample} then ignores the noise. */
    public boolean isPreSampled() {
        return logvar == null;
    }

    /**
     * mean + exp(logvar / 2) * noise, with logvar clamped to [-30, 20] as diffusers'
     * DiagonalGaussianDistribution does; {@code noise} is standard normal [batch, 4, h, w] from the
     * caller's seeded generator. For a pre-sampled latent returns a copy of it.
     */
    public float[] sample(float[] noise) {
        if (logvar == null) {
            return mean.clone();
        }
        if (noise.length != mean.length) {
            throw new IllegalArgumentException("noise has " + noise.length + " values, expected " + mean.length);
        }
        float[] out = new float[mean.length];
        for (int i = 0; i < out.length; i++) {
            float lv = Math.max(-30f, Math.min(20f, logvar[i]));
            out[i] = mean[i] + (float) Math.exp(0.5 * lv) * noise[i];
        }
        return out;
    }

    /** The mean (the distribution's mode), a copy. */
    public float[] mode() {
        return mean.clone();
    }
}
