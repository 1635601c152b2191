package io.sweepfarm.coordinator.image;

import io.sweepfarm.common.api.GridView;
import io.sweepfarm.common.api.ImageView;
import io.sweepfarm.common.png.InfoText;
import io.sweepfarm.coordinator.plan.Condition;
import io.sweepfarm.coordinator.plan.ImageParam;
import io.sweepfarm.coordinator.problem.Problem.FieldError;
import io.sweepfarm.coordinator.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * X/Y plots of a sweep, AUTOMATIC1111's X/Y/Z plot over its images: one parameter along the columns, optionally one
 * along the rows, every other parameter fixed by the request's filters. Any parameter of the image can be an axis
 * (and {@code size}); axis values keep the sweep's order. The images come from {@link ImageQuery}, by arithmetic on
 * the sweep's spec, so cells of images not rendered yet are there too, with their state.
 */
@ApplicationScoped
public class GridService {

    /** Most images one grid may cover. */
    static final int MAX_IMAGES = 10_000;

    @Inject
    ImageQuery images;

    /** A grid axis: a parameter's name and how to label its value. */
    record Axis(String param, Function<ImageView, String> label) {

        static Optional<Axis> of(String name) {
            if (name.equals("size")) {
                return Optional.of(new Axis("size", v -> v.params().width() + "x" + v.params().height()));
            }
            return ImageParam.named(name).map(p -> new Axis(p.name(), v -> label(p.get(v.params()))));
        }

        static List<String> names() {
            List<String> names = new ArrayList<>(ImageParam.ALL.stream().map(ImageParam::name).toList());
            names.add("size");
            return names;
        }

        private static String label(Object value) {
            if (value == null) {
                return "";
            }
            if (value instanceof Double d) {
                return InfoText.number(d);
            }
            if (value instanceof List<?> values) { // LoRAs, ControlNets: their labels
                return Condition.joined(values);
            }
            return value.toString();
        }
    }

    /**
     * The grid of {@code sweepId} with parameter {@code xParam} along the columns and {@code yParam} (may be null)
     * along the rows; 422 naming the parameter when an axis is unknown or another parameter still varies.
     */
    public GridView grid(UUID sweepId, String xParam, String yParam, ImageFilter filter) {
        if (xParam == null || xParam.isBlank()) {
            throw new ProblemException.Invalid("x", "is required: one of " + String.join(", ", Axis.names()));
        }
        Axis x = Axis.of(xParam).orElseThrow(() -> new ProblemException.Invalid("x", "unknown parameter '"
                + QueryParams.shown(xParam) + "'; one of " + String.join(", ", Axis.names())));
        Axis y = yParam == null || yParam.isBlank() ? null : Axis.of(yParam).orElseThrow(
                () -> new ProblemException.Invalid("y", "unknown parameter '" + QueryParams.shown(yParam)
                        + "'; one of " + String.join(", ", Axis.names())));
        if (y != null && x.param().equals(y.param())) {
            throw new ProblemException.Invalid("y", "must differ from x");
        }
        List<ImageView> found = new ArrayList<>();
        images.forEach(filter, 500, v -> {
            if (found.size() > MAX_IMAGES) {
                throw new ProblemException.Invalid("x", "the grid would cover more than " + MAX_IMAGES
                        + " images; fix more parameters with filters");
            }
            found.add(v);
        });
        if (found.isEmpty()) {
            throw new ProblemException.NotFound("no image of sweep " + sweepId + " matches these filters");
        }
        requireFixed(found, x, y);
        List<String> xs = distinct(found, x);
        List<String> ys = y == null ? List.of("") : distinct(found, y);
        List<List<GridView.Cell>> cells = new ArrayList<>(ys.size());
        for (int r = 0; r < ys.size(); r++) {
            cells.add(new ArrayList<>(Collections.nCopies(xs.size(), (GridView.Cell) null)));
        }
        for (ImageView i : found) {
            int col = xs.indexOf(x.label().apply(i));
            int row = y == null ? 0 : ys.indexOf(y.label().apply(i));
            cells.get(row).set(col, new GridView.Cell(i.id(), i.state(), i.downloadUrl()));
        }
        return new GridView(sweepId, x.param(), y == null ? null : y.param(), xs, y == null ? List.of() : ys, cells);
    }

    /** Every parameter but x and y must have one value, or cells would hold several images. */
    private static void requireFixed(List<ImageView> found, Axis x, Axis y) {
        List<FieldError> varying = new ArrayList<>();
        Set<String> axes = y == null ? Set.of(x.param()) : Set.of(x.param(), y.param());
        Set<String> skip = new java.util.HashSet<>(axes);
        if (axes.contains("size")) {
            skip.addAll(List.of("width", "height")); // parts of the size axis
        }
        if (axes.contains("width") || axes.contains("height")) {
            skip.add("size"); // varies with its part
        }
        if (axes.contains("loras")) {
            skip.add("lora"); // the names vary with the labels (a LoRA at scale 0 is not applied)
        }
        if (axes.contains("controlnets")) {
            skip.add("controlnet");
        }
        for (String name : Axis.names()) {
            if (skip.contains(name)) {
                continue;
            }
            Axis a = Axis.of(name).orElseThrow();
            List<String> values = distinct(found, a);
            if (values.size() > 1) {
                List<String> shown = values.subList(0, Math.min(5, values.size())).stream()
                        .map(QueryParams::shown).toList();
                varying.add(new FieldError(a.param(), "varies among the matching images (" + values.size()
                        + " values, e.g. " + shown + "): fix it with ?" + a.param() + "=... or use it as x or y"));
            }
        }
        if (!varying.isEmpty()) {
            throw new ProblemException.Invalid(varying);
        }
    }

    private static List<String> distinct(List<ImageView> found, Axis axis) {
        Set<String> values = new LinkedHashSet<>();
        for (ImageView i : found) {
            values.add(axis.label().apply(i));
        }
        return new ArrayList<>(values);
    }
}
