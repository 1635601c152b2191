package io.sweepfarm.engine;

/**
 * AUTOMATIC1111's hires fix: render at the request's size, upscale by {@code scale}, then denoise again as img2img
 * at {@code strength} ("Denoising strength") for {@code steps} steps (0: as many as the first pass).
 *
 * @param scale    upscale factor ("Hires upscale"), above 1; the second pass size is rounded down to multiples of 8
 * @param strength denoising strength of the second pass, in (0, 1]
 * @param upscaler how the first pass is enlarged
 * @param steps    second-pass steps ("Hires steps"), 0 for the first pass's count
 */
public record HiresFix(double scale, double strength, Upscaler upscaler, int steps) {

    /** How the first pass is enlarged. */
    public enum Upscaler {
        /** A1111 "Latent": the latents, bilinearly (torch's {@code interpolate}, {@code align_corners=False}). */
        LATENT("Latent"),
        /** A1111 "Latent (nearest)": the latents, nearest neighbour. */
        LATENT_NEAREST("Latent (nearest)"),
        /** A1111 "Lanczos": decode, resize the pixels with a Lanczos-3 filter, encode again. */
        LANCZOS("Lanczos");

        private final String infotextName;

        Upscaler(String infotextName) {
            this.infotextName = infotextName;
        }

        /** The name A1111 writes as "Hires upscaler". */
        public String infotextName() {
            return infotextName;
        }
    }

    public HiresFix {
        if (!(scale > 1 && scale <= 8)) {
            throw new IllegalArgumentException("hires scale must be in (1, 8], got " + scale);
        }
        if (!(strength > 0 && strength <= 1)) {
            throw new IllegalArgumentException("hires denoising strength must be in (0, 1], got " + strength);
        }
        if (upscaler == null) {
            throw new IllegalArgumentException("hires fix needs an upscaler");
        }
        if (steps < 0) {
            throw new IllegalArgumentException("hires steps must be >= 0, got " + steps);
        }
    }

    /** The second pass's size for a first pass of {@code size} pixels: scaled, rounded down to a multiple of 8. */
    public int upscaled(int size) {
        return (int) (size * scale) / 8 * 8;
    }
}
