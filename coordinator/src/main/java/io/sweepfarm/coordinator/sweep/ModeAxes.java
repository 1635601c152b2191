package io.sweepfarm.coordinator.sweep;

import static io.sweepfarm.coordinator.sweep.SweepValidator.INPUT_KEY;
import static io.sweepfarm.coordinator.sweep.SweepValidator.MAX_AXIS;
import static io.sweepfarm.coordinator.sweep.SweepValidator.MAX_SIDE;
import static io.sweepfarm.coordinator.sweep.SweepValidator.MAX_STEPS;
import static io.sweepfarm.coordinator.sweep.SweepValidator.UPLOAD_HINT;
import static io.sweepfarm.coordinator.sweep.SweepValidator.axis;
import static io.sweepfarm.coordinator.sweep.SweepValidator.pairs;
import static io.sweepfarm.coordinator.sweep.SweepValidator.quoted;
import static io.sweepfarm.coordinator.sweep.SweepValidator.textProblem;

import io.sweepfarm.common.api.ControlNetAxis;
import io.sweepfarm.common.api.CreateSweepRequest;
import io.sweepfarm.common.api.HiresAxes;
import io.sweepfarm.common.api.ImageSize;
import io.sweepfarm.common.api.LoraAxis;
import io.sweepfarm.common.image.HiresUpscaler;
import io.sweepfarm.common.png.InfoText;
import io.sweepfarm.coordinator.plan.SweepSpec;
import io.sweepfarm.coordinator.problem.Problem.FieldError;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The part of {@link SweepValidator} for the modes beyond img2img: LoRAs, ControlNets, hires fix, the SDXL refiner
 * hand-off and depth maps. Refuses what the engine would refuse for every image (modes it cannot combine, a second
 * pass past the size limit or without a denoising step, empty guidance windows) and bounds every list. Pure.
 */
final class ModeAxes {

    /** Most LoRAs one sweep may name; each is an axis. */
    public static final int MAX_LORAS = 16;
    /**
     * Most LoRA weight combinations one sweep may render: each is a patched copy of the model that a worker builds
     * (and caches a few of).
     */
    public static final long MAX_LORA_COMBINATIONS = 1_000;
    /** The largest LoRA scale, either sign (negative scales are used by "slider" LoRAs). */
    public static final double MAX_LORA_SCALE = 10;
    /** Most ControlNets guiding one image. */
    public static final int MAX_CONTROLNETS = 4;
    public static final double MAX_CONTROLNET_SCALE = 10;
    /** The largest hires upscale factor (the engine's). */
    public static final double MAX_HIRES_SCALE = 8;
    /** A1111's default hires denoising strength. */
    public static final double DEFAULT_HIRES_STRENGTH = 0.7;
    public static final int MAX_ADDON_NAME_CHARS = 100;
    private ModeAxes() {
    }

