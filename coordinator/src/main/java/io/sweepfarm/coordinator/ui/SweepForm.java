package io.sweepfarm.coordinator.ui;

import io.sweepfarm.common.api.ControlNetAxis;
import io.sweepfarm.common.api.CreateSweepRequest;
import io.sweepfarm.common.api.HiresAxes;
import io.sweepfarm.common.api.ImageSize;
import io.sweepfarm.common.api.LoraAxis;
import io.sweepfarm.common.api.PromptOverflow;
import io.sweepfarm.common.api.Seeds;
import io.sweepfarm.coordinator.problem.Problem.FieldError;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

/**
 * The new-sweep form as posted (multipart, so init images, masks, depth maps and control images can come with it when
 * scripts are off), and its translation into a {@link CreateSweepRequest}: prompts one per line, numbers in
 * AUTOMATIC1111's range syntax ({@link RangeSyntax}), sizes as {@code 512x512, 768x512}, ControlNet units as
 * {@link ControlNetUnit}s. Mistakes are collected per form field, as are the API's
 * own refusals ({@link #field}), so the form shows each next to its input.
 */
public class SweepForm {

    /** An API field inside a ControlNet unit: {@code controlnets[1]} and the part, e.g. {@code guidance_end}. */
    private static final Pattern UNIT_FIELD = Pattern.compile(
            "(controlnets\\[\\d+\\])(?:\\.(model|image|scales|guidance_start|guidance_end))?");

    @RestForm public String name;
    @RestForm public String model;
    @RestForm public String prompts;
    @RestForm("negative_prompts") public String negativePrompts;
    @RestForm("prompt_sr") public String promptSr;
    @RestForm("cfg_scales") public String cfgScales;
    @RestForm public String steps;
    @RestForm public List<String> samplers = new ArrayList<>();
    @RestForm public String seeds;
    @RestForm("images_per_combination") public String imagesPerCombination;
    @RestForm public String sizes;
    @RestForm public String priority;
    @RestForm("prompt_overflow") public String promptOverflow;
    @RestForm("init_images") public List<String> initImages = new ArrayList<>();
    @RestForm("init_image_files") public List<FileUpload> initImageFiles = new ArrayList<>();
    @RestForm public String strengths;
    @RestForm public String mask;
    @RestForm("mask_file") public FileUpload maskFile;
    @RestForm public String zip;
    @RestForm("wait_for_model") public String waitForModel;
    /** One LoRA per line, {@code name: scales} (scales in range syntax; 0 renders without it). */
    @RestForm public String loras;
    @RestForm("hires_scales") public String hiresScales;
    @RestForm("hires_strengths") public String hiresStrengths;
    @RestForm("hires_upscaler") public String hiresUpscaler;
    @RestForm("refiner_switch_at") public String refinerSwitchAt;
    /** Depth-to-image: the kept keys of uploaded depth maps, and new files to upload. */
    @RestForm("depth_maps") public List<String> depthMaps = new ArrayList<>();
    @RestForm("depth_map_files") public List<FileUpload> depthMapFiles = new ArrayList<>();
    /** ControlNet units, one value per unit in page order ({@link ControlNetUnit}). */
    @RestForm("controlnet_model") public List<String> controlnetModels = new ArrayList<>();
    @RestForm("controlnet_image") public List<String> controlnetImages = new ArrayList<>();
    @RestForm("controlnet_scales") public List<String> controlnetScales = new ArrayList<>();
    @RestForm("controlnet_guidance_start") public List<String> controlnetGuidanceStarts = new ArrayList<>();
    @RestForm("controlnet_guidance_end") public List<String> controlnetGuidanceEnds = new ArrayList<>();
    /** Every posted file: the control images come as {@code controlnet_image_file_<unit>}. */
    @RestForm(FileUpload.ALL) public List<FileUpload> files = new ArrayList<>();
    /** The "add unit" button, or the index of the unit whose "remove" button was pressed. */
    @RestForm("controlnet_add") public String controlnetAdd;
    @RestForm("controlnet_remove") public String controlnetRemove;
    /** The id of the input to focus when the form comes back (after a unit was added or removed), else null. */
    public String focus;

    /** The form as a new visitor finds it: one prompt, the usual settings, four seeds. */
    public static SweepForm defaults(String model) {
        SweepForm f = new SweepForm();
        f.model = model;
        f.prompts = "a lighthouse on a cliff at dusk, oil painting";
        f.negativePrompts = "blurry, low quality";
        f.cfgScales = "4-10 (+3)";
        f.steps = "20";
        f.samplers = new ArrayList<>(List.of("euler_a"));
        f.seeds = "1-4";
        f.sizes = "512x512";
        return f;
    }

