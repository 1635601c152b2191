package io.sweepfarm.engine;

import io.sweepfarm.engine.noise.NoiseSources;
import io.sweepfarm.engine.scheduler.SamplerType;
import io.sweepfarm.engine.tokenizer.PromptOverflow;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Objects;

/**
 * One image for the engine to generate: every parameter that shapes its pixels. Build one with {@link #builder()};
 * the canonical constructor normalises what a caller may leave out, so the record says exactly what is rendered: no
 * negative prompt is {@code ""}, no noise source is {@link NoiseSources#DEFAULT_ID}, no prompt mode is
 * {@link PromptOverflow#TRUNCATE}, an init image without a strength has strength 1, a strength without an init image
 * is dropped, and absent lists are empty.
 *
 * @param prompt         prompt (A1111 emphasis syntax allowed)
 * @param negativePrompt negative prompt, "" for none
 * @param cfgScale       guidance scale; ≤ 1 renders the conditional prediction alone, as diffusers does
 * @param steps          denoising steps
 * @param sampler        sampler
 * @param seed           seed of the image's noise generator
 * @param width          pixels, multiple of 8 (with hires fix: the first pass)
 * @param height         pixels, multiple of 8
 * @param noiseSource    noise source id, {@code torch_cpu} or {@code nv}
 * @param promptMode     long-prompt handling
 * @param initImage      img2img/inpainting/depth-to-image source image (resized to width×height), or null
 * @param strength       img2img strength in (0, 1] when there is an init image, else null
 * @param mask           inpainting mask (white repaints), or null
 * @param depthMap       depth-to-image: the depth map (brighter is nearer; normalised per image), or null
 * @param loras          LoRAs applied to the model's weights, by name, each with its scale; empty for none
 * @param controlNets    ControlNets guiding the U-Net, summed; empty for none
 * @param hires          AUTOMATIC1111's hires fix (a second pass at a larger size), or null
 * @param refiner        SDXL: hand the last part of the schedule to the refiner model, or null
 * @param sdxl           SDXL micro-conditioning ({@code time_ids}); null uses diffusers' defaults for the size
 */