    /** LoRAs: named once each, each with its scales; at most {@link #MAX_LORA_COMBINATIONS} weight combinations. */
    static List<LoraAxis> loras(List<FieldError> errors, List<LoraAxis> loras) {
        if (loras == null || loras.isEmpty()) {
            return List.of();
        }
        if (loras.size() > MAX_LORAS) {
            errors.add(new FieldError("loras", "lists " + loras.size() + " LoRAs; at most " + MAX_LORAS
                    + " are allowed"));
            return List.of();
        }
        List<LoraAxis> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < loras.size(); i++) {
            String field = "loras[" + i + "]";
            LoraAxis l = loras.get(i);
            if (l == null) {
                errors.add(new FieldError(field, "must be {\"name\": ..., \"scales\": [...]}"));
                continue;
            }
            String problem = addonNameProblem(l.name());
            if (problem != null) {
                errors.add(new FieldError(field + ".name", problem));
            } else if (!names.add(l.name())) {
                errors.add(new FieldError(field + ".name", quoted(l.name()) + " is listed twice; list each LoRA "
                        + "once, with all its scales"));
            }
            out.add(new LoraAxis(l.name(), axis(errors, field + ".scales", l.scales(), true, MAX_AXIS,
                    v -> v == null ? "must not be null" : !(Math.abs(v) <= MAX_LORA_SCALE)
                            ? "must be between -" + InfoText.number(MAX_LORA_SCALE) + " and "
                            + InfoText.number(MAX_LORA_SCALE) + ", not " + v : null)));
        }
        return out;
    }

    /** ControlNets: a model, an uploaded control image, and axes of scales and guidance start/end (defaulted). */
    static List<ControlNetAxis> controlnets(List<FieldError> errors, List<ControlNetAxis> units) {
        if (units == null || units.isEmpty()) {
            return List.of();
        }
        if (units.size() > MAX_CONTROLNETS) {
            errors.add(new FieldError("controlnets", "lists " + units.size() + " ControlNets; at most "
                    + MAX_CONTROLNETS + " can guide an image"));
            return List.of();
        }
        List<ControlNetAxis> out = new ArrayList<>();
        for (int i = 0; i < units.size(); i++) {
            String field = "controlnets[" + i + "]";
            ControlNetAxis c = units.get(i);
            if (c == null) {
                errors.add(new FieldError(field, "must be {\"model\": ..., \"image\": ..., \"scales\": [...]}"));
                continue;
            }
            String problem = addonNameProblem(c.model());
            if (problem != null) {
                errors.add(new FieldError(field + ".model", problem));
            }
            if (c.image() == null || !INPUT_KEY.matcher(c.image()).matches()) {
                errors.add(new FieldError(field + ".image", UPLOAD_HINT));
            }
            List<Double> scales = orDefault(errors, field + ".scales", c.scales(), 1.0, v -> !(v >= 0
                    && v <= MAX_CONTROLNET_SCALE) ? "must be between 0 and " + InfoText.number(MAX_CONTROLNET_SCALE)
                    + ", not " + v : null);
            List<Double> starts = orDefault(errors, field + ".guidance_start", c.guidanceStart(), 0.0,
                    v -> !(v >= 0 && v < 1) ? "must be in [0, 1), not " + v : null);
            List<Double> ends = orDefault(errors, field + ".guidance_end", c.guidanceEnd(), 1.0,
                    v -> !(v > 0 && v <= 1) ? "must be in (0, 1], not " + v : null);
            out.add(new ControlNetAxis(c.model(), c.image(), scales, starts, ends));
        }
        return out;
    }

    /** Hires fix: upscale factors (required), strengths (default A1111's), upscaler and second-pass steps. */
    static HiresAxes hires(List<FieldError> errors, HiresAxes h) {
        if (h == null) {
            return null;
        }
        List<Double> scales = axis(errors, "hires.scales", h.scales(), true, MAX_AXIS, v -> v == null
                ? "must not be null" : !(v > 1 && v <= MAX_HIRES_SCALE) ? "must be in (1, "
                + InfoText.number(MAX_HIRES_SCALE) + "], not " + v : null);
        List<Double> strengths = orDefault(errors, "hires.strengths", h.strengths(), DEFAULT_HIRES_STRENGTH,
                v -> !(v > 0 && v <= 1) ? "must be in (0, 1], not " + v : null);
        HiresUpscaler upscaler = h.upscaler() == null ? HiresUpscaler.LATENT
                : HiresUpscaler.of(h.upscaler()).orElse(null);
        if (upscaler == null) {
            errors.add(new FieldError("hires.upscaler", "unknown upscaler " + quoted(h.upscaler()) + "; valid: "
                    + HiresUpscaler.names()));
        }
        int steps = h.steps() == null ? 0 : h.steps();
        if (steps < 0 || steps > MAX_STEPS) {
            errors.add(new FieldError("hires.steps", "must be between 0 (as many as the first pass) and " + MAX_STEPS
                    + ", not " + steps));
        }
        return new HiresAxes(scales, strengths, upscaler == null ? null : upscaler.id(), steps);
    }

    /** Modes the engine cannot combine, refused at submission rather than failing every image. */
    static void modes(List<FieldError> errors, CreateSweepRequest r, boolean img2img, boolean hires,
            boolean refiner, boolean depth, boolean controlnets) {
        if (depth && !img2img) {
            errors.add(new FieldError("depth_maps", "needs init_images and strengths (depth-to-image denoises an "
                    + "init image guided by its depth map)"));
        }
        if (hires && img2img) {
            errors.add(new FieldError("hires", "hires fix is a txt2img mode: it cannot be combined with init_images"
                    + " (img2img, inpainting or depth-to-image)"));
        }
        if (refiner && hires) {
            errors.add(new FieldError("refiner_switch_at", "the refiner hand-off cannot be combined with hires"));
        }
        if (refiner && r.mask() != null) {
            errors.add(new FieldError("refiner_switch_at", "inpainting (mask) and the refiner hand-off cannot be "
                    + "combined"));
        }
        if (refiner && depth) {
            errors.add(new FieldError("refiner_switch_at", "depth-to-image and the refiner hand-off cannot be "
                    + "combined: the refiner takes no depth map"));
        }
        if (refiner && controlnets) {
            errors.add(new FieldError("refiner_switch_at", "ControlNets and the refiner hand-off cannot be "
                    + "combined: the refiner's U-Net takes no ControlNet residuals"));
        }
    }

    /** An optional axis: {@code [fallback]} when absent or empty, else checked like any axis. */
    private static List<Double> orDefault(List<FieldError> errors, String field, List<Double> values,
            double fallback, Function<Double, String> check) {
        if (values == null || values.isEmpty()) {
            return List.of(fallback);
        }
        return axis(errors, field, values, true, MAX_AXIS, v -> v == null ? "must not be null" : check.apply(v));
    }

    /**
     * Why a LoRA or ControlNet name cannot name a file in a worker's folder (or be written in A1111's
     * {@code <lora:name:scale>}), or null.
     */
    static String addonNameProblem(String v) {
        String text = textProblem(v, MAX_ADDON_NAME_CHARS, false);
        if (text != null) {
            return text;
        }
        if (v.isEmpty() || !v.strip().equals(v)) {
            return "must be a non-empty name without leading or trailing spaces";
        }
        if (v.contains("..") || v.chars().anyMatch(c -> "/\\:<>,\"".indexOf(c) >= 0)) {
            return "must be a file name without folders: no /, \\, :, <, >, comma, quote or '..'";
        }
        return null;
    }

    /** The checks of {@link SweepValidator}'s whole-spec pass that concern these modes. */
    static void checkCombinations(List<FieldError> errors, SweepSpec spec) {
        if (!spec.refinerSwitchAt().isEmpty() && spec.steps().stream().anyMatch(s -> s < 2)) {
            errors.add(new FieldError("steps", "the refiner hand-off needs at least 2 steps (one for the base, one "
                    + "for the refiner)"));
        }
        checkLoraCombinations(errors, spec);
        for (int i = 0; i < spec.controlnets().size(); i++) {
            String unit = "controlnets[" + i + "].";
            for (List<Object> pair : pairs(spec, unit + "guidance_start", unit + "guidance_end")) {
                if ((Double) pair.get(0) >= (Double) pair.get(1)) {
                    errors.add(new FieldError(unit + "guidance_end", "guidance start " + pair.get(0)
                            + " is not before guidance end " + pair.get(1)));
                    break;
                }
            }
        }
        if (spec.hires() != null) {
            checkHires(errors, spec);
        }
    }

    /** Each distinct set of LoRA scales is a model variant a worker builds: their number is bounded. */
    private static void checkLoraCombinations(List<FieldError> errors, SweepSpec spec) {
        long combinations = 1;
        for (int i = 0; i < spec.loras().size(); i++) {
            String field = "loras[" + i + "]";
            List<String> earlier = java.util.stream.IntStream.range(0, i).mapToObj(j -> "loras[" + j + "]").toList();
            boolean zippedWithEarlierLora = spec.zip().stream().anyMatch(z -> z.contains(field)
                    && z.stream().anyMatch(earlier::contains));
            if (!zippedWithEarlierLora) {
                combinations = Math.min(Long.MAX_VALUE / MAX_AXIS, combinations * spec.loras().get(i).scales().size());
            }
        }
        if (combinations > MAX_LORA_COMBINATIONS) {
            errors.add(new FieldError("loras", "the LoRA scales make " + combinations + " weight combinations, each "
                    + "a patched copy of the model on the workers; at most " + MAX_LORA_COMBINATIONS
                    + " are allowed: sweep fewer scales or zip LoRAs together"));
        }
    }

    /** The second pass's size stays within the limits and its strength leaves it a denoising step. */
    private static void checkHires(List<FieldError> errors, SweepSpec spec) {
        HiresAxes h = spec.hires();
        outer:
        for (List<Object> pair : pairs(spec, "sizes", "hires.scales")) {
            ImageSize size = (ImageSize) pair.get(0);
            double scale = (Double) pair.get(1);
            for (int side : new int[] {size.width(), size.height()}) {
                int upscaled = (int) (side * scale) / 8 * 8; // the engine's rounding
                if (upscaled > MAX_SIDE) {
                    errors.add(new FieldError("hires.scales", "hires scale " + scale + " makes " + size.width() + "x"
                            + size.height() + " a second pass wider than " + MAX_SIDE + " pixels"));
                    break outer;
                }
            }
        }
        for (List<Object> pair : pairs(spec, "hires.strengths", "steps")) {
            double strength = (Double) pair.get(0);
            int steps = h.steps() > 0 ? h.steps() : (Integer) pair.get(1);
            if ((int) (steps * strength) < 1) {
                errors.add(new FieldError("hires.strengths", "hires strength " + strength + " with " + steps
                        + " second-pass steps leaves no denoising step (steps × strength must be ≥ 1)"));
                break;
            }
        }
    }
}