    /** The request, or the mistakes by form field. */
    public record Parsed(CreateSweepRequest request, Map<String, String> errors) {
        public boolean ok() {
            return errors.isEmpty();
        }
    }

    /** Translates the form; {@code dryRun} asks only for the count and the first images. */
    public Parsed toRequest(boolean dryRun) {
        Map<String, String> errors = new LinkedHashMap<>();
        List<Double> cfg = parse("cfg_scales", cfgScales, RangeSyntax::decimals, errors);
        List<Integer> st = parse("steps", steps, RangeSyntax::integers, errors);
        List<Double> str = parse("strengths", strengths, RangeSyntax::decimals, errors);
        Seeds seedAxis = parse("seeds", seeds, SweepForm::seeds, errors);
        List<ImageSize> sizeAxis = parse("sizes", sizes, SweepForm::sizes, errors);
        Integer perCombination = parse("images_per_combination", imagesPerCombination, SweepForm::integer, errors);
        Integer prio = parse("priority", priority, SweepForm::integer, errors);
        PromptOverflow overflow = parse("prompt_overflow", promptOverflow,
                s -> PromptOverflow.valueOf(s.strip().toUpperCase(Locale.ROOT)), errors);
        List<List<String>> zipGroups = parse("zip", zip, SweepForm::zipGroups, errors);
        List<LoraAxis> loraAxes = parse("loras", loras, SweepForm::loras, errors);
        List<Double> hiresFactors = parse("hires", hiresScales, RangeSyntax::decimals, errors);
        List<Double> hiresDenoise = parse("hires", hiresStrengths, RangeSyntax::decimals, errors);
        List<Double> refiner = parse("refiner_switch_at", refinerSwitchAt, RangeSyntax::decimals, errors);
        List<ControlNetAxis> controlnets = new ArrayList<>();
        for (ControlNetUnit unit : controlnetUnits()) {
            controlnets.add(unit.toAxis(errors));
        }
        if (!errors.isEmpty()) {
            return new Parsed(null, errors);
        }
        CreateSweepRequest r = new CreateSweepRequest(blankToNull(name), blankToNull(model), lines(prompts),
                lines(negativePrompts), lines(promptSr), cfg, st, samplers.isEmpty() ? null : List.copyOf(samplers),
                seedAxis, perCombination, null, null, sizeAxis, prio, null, overflow,
                initImages.isEmpty() ? null : List.copyOf(initImages), str, blankToNull(mask), zipGroups,
                dryRun ? Boolean.TRUE : null, waitForModel == null || waitForModel.isBlank() ? null : Boolean.TRUE,
                loraAxes, controlnets.isEmpty() ? null : controlnets,
                hiresFactors == null && hiresDenoise == null ? null
                        : new HiresAxes(hiresFactors, hiresDenoise, blankToNull(hiresUpscaler), null),
                refiner, depthMaps.isEmpty() ? null : List.copyOf(depthMaps));
        return new Parsed(r, errors);
    }

    /** The ControlNet units as posted, {@code controlnets[0]} first. */
    public List<ControlNetUnit> controlnetUnits() {
        return ControlNetUnit.of(controlnetModels, controlnetImages, controlnetScales, controlnetGuidanceStarts,
                controlnetGuidanceEnds);
    }

    /** Replaces the ControlNet units (renumbered in order). */
    void controlnetUnits(List<ControlNetUnit> units) {
        List<ControlNetUnit> numbered = new ArrayList<>();
        for (ControlNetUnit u : units) {
            numbered.add(u.at(numbered.size()));
        }
        controlnetModels = new ArrayList<>(numbered.stream().map(ControlNetUnit::model).toList());
        controlnetImages = new ArrayList<>(numbered.stream().map(ControlNetUnit::image).toList());
        controlnetScales = new ArrayList<>(numbered.stream().map(ControlNetUnit::scales).toList());
        controlnetGuidanceStarts = new ArrayList<>(numbered.stream().map(ControlNetUnit::guidanceStart).toList());
        controlnetGuidanceEnds = new ArrayList<>(numbered.stream().map(ControlNetUnit::guidanceEnd).toList());
    }

    /** Whether the form was posted by its "add unit" or a "remove unit" button rather than to start the sweep. */
    public boolean pressedUnitButton() {
        return controlnetAdd != null || controlnetRemove != null;
    }