public record ImageRequest(String prompt, String negativePrompt, double cfgScale, int steps, SamplerType sampler,
        long seed, int width, int height, String noiseSource, PromptOverflow promptMode, BufferedImage initImage,
        Double strength, BufferedImage mask, BufferedImage depthMap, List<LoraWeight> loras,
        List<ControlNetUnit> controlNets, HiresFix hires, Refiner refiner, SdxlConditioning sdxl) {

    public ImageRequest {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(sampler, "sampler");
        negativePrompt = negativePrompt == null ? "" : negativePrompt;
        noiseSource = noiseSource == null ? NoiseSources.DEFAULT_ID : noiseSource;
        promptMode = promptMode == null ? PromptOverflow.TRUNCATE : promptMode;
        strength = initImage == null ? null : strength == null ? Double.valueOf(1.0) : strength;
        loras = loras == null ? List.of() : List.copyOf(loras);
        controlNets = controlNets == null ? List.of() : List.copyOf(controlNets);
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be at least 1, got " + steps);
        }
        if (width < 8 || height < 8 || width % 8 != 0 || height % 8 != 0) {
            throw new IllegalArgumentException("size " + width + "x" + height + " must be positive multiples of 8");
        }
        if (strength != null && !(strength > 0 && strength <= 1)) {
            throw new IllegalArgumentException("strength must be in (0, 1], got " + strength);
        }
    }

    /** True when classifier-free guidance applies (diffusers: {@code guidance_scale > 1}). */
    public boolean guided() {
        return cfgScale > 1.0;
    }

    /** A txt2img request. */
    public static ImageRequest txt2img(String prompt, String negativePrompt, double cfgScale, int steps,
            SamplerType sampler, long seed, int width, int height) {
        return builder().prompt(prompt).negativePrompt(negativePrompt).cfgScale(cfgScale).steps(steps)
                .sampler(sampler).seed(seed).size(width, height).build();
    }

    /**
     * What requests must share to be denoised in one U-Net batch: the schedule, the size, the mode and the model
     * variant (LoRAs, ControlNets and their settings, hires fix, refiner). Prompts, negative prompts, guidance
     * scales, seeds, noise sources and the images themselves may differ.
     */
    public BatchKey batchKey() {
        return new BatchKey(steps, sampler, width, height, initImage != null, strength, mask != null,
                depthMap != null, loras, controlNets.stream().map(ControlNetUnit::settings).toList(), hires, refiner);
    }

    /** See {@link #batchKey()}. */
    public record BatchKey(int steps, SamplerType sampler, int width, int height, boolean img2img, Double strength,
            boolean inpaint, boolean depth, List<LoraWeight> loras, List<ControlNetUnit.Settings> controlNets,
            HiresFix hires, Refiner refiner) {
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this request's values. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.prompt = prompt;
        b.negativePrompt = negativePrompt;
        b.cfgScale = cfgScale;
        b.steps = steps;
        b.sampler = sampler;
        b.seed = seed;
        b.width = width;
        b.height = height;
        b.noiseSource = noiseSource;
        b.promptMode = promptMode;
        b.initImage = initImage;
        b.strength = strength;
        b.mask = mask;
        b.depthMap = depthMap;
        b.loras = loras;
        b.controlNets = controlNets;
        b.hires = hires;
        b.refiner = refiner;
        b.sdxl = sdxl;
        return b;
    }

    /**
     * Builds requests; starts from A1111's defaults for the rest (20 steps, CFG 7, Euler a, 512×512, seed 0).
     * Not thread-safe.
     */
    public static final class Builder {
        private String prompt = "";
        private String negativePrompt = "";
        private double cfgScale = 7.0;
        private int steps = 20;
        private SamplerType sampler = SamplerType.EULER_A;
        private long seed;
        private int width = 512;
        private int height = 512;
        private String noiseSource;
        private PromptOverflow promptMode;
        private BufferedImage initImage;
        private Double strength;
        private BufferedImage mask;
        private BufferedImage depthMap;
        private List<LoraWeight> loras = List.of();
        private List<ControlNetUnit> controlNets = List.of();
        private HiresFix hires;
        private Refiner refiner;
        private SdxlConditioning sdxl;

        private Builder() {
        }

        public Builder prompt(String v) { prompt = v; return this; }
        public Builder negativePrompt(String v) { negativePrompt = v; return this; }
        public Builder cfgScale(double v) { cfgScale = v; return this; }
        public Builder steps(int v) { steps = v; return this; }
        public Builder sampler(SamplerType v) { sampler = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder size(int w, int h) { width = w; height = h; return this; }
        public Builder noiseSource(String v) { noiseSource = v; return this; }
        public Builder promptMode(PromptOverflow v) { promptMode = v; return this; }
        /** img2img (and, with a mask, inpainting; with a depth map, depth-to-image) from {@code image}. */
        public Builder initImage(BufferedImage image, Double strength) {
            initImage = image;
            this.strength = strength;
            return this;
        }
        public Builder mask(BufferedImage v) { mask = v; return this; }
        public Builder depthMap(BufferedImage v) { depthMap = v; return this; }
        public Builder loras(List<LoraWeight> v) { loras = v; return this; }
        public Builder controlNets(List<ControlNetUnit> v) { controlNets = v; return this; }
        public Builder hires(HiresFix v) { hires = v; return this; }
        public Builder refiner(Refiner v) { refiner = v; return this; }
        public Builder sdxl(SdxlConditioning v) { sdxl = v; return this; }

        public ImageRequest build() {
            return new ImageRequest(prompt, negativePrompt, cfgScale, steps, sampler, seed, width, height,
                    noiseSource, promptMode, initImage, strength, mask, depthMap, loras, controlNets, hires, refiner,
                    sdxl);
        }
    }
}
