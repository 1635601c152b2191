package io.sweepfarm.engine;

import io.sweepfarm.engine.noise.NoiseSources;
import io.sweepfarm.engine.scheduler.SamplerType;
import io.sweepfarm.engine.tokenizer.PromptOverflow;
import java.awt.image.BufferedImage;

/**
 * One image for the engine to generate. The canonical constructor normalises what a caller may leave out, so the
 * record says exactly what is rendered: no negative prompt is {@code ""}, no noise source is
 * {@link NoiseSources#DEFAULT_ID}, no prompt mode is {@link PromptOverflow#TRUNCATE}, an init image without a strength
 * has strength 1, and a strength without an init image is dropped.
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
 * @param strength       img2img strength in (0, 1] when there is an init image, else null
 * @param mask           inpainting mask (white repaints), or null
 */
public record ImageRequest(String prompt, String negativePrompt, double cfgScale, int steps, SamplerType sampler,
        long seed, int width, int height, String noiseSource, PromptOverflow promptMode, BufferedImage initImage,
        Double strength, BufferedImage mask) {

    public ImageRequest {
        negativePrompt = negativePrompt == null ? "" : negativePrompt;
        noiseSource = noiseSource == null ? NoiseSources.DEFAULT_ID : noiseSource;
        promptMode = promptMode == null ? PromptOverflow.TRUNCATE : promptMode;
        strength = initImage == null ? null : strength == null ? Double.valueOf(1.0) : strength;
    }

    /** True when classifier-free guidance applies (diffusers: {@code guidance_scale > 1}). */
    public boolean guided() {
        return cfgScale > 1.0;
    }

    /** A txt2img request. */
    public static ImageRequest txt2img(String prompt, String negativePrompt, double cfgScale, int steps,
            SamplerType sampler, long seed, int width, int height) {
        return new ImageRequest(prompt, negativePrompt, cfgScale, steps, sampler, seed, width, height, null, null,
                null, null, null);
    }
}
