package io.sweepfarm.common.api;

import java.util.List;

/**
 * A sweep as a user submits it to {@code POST /api/v1/sweeps} (JSON or YAML). Every list is an axis; the sweep
 * renders the cartesian product of the axes, one image per combination, except axes named together in a {@code zip}
 * group, which advance together. Field names on the wire are snake_case.
 *
 * @param name                 free-form label; defaults to the model name
 * @param model                the model every image uses (a worker must serve it)
 * @param prompts              prompt axis (at least one)
 * @param negativePrompts      negative-prompt axis; absent means one empty negative prompt
 * @param promptSr             AUTOMATIC1111's "Prompt S/R" axis: the first entry is searched for in every prompt and
 *                             negative prompt, and each entry (the first included) replaces it in turn
 * @param cfgScales            classifier-free guidance scales (≥ 0; ≤ 1 disables guidance)
 * @param steps                denoising step counts
 * @param samplers             sampler ids or A1111 names ("Euler a"), see {@link io.sweepfarm.common.sampler.SamplerId}
 * @param seeds                seeds 0 … 4294967295: a list, or {@code {"start": s, "count": n}}
 * @param imagesPerCombination A1111's batch count: each seed s renders s, s+1, …, s+n−1; default 1
 * @param width                image width in pixels, a multiple of 8 (with {@code height}; or use {@code sizes})
 * @param height               image height in pixels, a multiple of 8
 * @param sizes                size axis, {@code [[512, 512], [768, 512]]}, instead of width and height
 * @param priority             higher runs first; default 0
 * @param noiseSource          initial-noise generator, default {@code torch_cpu}
 * @param promptOverflow       long-prompt handling, default {@link PromptOverflow#TRUNCATE}
 * @param initImages           img2img axis: object keys of uploaded init images (absent for txt2img)
 * @param strengths            img2img axis: denoising strengths in (0, 1]; required with init images
 * @param mask                 optional inpainting mask (object key), applied to every init image
 * @param zip                  groups of axis names that vary together instead of crossing, e.g.
 *                             {@code [["cfg_scales", "steps"]]}; the axes of a group have equal lengths
 * @param dryRun               true: answer the image count and the first images without storing anything
 * @param waitForModel         true: accept a sweep for a model no live worker serves yet (it waits for one)
 * @param loras                LoRAs, each an axis over its scales (0: without it)
 * @param controlnets          ControlNets, each with its control image and axes of scales and guidance start/end
 * @param hires                A1111's hires fix: axes of upscale factors and denoising strengths
 * @param refinerSwitchAt      SDXL refiner axis: fractions of the schedule after which the refiner takes over
 * @param depthMaps            depth-to-image axis: object keys of uploaded depth maps (needs init images)
 */
public record CreateSweepRequest(
        String name,
        String model,
        List<String> prompts,
        List<String> negativePrompts,
        List<String> promptSr,
        List<Double> cfgScales,
        List<Integer> steps,
        List<String> samplers,
        Seeds seeds,
        Integer imagesPerCombination,
        Integer width,
        Integer height,
        List<ImageSize> sizes,
        Integer priority,
        String noiseSource,
        PromptOverflow promptOverflow,
        List<String> initImages,
        List<Double> strengths,
        String mask,
        List<List<String>> zip,
        Boolean dryRun,
        Boolean waitForModel,
        List<LoraAxis> loras,
        List<ControlNetAxis> controlnets,
        HiresAxes hires,
        List<Double> refinerSwitchAt,
        List<String> depthMaps) {

    /** A sweep without the axes of LoRAs, ControlNets, hires fix, refiner and depth maps. */
    public CreateSweepRequest(String name, String model, List<String> prompts, List<String> negativePrompts,
            List<String> promptSr, List<Double> cfgScales, List<Integer> steps, List<String> samplers, Seeds seeds,
            Integer imagesPerCombination, Integer width, Integer height, List<ImageSize> sizes, Integer priority,
            String noiseSource, PromptOverflow promptOverflow, List<String> initImages, List<Double> strengths,
            String mask, List<List<String>> zip, Boolean dryRun, Boolean waitForModel) {
        this(name, model, prompts, negativePrompts, promptSr, cfgScales, steps, samplers, seeds, imagesPerCombination,
                width, height, sizes, priority, noiseSource, promptOverflow, initImages, strengths, mask, zip, dryRun,
                waitForModel, null, null, null, null, null);
    }
}
