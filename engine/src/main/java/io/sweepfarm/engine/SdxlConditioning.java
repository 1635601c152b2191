package io.sweepfarm.engine;

/**
 * SDXL's micro-conditioning, fed to the U-Net as {@code time_ids}: the base model takes (original height, original
 * width, crop top, crop left, target height, target width), the refiner (original height, original width, crop top,
 * crop left, aesthetic score) with the negative aesthetic score on the unconditional rows. diffusers' defaults, used
 * when a request names none: original and target size are the render size, no crop, aesthetic scores 6 and 2.5.
 */
public record SdxlConditioning(int originalWidth, int originalHeight, int cropTop, int cropLeft, int targetWidth,
        int targetHeight, double aestheticScore, double negativeAestheticScore) {

    /** diffusers' defaults for a render of {@code width × height}. */
    public static SdxlConditioning defaults(int width, int height) {
        return new SdxlConditioning(width, height, 0, 0, width, height, 6.0, 2.5);
    }
}
