package io.sweepfarm.coordinator.sweep;

import io.sweepfarm.common.api.CreateSweepRequest;
import io.sweepfarm.common.api.PromptOverflow;
import io.sweepfarm.common.messaging.Topics;
import io.sweepfarm.common.sampler.SamplerId;
import io.sweepfarm.coordinator.problem.Problem.FieldError;
import io.sweepfarm.coordinator.problem.ProblemException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.function.BiFunction;

/**
 * Checks a {@link CreateSweepRequest} and turns it into a {@link SweepSpec}, collecting every problem (named by its
 * snake_case JSON path) before failing with one {@link ProblemException.Invalid}. Pure: no I/O, unit-testable.
 */
public final class SweepValidator {

    /** Keys of uploaded inputs, as {@code POST /api/v1/inputs} returns them. */
    static final Pattern INPUT_KEY = Pattern.compile("inputs/[0-9a-f]{64}\\.png");
    private static final String UPLOAD_HINT = "must be a key returned by POST /api/v1/inputs (inputs/<sha256>.png)";


    public static final int MAX_STEPS = 1000;
    /**
     * The longest prompt or negative prompt, in characters. Far beyond what a text encoder reads (A1111's chunking
     * makes ~1,000 tokens useful), and small enough that a task always fits a Kafka record.
     */
    public static final int MAX_PROMPT_CHARS = 10_000;
    public static final int MAX_SIDE = 4096;
    public static final long MAX_SEED = 4_294_967_295L;
    public static final List<String> NOISE_SOURCES = List.of("torch_cpu");

    private final long maxImages;

    public SweepValidator(long maxImages) {
        this.maxImages = maxImages;
    }

    public SweepSpec validate(CreateSweepRequest r) {
        if (r == null) {
            throw new ProblemException.Invalid("body", "a sweep object is required");
        }
        List<FieldError> errors = new ArrayList<>();

        String model = null;
        if (r.model() == null || r.model().isBlank()) {
            errors.add(new FieldError("model", "is required"));
        } else if (!Topics.MODEL_NAME.matcher(r.model()).matches()) {
            errors.add(new FieldError("model", "must be 1-128 characters from a-z, 0-9, '.', '_', '-', starting "
                    + "with a letter or digit (it names a Kafka topic)"));
        } else {
            model = r.model();
        }

        List<String> prompts = axis(errors, "prompts", r.prompts(), true, SweepValidator::promptProblem);
        List<String> negatives = r.negativePrompts() == null || r.negativePrompts().isEmpty() ? List.of("")
                : axis(errors, "negative_prompts", r.negativePrompts(), true, SweepValidator::promptProblem);
        List<Double> cfgs = axis(errors, "cfg_scales", r.cfgScales(), true, (v, f) -> v == null ? "must not be null"
                : v.isNaN() || v.isInfinite() ? "must be a finite number, not " + v
                : v < 0 ? "must be ≥ 0, not " + v : null);
        List<Integer> steps = axis(errors, "steps", r.steps(), true, (v, f) -> v == null ? "must not be null"
                : v <= 0 || v > MAX_STEPS ? "must be between 1 and " + MAX_STEPS + ", not " + v : null);
        List<String> samplers = axis(errors, "samplers", r.samplers(), true, (v, f) -> SamplerId.fromId(v).isEmpty()
                ? "unknown sampler '" + v + "'; valid ids: " + SamplerId.allIds() : null);
        List<Long> seeds = axis(errors, "seeds", r.seeds(), true, (v, f) -> v == null ? "must not be null"
                : v < 0 || v > MAX_SEED ? "must be between 0 and " + MAX_SEED + ", not " + v : null);
        int width = side(errors, "width", r.width());
        int height = side(errors, "height", r.height());

        String noise = r.noiseSource() == null ? NOISE_SOURCES.get(0) : r.noiseSource().toLowerCase(Locale.ROOT);
        if (!NOISE_SOURCES.contains(noise)) {
            errors.add(new FieldError("noise_source", "unknown noise source '" + r.noiseSource() + "'; valid: "
                    + String.join(", ", NOISE_SOURCES)));
        }

        boolean hasInit = r.initImages() != null && !r.initImages().isEmpty();
        boolean hasStrength = r.strengths() != null && !r.strengths().isEmpty();
        List<String> inits = Collections.singletonList(null);
        List<Double> strengths = Collections.singletonList(null);
        if (hasInit && !hasStrength) {
            errors.add(new FieldError("strengths", "is required with init_images (denoising strengths in (0, 1])"));
        } else if (hasStrength && !hasInit) {
            errors.add(new FieldError("init_images", "is required with strengths (strengths only apply to img2img)"));
        } else if (hasInit) {
            inits = axis(errors, "init_images", r.initImages(), false,
                    (v, f) -> v == null || !INPUT_KEY.matcher(v).matches() ? UPLOAD_HINT : null);
            strengths = axis(errors, "strengths", r.strengths(), false, (v, f) -> v == null ? "must not be null"
                    : v.isNaN() || !(v > 0 && v <= 1) ? "must be in (0, 1], not " + v : null);
        }
        if (r.mask() != null && (!INPUT_KEY.matcher(r.mask()).matches() || !hasInit)) {
            errors.add(new FieldError("mask", !INPUT_KEY.matcher(r.mask()).matches() ? UPLOAD_HINT
                    : "needs init_images (inpainting repaints an init image)"));
        }

        if (!errors.isEmpty()) {
            throw new ProblemException.Invalid(errors);
        }
        SweepSpec spec = new SweepSpec(r.name() == null || r.name().isBlank() ? model : r.name().strip(), model,
                r.priority() == null ? 0 : r.priority(), prompts, negatives, inits, strengths,
                samplers.stream().map(s -> SamplerId.fromId(s).orElseThrow().id()).toList(), steps, cfgs, seeds,
                width, height, noise,
                (r.promptOverflow() == null ? PromptOverflow.TRUNCATE : r.promptOverflow()).name(), r.mask());
        long count;
        try {
            count = spec.imageCount();
        } catch (ArithmeticException e) {
            count = Long.MAX_VALUE;
        }
        if (count > maxImages) {
            throw new ProblemException.Invalid("image_count", "the sweep expands to " + (count == Long.MAX_VALUE
                    ? "more than " + Long.MAX_VALUE : count) + " images; at most " + maxImages
                    + " are allowed per sweep: split it or shorten an axis");
        }
        return spec;
    }

    private static <T> List<T> axis(List<FieldError> errors, String field, List<T> values, boolean required,
            BiFunction<T, String, String> check) {
        if (values == null || values.isEmpty()) {
            if (required) {
                errors.add(new FieldError(field, "must list at least one value"));
            }
            return List.of();
        }
        for (int i = 0; i < values.size(); i++) {
            String message = check.apply(values.get(i), field);
            if (message != null) {
                errors.add(new FieldError(field + "[" + i + "]", message));
            }
        }
        return Collections.unmodifiableList(new ArrayList<>(values));
    }

    private static String promptProblem(String v, String field) {
        if (v == null) {
            return "must not be null";
        }
        return v.length() > MAX_PROMPT_CHARS ? "is " + v.length() + " characters long; the limit is "
                + MAX_PROMPT_CHARS : null;
    }

    private static int side(List<FieldError> errors, String field, Integer value) {
        if (value == null) {
            errors.add(new FieldError(field, "is required"));
        } else if (value <= 0 || value > MAX_SIDE || value % 8 != 0) {
            errors.add(new FieldError(field, "must be a multiple of 8 between 8 and " + MAX_SIDE + ", not " + value));
        } else {
            return value;
        }
        return 0;
    }
}
