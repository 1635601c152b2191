package io.sweepfarm.common.image;

import io.sweepfarm.common.api.PromptOverflow;

/**
 * Every parameter that makes one image: the one record of them, declared once and carried end to end. The sweep
 * expander produces it from a spec and an ordinal, a {@link io.sweepfarm.common.messaging.RenderTask} carries it to
 * the worker, the PNG's A1111 infotext and the S3 metadata are written from it, the API's image view and the dataset
 * export show it, and the query filters are derived from its components (a filter exists for each one, by its
 * snake_case JSON name). Adding a parameter here makes it flow everywhere.
 *
 * @param model          model name (a worker must serve it)
 * @param prompt         prompt text, A1111 emphasis syntax allowed
 * @param negativePrompt negative prompt, empty when none
 * @param cfgScale       classifier-free guidance scale; ≤ 1 disables guidance
 * @param steps          denoising steps
 * @param sampler        sampler id ({@link io.sweepfarm.common.sampler.SamplerId#id()})
 * @param seed           seed of the image's noise, 0 … 2³²−1
 * @param width          pixels, a multiple of 8
 * @param height         pixels, a multiple of 8
 * @param noiseSource    noise generator id, e.g. {@code torch_cpu}
 * @param promptOverflow long-prompt handling
 * @param initImage      img2img/inpainting: object key of the init image, else null
 * @param strength       img2img: denoising strength in (0, 1], else null
 * @param mask           inpainting: object key of the mask (white = repaint), else null
 */
public record ImageParameters(
        String model,
        @FreeText String prompt,
        @FreeText String negativePrompt,
        double cfgScale,
        int steps,
        String sampler,
        long seed,
        int width,
        int height,
        String noiseSource,
        PromptOverflow promptOverflow,
        String initImage,
        Double strength,
        String mask) {

    /** The parameters that must be equal for two images to share one batched U-Net call. */
    public BatchKey batchKey() {
        return new BatchKey(model, steps, sampler, width, height, initImage != null, strength, mask != null);
    }

    /** Compatibility class for micro-batching: same model, schedule, latent size and mode. */
    public record BatchKey(String model, int steps, String sampler, int width, int height, boolean img2img,
            Double strength, boolean inpaint) {
    }
}
