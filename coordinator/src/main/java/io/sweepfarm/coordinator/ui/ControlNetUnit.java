package io.sweepfarm.coordinator.ui;

import io.quarkus.qute.TemplateData;
import io.sweepfarm.common.api.ControlNetAxis;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One ControlNet unit of the new-sweep form, as typed: unit {@code index} is the request's {@code controlnets[index]}
 * (A1111's "ControlNet Unit 0" is ours too), so the API's refusals land on the unit's own fields. The form posts
 * each part as a repeated field ({@code controlnet_model}, {@code controlnet_image}, {@code controlnet_scales},
 * {@code controlnet_guidance_start}, {@code controlnet_guidance_end}), one value per unit in page order, and the
 * control image's file as {@code controlnet_image_file_<index>}.
 *
 * @param image the control image's key from {@code POST /api/v1/inputs} once uploaded, else empty
 */
@TemplateData
public record ControlNetUnit(int index, String model, String image, String scales, String guidanceStart,
        String guidanceEnd) {

    /** The form field of an uploaded control image file, followed by the unit's index. */
    public static final String FILE_FIELD = "controlnet_image_file_";

    /** The API's name for a part of this unit, which is also its input's id: {@code controlnets[0].scales}. */
    public String field(String part) {
        return "controlnets[" + index + "]." + part;
    }

    /** The uploaded control image's file name, for its small preview; null before one is uploaded. */
    public String imageName() {
        return image.startsWith("inputs/") ? image.substring("inputs/".length()) : null;
    }

    /** The units of the posted repeated fields, padded to the longest (a client may leave one out). */
    static List<ControlNetUnit> of(List<String> models, List<String> images, List<String> scales,
            List<String> starts, List<String> ends) {
        int n = Math.max(Math.max(models.size(), images.size()),
                Math.max(scales.size(), Math.max(starts.size(), ends.size())));
        List<ControlNetUnit> units = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            units.add(new ControlNetUnit(i, at(models, i), at(images, i), at(scales, i), at(starts, i),
                    at(ends, i)));
        }
        return units;
    }

    /** A new, empty unit after {@code count} others; its scales default to 1 as the API's do. */
    static ControlNetUnit blank(int count) {
        return new ControlNetUnit(count, "", "", "1", "", "");
    }

    /** The same unit at another place in the list. */
    ControlNetUnit at(int newIndex) {
        return new ControlNetUnit(newIndex, model, image, scales, guidanceStart, guidanceEnd);
    }

    /** The same unit with its control image. */
    ControlNetUnit withImage(String key) {
        return new ControlNetUnit(index, model, key, scales, guidanceStart, guidanceEnd);
    }

    /**
     * The request's unit: the model as typed (the API checks it), axes in range syntax (blank: the API's default).
     * Mistakes go into {@code errors} under this unit's field names.
     */
    ControlNetAxis toAxis(Map<String, String> errors) {
        if (image.isBlank()) {
            errors.put(field("image"), "is required: choose the control image");
        }
        return new ControlNetAxis(model.strip(), image.isBlank() ? null : image.strip(),
                decimals("scales", scales, errors), decimals("guidance_start", guidanceStart, errors),
                decimals("guidance_end", guidanceEnd, errors));
    }

    private List<Double> decimals(String part, String text, Map<String, String> errors) {
        return SweepForm.parse(field(part), text, RangeSyntax::decimals, errors);
    }

    private static String at(List<String> values, int i) {
        return i < values.size() && values.get(i) != null ? values.get(i) : "";
    }
}
