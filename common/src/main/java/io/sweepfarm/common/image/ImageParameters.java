package io.sweepfarm.common.image;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.sweepfarm.common.api.PromptOverflow;
import java.util.ArrayList;
import java.util.List;

/**
 * Every parameter that makes one image: the one record of them, declared once and carried end to end. The sweep
 * expander produces it from a spec and an ordinal, a {@link io.sweepfarm.common.messaging.RenderTask} carries it to
 * the worker, the PNG's A1111 infotext and the S3 metadata are written from it, the API's image view and the dataset
 * export show it, and the query filters are derived from its components (a filter exists for each one, by its
 * snake_case JSON name). Adding a parameter here makes it flow everywhere. The modes beyond img2img are null (or
 * empty, and then left out of JSON) when an image does not use them.
 *
 * @param model           model name (a worker must serve it)
 * @param prompt          prompt text, A1111 emphasis syntax allowed
 * @param negativePrompt  negative prompt, empty when none
 * @param cfgScale        classifier-free guidance scale; ≤ 1 disables guidance
 * @param steps           denoising steps
 * @param sampler         sampler id ({@link io.sweepfarm.common.sampler.SamplerId#id()})
 * @param seed            seed of the image's noise, 0 … 2³²−1
 * @param width           pixels, a multiple of 8 (with hires fix: the first pass)
 * @param height          pixels, a multiple of 8
 * @param noiseSource     noise generator id, e.g. {@code torch_cpu}
 * @param promptOverflow  long-prompt handling
 * @param initImage       img2img/inpainting/depth-to-image: object key of the init image, else null
 * @param strength        img2img: denoising strength in (0, 1], else null
 * @param mask            inpainting: object key of the mask (white = repaint), else null
 * @param depthMap        depth-to-image: object key of the depth map (brighter is nearer), else null
 * @param loras           LoRAs applied, in the sweep's order, only those with a nonzero scale; empty for none
 * @param controlnets     ControlNets guiding the image, in the sweep's order; empty for none
 * @param hiresScale      hires fix: upscale factor of the second pass, else null
 * @param hiresStrength   hires fix: denoising strength of the second pass, else null
 * @param hiresUpscaler   hires fix: {@link HiresUpscaler#id()}, else null
 * @param hiresSteps      hires fix: second-pass steps, 0 for as many as the first pass; else null
 * @param refinerSwitchAt SDXL: fraction of the schedule after which the refiner takes over, else null
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
        String mask,
        String depthMap,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<LoraWeight> loras,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<ControlNetUse> controlnets,
        Double hiresScale,
        Double hiresStrength,
        String hiresUpscaler,
        Integer hiresSteps,
        Double refinerSwitchAt) {

    public ImageParameters {
        loras = loras == null ? List.of() : List.copyOf(loras);
        controlnets = controlnets == null ? List.of() : List.copyOf(controlnets);
    }

    /** The parameters of an image that uses none of the modes beyond txt2img, img2img and inpainting. */
    public ImageParameters(String model, String prompt, String negativePrompt, double cfgScale, int steps,
            String sampler, long seed, int width, int height, String noiseSource, PromptOverflow promptOverflow,
            String initImage, Double strength, String mask) {
        this(model, prompt, negativePrompt, cfgScale, steps, sampler, seed, width, height, noiseSource,
                promptOverflow, initImage, strength, mask, null, List.of(), List.of(), null, null, null, null, null);
    }

    /** Object keys of every input the image reads (init image, mask, depth map, control images), no repeats. */
    public List<String> inputKeys() {
        List<String> keys = new ArrayList<>(3 + controlnets.size());
        for (String k : new String[] {initImage, mask, depthMap}) {
            if (k != null && !keys.contains(k)) {
                keys.add(k);
            }
        }
        for (ControlNetUse c : controlnets) {
            if (!keys.contains(c.image())) {
                keys.add(c.image());
            }
        }
        return keys;
    }

    /** The parameters that must be equal for two images to share one batched U-Net call. */
    public BatchKey batchKey() {
        return new BatchKey(model, steps, sampler, width, height, initImage != null, strength, mask != null,
                depthMap != null, loras, controlnets, hiresScale, hiresStrength, hiresUpscaler, hiresSteps,
                refinerSwitchAt);
    }

    /**
     * Compatibility class for micro-batching: same model, schedule, latent size and mode, and the same model variant
     * (LoRAs, ControlNet settings, hires fix, refiner hand-off).
     */
    public record BatchKey(String model, int steps, String sampler, int width, int height, boolean img2img,
            Double strength, boolean inpaint, boolean depth, List<LoraWeight> loras, List<ControlNetUse> controlnets,
            Double hiresScale, Double hiresStrength, String hiresUpscaler, Integer hiresSteps,
            Double refinerSwitchAt) {
    }
}
