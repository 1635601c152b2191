package io.sweepfarm.common.png;

/**
 * The parameters recorded with every rendered image, in the PNG's {@code parameters} text chunk (as
 * {@link InfoText}) and in the S3 object's user metadata.
 *
 * @param prompt         prompt text as submitted
 * @param negativePrompt negative prompt, empty when none
 * @param steps          denoising steps
 * @param sampler        sampler id (e.g. {@code euler_a}); the infotext prints A1111's display name
 * @param cfgScale       guidance scale
 * @param seed           noise seed
 * @param width          pixels
 * @param height         pixels
 * @param model          model name
 * @param noiseSource    noise generator id, e.g. {@code torch_cpu}
 * @param strength       img2img denoising strength, or null for txt2img
 */
public record ImageParameters(
        String prompt,
        String negativePrompt,
        int steps,
        String sampler,
        double cfgScale,
        long seed,
        int width,
        int height,
        String model,
        String noiseSource,
        Double strength) {
}
