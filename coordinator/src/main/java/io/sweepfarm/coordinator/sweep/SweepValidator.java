package io.sweepfarm.coordinator.sweep;

import io.sweepfarm.common.api.ControlNetAxis;
import io.sweepfarm.common.api.CreateSweepRequest;
import io.sweepfarm.common.api.HiresAxes;
import io.sweepfarm.common.api.ImageSize;
import io.sweepfarm.common.api.LoraAxis;
import io.sweepfarm.common.api.PromptOverflow;
import io.sweepfarm.common.api.Seeds;
import io.sweepfarm.common.messaging.Topics;
import io.sweepfarm.common.sampler.SamplerId;
import io.sweepfarm.coordinator.plan.SweepPlan;
import io.sweepfarm.coordinator.plan.SweepSpec;
import io.sweepfarm.coordinator.problem.Problem.FieldError;
import io.sweepfarm.coordinator.problem.ProblemException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Checks a {@link CreateSweepRequest} and turns it into a {@link SweepSpec}, collecting every problem (named by its
 * snake_case JSON path) before failing with one {@link ProblemException.Invalid}. Refuses rather than coerces: text
 * with control characters or broken UTF-16, values past the limits, combinations the engine cannot render. Pure: no
 * I/O, unit-testable.
 */
public final class SweepValidator {

    /** Keys of uploaded inputs, as {@code POST /api/v1/inputs} returns them. */
    static final Pattern INPUT_KEY = Pattern.compile("inputs/[0-9a-f]{64}\\.png");
    static final String UPLOAD_HINT = "must be a key returned by POST /api/v1/inputs (inputs/<sha256>.png)";

    public static final int MAX_STEPS = 1000;
    public static final int MAX_SIDE = 4096;
    public static final long MAX_SEED = 4_294_967_295L;
    /**
     * The longest prompt or negative prompt, in characters. Far beyond what a text encoder reads (A1111's chunking
     * makes ~1,000 tokens useful), and small enough that a task always fits a Kafka record.
     */
    public static final int MAX_PROMPT_CHARS = 10_000;
    public static final int MAX_NAME_CHARS = 200;
    /** Most entries of the prompt axis; of any other listed axis, {@link #MAX_AXIS}. */
    public static final int MAX_PROMPTS = 10_000;
    public static final int MAX_AXIS = 1_000;
    public static final int MAX_LISTED_SEEDS = 100_000;
    public static final int MAX_IMAGES_PER_COMBINATION = 1_000;
    /** Most prompt texts (prompts × negative prompts × S/R replacements) one sweep may combine. */
    public static final long MAX_TEXT_COMBINATIONS = 1_000_000;
    public static final List<String> NOISE_SOURCES = List.of("torch_cpu", "nv");
    /** Samplers that need more than one step (PLMS warms up with a multistep start). */
    private static final Set<String> MULTI_STEP = Set.of(SamplerId.PLMS.id());

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
        if (r.model() == null || r.model().isEmpty()) {
            errors.add(new FieldError("model", "is required"));
        } else if (!Topics.MODEL_NAME.matcher(r.model()).matches()) {
            errors.add(new FieldError("model", "must be " + Topics.MODEL_NAME_RULE));
        } else {
            model = r.model();
        }
        String name = r.name() == null ? null : text(errors, "name", r.name(), MAX_NAME_CHARS, false);

