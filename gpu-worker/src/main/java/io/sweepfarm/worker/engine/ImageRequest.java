package io.sweepfarm.worker.engine;

import io.sweepfarm.common.sampler.SamplerId;
import io.sweepfarm.common.api.PromptOverflow;
import java.awt.image.BufferedImage;

/**
 * One image for the engine to generate.
 *
 * @param prompt         prompt (A1111 emphasis syntax allowed)
 * @param negativePrompt negative prompt, "" for none
 * @param cfgScale       guidance scale; ≤ 1 renders the conditional prediction alone, as diffusers does
 * @param steps          denoising steps
 * @param sampler        sampler
 * @param seed           seed of the image's noise generator
 * @param width          pixels, multiple of 8
 * @param height         pixels, multiple of 8
 * @param noiseSource    noise source id, e.g. {@code torch_cpu}
 * @param promptMode     long-prompt handling
 * @param initImage      img2img/inpainting source image (resized to width×height), or null
 * @param strength       img2img strength in (0, 1]; null for txt2img
 * @param mask           inpainting mask (white repaints), or null
 */
public record ImageRequest(String prompt, String negativePrompt, double cfgScale, int steps, SamplerId sampler,
        long seed, int width, int height, String noiseSource, PromptOverflow promptMode, BufferedImage initImage,
        Double strength, BufferedImage mask) {

    /** True when classifier-free guidance applies (diffusers: {@code guidance_scale > 1}). */
    public boolean guided() {
        return cfgScale > 1.0;
    }

    /** A txt2img request. */
    public static ImageRequest txt2img(String prompt, String negativePrompt, double cfgScale, int steps,
            SamplerId sampler, long seed, int width, int height) {
        return new ImageRequest(prompt, negativePrompt, cfgScale, steps, sampler, seed, width, height, "torch_cpu",
                PromptOverflow.TRUNCATE, null, null, null);
    }
}
