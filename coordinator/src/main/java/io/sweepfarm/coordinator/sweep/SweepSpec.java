package io.sweepfarm.coordinator.sweep;

import java.util.Arrays;
import java.util.List;

/**
 * A validated sweep with defaults applied: what is stored in {@code sweep.spec} and what {@link SweepExpander}
 * expands. Optional axes hold one element when absent (an empty negative prompt; {@code null} init image and
 * strength for txt2img), so that every axis has at least one value.
 */
public record SweepSpec(
        String name,
        String model,
        int priority,
        List<String> prompts,
        List<String> negativePrompts,
        List<String> initImages,
        List<Double> strengths,
        List<String> samplers,
        List<Integer> steps,
        List<Double> cfgScales,
        List<Long> seeds,
        int width,
        int height,
        String noiseSource,
        String promptOverflow,
        String mask) {

    /** Axis sizes in expansion order, the last varying fastest. */
    public long[] radices() {
        return new long[] {prompts.size(), negativePrompts.size(), initImages.size(), strengths.size(),
            samplers.size(), steps.size(), cfgScales.size(), seeds.size()};
    }

    /** Number of images: the product of the axis sizes; {@link ArithmeticException} past {@code Long.MAX_VALUE}. */
    public long imageCount() {
        return Arrays.stream(radices()).reduce(1L, Math::multiplyExact);
    }
}
