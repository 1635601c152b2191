package io.sweepfarm.common.api;

import java.util.List;

/**
 * A sweep as a user submits it to {@code POST /api/v1/sweeps}. Every list is an axis; the sweep renders the
 * cartesian product of the axes, one image per combination. Field names on the wire are snake_case.
 *
 * @param name             free-form label; defaults to the model name
 * @param model            the model every image uses (a worker must serve it)
 * @param prompts          prompt axis (at least one)
 * @param negativePrompts  negative-prompt axis; absent means one empty negative prompt
 * @param cfgScales        classifier-free guidance scales (≥ 0; ≤ 1 disables guidance)
 * @param steps            denoising step counts
 * @param samplers         sampler ids, see {@link io.sweepfarm.common.sampler.SamplerId}
 * @param seeds            seeds, 0 … 4294967295
 * @param width            image width in pixels, a multiple of 8
 * @param height           image height in pixels, a multiple of 8
 * @param priority         higher runs first; default 0
 * @param noiseSource      initial-noise generator, default {@code torch_cpu}
 * @param promptOverflow   long-prompt handling, default {@link PromptOverflow#TRUNCATE}
 * @param initImages       img2img axis: object keys of uploaded init images (absent for txt2img)
 * @param strengths        img2img axis: denoising strengths in (0, 1]; required with init images
 * @param mask             optional inpainting mask (object key), applied to every init image
 */
public record CreateSweepRequest(
        String name,
        String model,
        List<String> prompts,
        List<String> negativePrompts,
        List<Double> cfgScales,
        List<Integer> steps,
        List<String> samplers,
        List<Long> seeds,
        Integer width,
        Integer height,
        Integer priority,
        String noiseSource,
        PromptOverflow promptOverflow,
        List<String> initImages,
        List<Double> strengths,
        String mask) {
}
