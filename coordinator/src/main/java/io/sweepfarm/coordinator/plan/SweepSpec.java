package io.sweepfarm.coordinator.plan;

import io.sweepfarm.common.api.ImageSize;
import io.sweepfarm.common.api.PromptOverflow;
import io.sweepfarm.common.api.Seeds;
import java.util.List;

/**
 * A validated sweep with its defaults applied: the source of truth of its images, stored once in
 * {@code sweep.spec} (JSON) whatever the image count, and compiled into a {@link SweepPlan} that maps ordinals to
 * parameters by arithmetic. An empty {@code promptSr}, {@code initImages} (txt2img) or {@code zip} means the axis or
 * grouping is absent.
 *
 * @param format spec format; 2 since the sweep became its spec
 */
public record SweepSpec(
        int format,
        String name,
        String model,
        int priority,
        List<String> prompts,
        List<String> negativePrompts,
        List<String> promptSr,
        List<String> initImages,
        List<Double> strengths,
        List<ImageSize> sizes,
        List<String> samplers,
        List<Integer> steps,
        List<Double> cfgScales,
        Seeds seeds,
        int imagesPerCombination,
        List<List<String>> zip,
        String noiseSource,
        PromptOverflow promptOverflow,
        String mask) {

    public static final int FORMAT = 2;

    /** The axes a {@code zip} group may name, by their request names. */
    public enum Axis {
        PROMPTS("prompts", "prompt"),
        NEGATIVE_PROMPTS("negative_prompts", "negative_prompt"),
        INIT_IMAGES("init_images", "init_image"),
        STRENGTHS("strengths", "strength"),
        SIZES("sizes", "width", "height"),
        SAMPLERS("samplers", "sampler"),
        STEPS("steps", "steps"),
        CFG_SCALES("cfg_scales", "cfg_scale");

        /** The request field. */
        public final String field;
        /** The {@link ImageParam}s the axis sets. */
        public final List<String> params;

        Axis(String field, String... params) {
            this.field = field;
            this.params = List.of(params);
        }

        public static java.util.Optional<Axis> of(String field) {
            return java.util.Arrays.stream(values()).filter(a -> a.field.equals(field)).findFirst();
        }

        /** The axis' values in {@code spec} (for a txt2img sweep, one null init image and strength). */
        public List<?> values(SweepSpec spec) {
            return switch (this) {
                case PROMPTS -> spec.prompts();
                case NEGATIVE_PROMPTS -> spec.negativePrompts();
                case INIT_IMAGES -> spec.initImages().isEmpty() ? java.util.Collections.singletonList(null)
                        : spec.initImages();
                case STRENGTHS -> spec.strengths().isEmpty() ? java.util.Collections.singletonList(null)
                        : spec.strengths();
                case SIZES -> spec.sizes();
                case SAMPLERS -> spec.samplers();
                case STEPS -> spec.steps();
                case CFG_SCALES -> spec.cfgScales();
            };
        }
    }
}