        List<String> prompts = axis(errors, "prompts", r.prompts(), true, MAX_PROMPTS,
                v -> textProblem(v, MAX_PROMPT_CHARS, true));
        List<String> negatives = r.negativePrompts() == null || r.negativePrompts().isEmpty() ? List.of("")
                : axis(errors, "negative_prompts", r.negativePrompts(), true, MAX_AXIS,
                        v -> textProblem(v, MAX_PROMPT_CHARS, true));
        List<String> replacements = r.promptSr() == null ? List.of()
                : axis(errors, "prompt_sr", r.promptSr(), true, MAX_AXIS, v -> textProblem(v, MAX_PROMPT_CHARS, true));
        if (!replacements.isEmpty()) {
            if (replacements.size() < 2 || replacements.get(0) == null || replacements.get(0).isEmpty()) {
                errors.add(new FieldError("prompt_sr", "needs the text to search for (non-empty, first) and at "
                        + "least one replacement"));
            } else if (prompts.stream().noneMatch(p -> p != null && p.contains(replacements.get(0)))
                    && negatives.stream().noneMatch(p -> p != null && p.contains(replacements.get(0)))) {
                errors.add(new FieldError("prompt_sr[0]", "does not occur in any prompt or negative prompt"));
            }
        }
        List<Double> cfgs = axis(errors, "cfg_scales", r.cfgScales(), true, MAX_AXIS, v -> v == null
                ? "must not be null" : !Double.isFinite(v) ? "must be a finite number, not " + v
                : v < 0 || v > 100 ? "must be between 0 and 100, not " + v : null);
        List<Integer> steps = axis(errors, "steps", r.steps(), true, MAX_AXIS, v -> v == null ? "must not be null"
                : v <= 0 || v > MAX_STEPS ? "must be between 1 and " + MAX_STEPS + ", not " + v : null);
        List<String> samplers = axis(errors, "samplers", r.samplers(), true, MAX_AXIS,
                v -> SamplerId.fromId(v).isEmpty() ? "unknown sampler " + quoted(v) + "; valid: "
                        + SamplerId.allIds() + " (or A1111's names, e.g. \"Euler a\")" : null);
        Seeds seeds = seeds(errors, r);
        int perSeed = r.imagesPerCombination() == null ? 1 : r.imagesPerCombination();
        if (perSeed < 1 || perSeed > MAX_IMAGES_PER_COMBINATION) {
            errors.add(new FieldError("images_per_combination", "must be between 1 and "
                    + MAX_IMAGES_PER_COMBINATION + ", not " + perSeed));
        } else if (seeds != null && maxSeed(seeds) + perSeed - 1 > MAX_SEED) {
            errors.add(new FieldError("images_per_combination", "takes seeds past " + MAX_SEED));
        }
        List<ImageSize> sizes = sizes(errors, r);

        String noise = r.noiseSource() == null ? NOISE_SOURCES.get(0) : r.noiseSource();
        if (!NOISE_SOURCES.contains(noise)) {
            errors.add(new FieldError("noise_source", "unknown noise source " + quoted(r.noiseSource())
                    + "; valid: " + String.join(", ", NOISE_SOURCES)));
        }

        boolean hasInit = r.initImages() != null && !r.initImages().isEmpty();
        boolean hasStrength = r.strengths() != null && !r.strengths().isEmpty();
        List<String> inits = List.of();
        List<Double> strengths = List.of();
        if (hasInit && !hasStrength) {
            errors.add(new FieldError("strengths", "is required with init_images (denoising strengths in (0, 1])"));
        } else if (hasStrength && !hasInit) {
            errors.add(new FieldError("init_images", "is required with strengths (strengths only apply to img2img)"));
        } else if (hasInit) {
            inits = axis(errors, "init_images", r.initImages(), false, MAX_AXIS,
                    v -> v == null || !INPUT_KEY.matcher(v).matches() ? UPLOAD_HINT : null);
            strengths = axis(errors, "strengths", r.strengths(), false, MAX_AXIS, v -> v == null
                    ? "must not be null" : !(v > 0 && v <= 1) ? "must be in (0, 1], not " + v : null);
        }
        if (r.mask() != null && (!INPUT_KEY.matcher(r.mask()).matches() || !hasInit)) {
            errors.add(new FieldError("mask", !INPUT_KEY.matcher(r.mask()).matches() ? UPLOAD_HINT
                    : "needs init_images (inpainting repaints an init image)"));
        }
        List<LoraAxis> loras = ModeAxes.loras(errors, r.loras());
        List<ControlNetAxis> controlnets = ModeAxes.controlnets(errors, r.controlnets());
        HiresAxes hires = ModeAxes.hires(errors, r.hires());
        List<Double> refinerSwitchAt = axis(errors, "refiner_switch_at", r.refinerSwitchAt(), false, MAX_AXIS,
                v -> v == null ? "must not be null" : !(v > 0 && v < 1) ? "must be in (0, 1), not " + v : null);
        List<String> depthMaps = axis(errors, "depth_maps", r.depthMaps(), false, MAX_AXIS,
                v -> v == null || !INPUT_KEY.matcher(v).matches() ? UPLOAD_HINT : null);
        ModeAxes.modes(errors, r, hasInit, hires != null, !refinerSwitchAt.isEmpty(), !depthMaps.isEmpty(),
                !controlnets.isEmpty());
        Set<String> axisNames = new java.util.LinkedHashSet<>(SweepSpec.TEXT_AXES);
        axisNames.addAll(SweepSpec.axisFields(loras.size(), controlnets.size(), hires != null));
        List<List<String>> zip = zip(errors, r.zip(), axisNames);

