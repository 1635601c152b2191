package io.sweepfarm.coordinator.plan;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.sweepfarm.common.api.ControlNetAxis;
import io.sweepfarm.common.api.HiresAxes;
import io.sweepfarm.common.api.ImageSize;
import io.sweepfarm.common.api.LoraAxis;
import io.sweepfarm.common.api.PromptOverflow;
import io.sweepfarm.common.api.Seeds;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A validated sweep with its defaults applied: the source of truth of its images, stored once in
 * {@code sweep.spec} (JSON) whatever the image count, and compiled into a {@link SweepPlan} that maps ordinals to
 * parameters by arithmetic. An empty {@code promptSr}, {@code initImages} (txt2img), {@code depthMaps},
 * {@code loras}, {@code controlnets}, {@code refinerSwitchAt} or {@code zip}, or a null {@code hires}, means the axis,
 * mode or grouping is absent; specs stored before a field existed read as without it, and
 * a spec without them is stored as before (same JSON, same idempotency hash).
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
        String mask,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<LoraAxis> loras,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<ControlNetAxis> controlnets,
        HiresAxes hires,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Double> refinerSwitchAt,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> depthMaps) {

    public static final int FORMAT = 2;

    /** The request fields of the text block, which zip may pair with each other only. */
    public static final List<String> TEXT_AXES = List.of("prompts", "negative_prompts");

    private static final Pattern LORA = Pattern.compile("loras\\[(\\d+)]");
    private static final Pattern CONTROLNET = Pattern.compile("controlnets\\[(\\d+)]\\.(scales|guidance_start|"
            + "guidance_end)");

    public SweepSpec {
        promptSr = orEmpty(promptSr);
        initImages = orEmpty(initImages);
        strengths = orEmpty(strengths);
        zip = orEmpty(zip);
        loras = orEmpty(loras);
        controlnets = orEmpty(controlnets);
        refinerSwitchAt = orEmpty(refinerSwitchAt);
        depthMaps = orEmpty(depthMaps);
    }

    private static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    /**
     * One axis of a spec besides the text and seed blocks: what a zip group names it by, the image parameters it
     * sets (by their {@link ImageParam} names) and its values (one null value for an absent optional axis).
     *
     * @param outer true for the axes numbered before the text block (the LoRAs)
     */
    public record Axis(String field, List<String> params, List<?> values, boolean outer) {
    }

    /**
     * The names of the axes (besides the text block) of a spec with {@code loras} LoRAs, {@code controlnets}
     * ControlNets and, when {@code hires}, a hires fix, slowest first: the order of {@link SweepPlan}'s blocks.
     */
    public static List<String> axisFields(int loras, int controlnets, boolean hires) {
        List<String> fields = new ArrayList<>();
        for (int i = 0; i < loras; i++) {
            fields.add("loras[" + i + "]");
        }
        fields.addAll(List.of("init_images", "depth_maps", "strengths", "sizes", "samplers", "steps"));
        if (hires) {
            fields.addAll(List.of("hires.scales", "hires.strengths"));
        }
        fields.add("refiner_switch_at");
        for (int i = 0; i < controlnets; i++) {
            for (String part : List.of("scales", "guidance_start", "guidance_end")) {
                fields.add("controlnets[" + i + "]." + part);
            }
        }
        fields.add("cfg_scales");
        return fields;
    }

    /** The spec's axes besides the text block, in {@link #axisFields} order. */
    public List<Axis> axes() {
        return axisFields(loras.size(), controlnets.size(), hires != null).stream()
                .map(f -> axis(f).orElseThrow()).toList();
    }

    /** The axis a zip group names {@code field}, if the spec has it. */
    public Optional<Axis> axis(String field) {
        Matcher lora = LORA.matcher(field);
        if (lora.matches()) {
            int i = Integer.parseInt(lora.group(1));
            return i < loras.size() ? Optional.of(new Axis(field, List.of("loras", "lora"), loras.get(i).scales(),
                    true)) : Optional.empty();
        }
        Matcher cn = CONTROLNET.matcher(field);
        if (cn.matches()) {
            int i = Integer.parseInt(cn.group(1));
            if (i >= controlnets.size()) {
                return Optional.empty();
            }
            ControlNetAxis c = controlnets.get(i);
            List<Double> values = switch (cn.group(2)) {
                case "scales" -> c.scales();
                case "guidance_start" -> c.guidanceStart();
                default -> c.guidanceEnd();
            };
            return Optional.of(new Axis(field, List.of("controlnets"), values, false));
        }
        return Optional.ofNullable(switch (field) {
            case "init_images" -> axis(field, "init_image", optional(initImages));
            case "depth_maps" -> axis(field, "depth_map", optional(depthMaps));
            case "strengths" -> axis(field, "strength", optional(strengths));
            case "sizes" -> new Axis(field, List.of("width", "height"), sizes, false);
            case "samplers" -> axis(field, "sampler", samplers);
            case "steps" -> axis(field, "steps", steps);
            case "hires.scales" -> hires == null ? null : axis(field, "hires_scale", hires.scales());
            case "hires.strengths" -> hires == null ? null : axis(field, "hires_strength", hires.strengths());
            case "refiner_switch_at" -> axis(field, "refiner_switch_at", optional(refinerSwitchAt));
            case "cfg_scales" -> axis(field, "cfg_scale", cfgScales);
            default -> null;
        });
    }

    private static Axis axis(String field, String param, List<?> values) {
        return new Axis(field, List.of(param), values, false);
    }

    /** An optional axis' values: one null when absent. */
    private static List<?> optional(List<?> values) {
        return values.isEmpty() ? Collections.singletonList(null) : values;
    }
}