    /**
     * Applies the pressed "add unit" or "remove unit" button, if any, and says which input to focus next: the new
     * unit's model, or after a removal the "add unit" button.
     */
    void applyUnitButtons() {
        List<ControlNetUnit> units = new ArrayList<>(controlnetUnits());
        if (controlnetAdd != null) {
            units.add(ControlNetUnit.blank(units.size()));
            focus = units.get(units.size() - 1).field("model");
        } else if (controlnetRemove != null) {
            Integer i = parse("controlnet_remove", controlnetRemove, SweepForm::integer, new LinkedHashMap<>());
            if (i != null && i >= 0 && i < units.size()) {
                units.remove((int) i);
            }
            focus = "controlnet_add";
        }
        controlnetAdd = null;
        controlnetRemove = null;
        controlnetUnits(units);
    }

    /**
     * The form field an API error names ({@code cfg_scales[1]} → {@code cfg_scales}, {@code width} → {@code sizes},
     * {@code controlnets[1].scales[0]} → {@code controlnets[1].scales}); {@code general} when it names none of them.
     */
    public static String field(FieldError e) {
        Matcher unit = UNIT_FIELD.matcher(e.field() == null ? "" : e.field());
        if (unit.lookingAt()) {
            return unit.group(1) + "." + (unit.group(2) == null ? "model" : unit.group(2));
        }
        String f = e.field() == null ? "" : e.field().replaceAll("[\\[.].*$", "");
        return switch (f) {
            case "width", "height", "sizes" -> "sizes";
            case "name", "model", "prompts", "negative_prompts", "prompt_sr", "cfg_scales", "steps", "samplers",
                    "seeds", "images_per_combination", "priority", "prompt_overflow", "init_images", "strengths",
                    "mask", "zip", "loras", "hires", "refiner_switch_at", "controlnets", "depth_maps" -> f;
            case "wait_for_model" -> "model";
            default -> "general";
        };
    }

    /** Whether the input {@code id} is to be focused when the form comes back. */
    public boolean focused(String id) {
        return id.equals(focus);
    }

    public boolean hasSampler(String id) {
        return samplers.contains(id);
    }

    static <T> T parse(String field, String text, Function<String, T> parser, Map<String, String> errors) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            T v = parser.apply(text);
            return v instanceof List<?> l && l.isEmpty() ? null : v;
        } catch (IllegalArgumentException e) {
            errors.put(field, e.getMessage());
            return null;
        }
    }

    /** Seeds: one plain range becomes a range (never listed), anything else a list. */
    static Seeds seeds(String text) {
        long[] range = RangeSyntax.singlePlainRange(text);
        if (range != null) {
            return new Seeds.Range(range[0], range[1] - range[0] + 1);
        }
        return new Seeds.Listed(RangeSyntax.longs(text));
    }

    /** {@code 512x512, 768x512} (also with × or spaces around the x). */
    static List<ImageSize> sizes(String text) {
        List<ImageSize> out = new ArrayList<>();
        for (String item : text.split(",")) {
            String[] wh = item.strip().toLowerCase(Locale.ROOT).split("\\s*[x×]\\s*");
            if (wh.length != 2 || !wh[0].matches("\\d{1,5}") || !wh[1].matches("\\d{1,5}")) {
                throw new IllegalArgumentException("'" + item.strip() + "' is not a size; write WIDTHxHEIGHT, e.g. "
                        + "512x768");
            }
            out.add(new ImageSize(Integer.parseInt(wh[0]), Integer.parseInt(wh[1])));
        }
        return out;
    }

    static Integer integer(String text) {
        try {
            return Integer.valueOf(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text.strip() + "' is not a whole number");
        }
    }

    /** {@code name: scales} per line, e.g. {@code add_detail: 0-1 (+0.5)}. */
    static List<LoraAxis> loras(String text) {
        List<LoraAxis> out = new ArrayList<>();
        for (String line : text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList()) {
            int colon = line.indexOf(':');
            if (colon <= 0 || colon == line.length() - 1) {
                throw new IllegalArgumentException("'" + line + "' is not a LoRA line; write NAME: SCALES, e.g. "
                        + "add_detail: 0-1 (+0.5)");
            }
            out.add(new LoraAxis(line.substring(0, colon).strip(), RangeSyntax.decimals(line.substring(colon + 1))));
        }
        return out;
    }

    /** {@code cfg_scales, steps; prompts, negative_prompts}: groups split by semicolons, axes by commas. */
    static List<List<String>> zipGroups(String text) {
        List<List<String>> out = new ArrayList<>();
        for (String group : text.split(";")) {
            if (!group.isBlank()) {
                out.add(Arrays.stream(group.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList());
            }
        }
        return out;
    }

    /** Non-blank lines, trailing whitespace removed; null when there are none. */
    static List<String> lines(String text) {
        if (text == null) {
            return null;
        }
        List<String> out = text.lines().map(String::stripTrailing).filter(s -> !s.isBlank()).toList();
        return out.isEmpty() ? null : out;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