        if (!errors.isEmpty()) {
            throw new ProblemException.Invalid(errors);
        }
        SweepSpec spec = new SweepSpec(SweepSpec.FORMAT, name == null || name.isBlank() ? model : name.strip(),
                model, r.priority() == null ? 0 : r.priority(), prompts, negatives, replacements, inits, strengths,
                sizes, samplers.stream().map(s -> SamplerId.fromId(s).orElseThrow().id()).toList(), steps, cfgs,
                seeds, perSeed, zip, noise, r.promptOverflow() == null ? PromptOverflow.TRUNCATE : r.promptOverflow(),
                r.mask(), loras, controlnets, hires, refinerSwitchAt, depthMaps);
        checkCombinations(errors, spec);
        if (!errors.isEmpty()) {
            throw new ProblemException.Invalid(errors);
        }
        long count;
        try {
            count = SweepPlan.of(spec).count();
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

    /** Zip groups: axes the sweep has ({@code known}), each in one group, at least two per group. */
    private static List<List<String>> zip(List<FieldError> errors, List<List<String>> zip, Set<String> known) {
        if (zip == null) {
            return List.of();
        }
        Set<String> seen = new HashSet<>();
        List<List<String>> groups = new ArrayList<>();
        for (int g = 0; g < zip.size(); g++) {
            List<String> group = zip.get(g);
            String field = "zip[" + g + "]";
            if (group == null || group.size() < 2) {
                errors.add(new FieldError(field, "must name at least two axes"));
                continue;
            }
            Set<String> axes = new HashSet<>();
            for (int i = 0; i < group.size(); i++) {
                String axis = group.get(i);
                if (axis == null || !known.contains(axis)) {
                    errors.add(new FieldError(field + "[" + i + "]", "unknown axis " + quoted(axis) + "; this sweep's"
                            + " axes are " + String.join(", ", known)));
                } else if (!seen.add(axis)) {
                    errors.add(new FieldError(field + "[" + i + "]", axis + " is already zipped"));
                } else {
                    axes.add(axis);
                }
            }
            boolean text = axes.stream().anyMatch(SweepSpec.TEXT_AXES::contains);
            if (text && !axes.equals(Set.copyOf(SweepSpec.TEXT_AXES))) {
                errors.add(new FieldError(field, "prompts can only be zipped with negative_prompts (as a pair)"));
            }
            groups.add(List.copyOf(group));
        }
        return groups;
    }

    /**
     * Checks that need the whole spec: zip lengths, the text block's size, steps the samplers, strengths and refiner
     * need, the LoRA combinations, guidance windows and hires sizes.
     */
    private static void checkCombinations(List<FieldError> errors, SweepSpec spec) {
        for (int g = 0; g < spec.zip().size(); g++) {
            List<String> group = spec.zip().get(g);
            Set<Integer> lengths = new HashSet<>();
            group.forEach(f -> lengths.add(values(spec, f).size()));
            if (lengths.size() > 1) {
                errors.add(new FieldError("zip[" + g + "]", "zipped axes must have equal lengths; "
                        + group.stream().map(f -> f + " has " + values(spec, f).size()).toList()));
            }
        }
        boolean textZipped = spec.zip().stream().anyMatch(z -> z.contains("prompts"));
        long texts = (long) spec.prompts().size() * (textZipped ? 1 : spec.negativePrompts().size())
                * Math.max(1, spec.promptSr().size());
        if (texts > MAX_TEXT_COMBINATIONS) {
            errors.add(new FieldError("prompts", "prompts × negative prompts × prompt_sr make " + texts
                    + " texts; at most " + MAX_TEXT_COMBINATIONS + " are allowed"));
        }
        for (List<Object> pair : pairs(spec, "samplers", "steps")) {
            if (MULTI_STEP.contains((String) pair.get(0)) && (Integer) pair.get(1) < 2) {
                errors.add(new FieldError("steps", "sampler " + pair.get(0) + " needs at least 2 steps, not "
                        + pair.get(1)));
                break;
            }
        }
        if (!spec.initImages().isEmpty()) {
            for (List<Object> pair : pairs(spec, "strengths", "steps")) {
                double strength = (Double) pair.get(0);
                int steps = (Integer) pair.get(1);
                if ((int) (steps * strength) < 1) { // diffusers: init_timestep = int(steps * strength)
                    errors.add(new FieldError("strengths", "strength " + strength + " with " + steps
                            + " steps leaves no denoising step (steps × strength must be ≥ 1)"));
                    break;
                }
            }
        }
        ModeAxes.checkCombinations(errors, spec);
    }

    /** The values of axis {@code field} (a text axis: its list). */
    static List<?> values(SweepSpec spec, String field) {
        return switch (field) {
            case "prompts" -> spec.prompts();
            case "negative_prompts" -> spec.negativePrompts();
            default -> spec.axis(field).orElseThrow().values();
        };
    }

    /** The value pairs of two axes that occur together in some image: by index when zipped together, else all. */
    static List<List<Object>> pairs(SweepSpec spec, String a, String b) {
        List<?> as = values(spec, a);
        List<?> bs = values(spec, b);
        boolean together = spec.zip().stream().anyMatch(z -> z.contains(a) && z.contains(b));
        List<List<Object>> out = new ArrayList<>();
        if (together) {
            for (int i = 0; i < Math.min(as.size(), bs.size()); i++) {
                out.add(java.util.Arrays.asList(as.get(i), bs.get(i)));
            }
        } else {
            for (Object x : as) {
                for (Object y : bs) {
                    out.add(java.util.Arrays.asList(x, y));
                }
            }
        }
        return out;
    }

    private static Seeds seeds(List<FieldError> errors, CreateSweepRequest r) {
        if (r.seeds() == null) {
            errors.add(new FieldError("seeds", "must list at least one seed, or give {\"start\": s, \"count\": n}"));
            return null;
        }
        if (r.seeds() instanceof Seeds.Range range) {
            int before = errors.size();
            if (range.start() < 0 || range.start() > MAX_SEED) {
                errors.add(new FieldError("seeds.start", "must be between 0 and " + MAX_SEED + ", not "
                        + range.start()));
            }
            if (range.count() < 1 || range.count() > MAX_SEED + 1) {
                errors.add(new FieldError("seeds.count", "must be between 1 and " + (MAX_SEED + 1) + ", not "
                        + range.count()));
            } else if (range.start() + range.count() - 1 > MAX_SEED && errors.size() == before) {
                errors.add(new FieldError("seeds.count", "takes seeds past " + MAX_SEED));
            }
            return errors.size() == before ? range : null;
        }
        List<Long> values = ((Seeds.Listed) r.seeds()).values();
        int before = errors.size();
        axis(errors, "seeds", values, true, MAX_LISTED_SEEDS, v -> v == null ? "must not be null"
                : v < 0 || v > MAX_SEED ? "must be between 0 and " + MAX_SEED + ", not " + v : null);
        return errors.size() == before ? r.seeds() : null;
    }

    private static long maxSeed(Seeds seeds) {
        if (seeds instanceof Seeds.Range range) {
            return range.start() + range.count() - 1;
        }
        return ((Seeds.Listed) seeds).values().stream().mapToLong(Long::longValue).max().orElse(0);
    }

    private static List<ImageSize> sizes(List<FieldError> errors, CreateSweepRequest r) {
        if (r.sizes() != null) {
            if (r.width() != null || r.height() != null) {
                errors.add(new FieldError("sizes", "give either sizes or width and height, not both"));
                return List.of();
            }
            return axis(errors, "sizes", r.sizes(), true, MAX_AXIS, s -> s == null ? "must not be null"
                    : sideProblem(s.width()) != null ? "width " + sideProblem(s.width())
                    : sideProblem(s.height()) != null ? "height " + sideProblem(s.height()) : null);
        }
        int before = errors.size();
        for (String field : List.of("width", "height")) {
            Integer v = field.equals("width") ? r.width() : r.height();
            if (v == null) {
                errors.add(new FieldError(field, "is required (or give sizes)"));
            } else if (sideProblem(v) != null) {
                errors.add(new FieldError(field, sideProblem(v)));
            }
        }
        return errors.size() == before ? List.of(new ImageSize(r.width(), r.height())) : List.of();
    }

    private static String sideProblem(int v) {
        return v <= 0 || v > MAX_SIDE || v % 8 != 0 ? "must be a multiple of 8 between 8 and " + MAX_SIDE
                + ", not " + v : null;
    }

    static <T> List<T> axis(List<FieldError> errors, String field, List<T> values, boolean required,
            int max, Function<T, String> check) {
        if (values == null || values.isEmpty()) {
            if (required) {
                errors.add(new FieldError(field, "must list at least one value"));
            }
            return List.of();
        }
        if (values.size() > max) {
            errors.add(new FieldError(field, "lists " + values.size() + " values; at most " + max
                    + " are allowed" + (field.equals("seeds") ? " (use {\"start\": s, \"count\": n} for more)" : "")));
            return List.of();
        }
        for (int i = 0; i < values.size(); i++) {
            String message = check.apply(values.get(i));
            if (message != null) {
                errors.add(new FieldError(field + "[" + i + "]", message));
            }
        }
        return Collections.unmodifiableList(new ArrayList<>(values));
    }

    private static String text(List<FieldError> errors, String field, String value, int max, boolean multiLine) {
        String problem = textProblem(value, max, multiLine);
        if (problem != null) {
            errors.add(new FieldError(field, problem));
            return null;
        }
        return value;
    }

    /**
     * Why a text cannot be stored as given, or null: too long, a control character other than tab and line breaks
     * (PostgreSQL refuses NUL; the others are invisible), or broken UTF-16 (a lone surrogate, which would turn into
     * '?').
     */
    static String textProblem(String v, int max, boolean multiLine) {
        if (v == null) {
            return "must not be null";
        }
        if (v.length() > max) {
            return "is " + v.length() + " characters long; the limit is " + max;
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            boolean allowedBreak = multiLine && (c == '\n' || c == '\r') || c == '\t';
            if ((Character.isISOControl(c) && !allowedBreak) || c == '\u2028' || c == '\u2029') {
                return String.format("contains the control character U+%04X at position %d", (int) c, i);
            }
            if (Character.isHighSurrogate(c) && i + 1 < v.length() && Character.isLowSurrogate(v.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return String.format("contains a lone UTF-16 surrogate U+%04X at position %d", (int) c, i);
            }
        }
        return null;
    }

    static String quoted(String v) {
        if (v == null) {
            return "null";
        }
        return "'" + (v.length() > 40 ? v.substring(0, 40) + "…" : v).replaceAll("\\p{Cntrl}", "?") + "'";
    }
}
