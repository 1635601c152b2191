package io.sweepfarm.coordinator.ui;

import io.sweepfarm.common.api.GridView;
import io.sweepfarm.common.api.ImageSize;
import io.sweepfarm.common.png.InfoText;
import io.sweepfarm.coordinator.image.GridService;
import io.sweepfarm.coordinator.image.ImageFilter;
import io.sweepfarm.coordinator.image.QueryParams;
import io.sweepfarm.coordinator.plan.Condition;
import io.sweepfarm.coordinator.plan.ImageParam;
import io.sweepfarm.coordinator.plan.SweepPlan;
import io.sweepfarm.coordinator.plan.SweepPlans;
import io.sweepfarm.coordinator.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The X/Y/Z plot of a sweep as the grid page and its PNG export see it: which parameters vary in the sweep (read from
 * its spec, never from images), which are on the axes, the value every other one is fixed at, and one
 * {@link GridView} per Z value from {@link GridService}.
 */
@ApplicationScoped
public class GridPage {

    /** Most values a selector lists; a parameter with more (a long seed range) is typed in instead. */
    static final int MAX_OPTIONS = 500;
    /** Most Z values drawn at once. */
    static final int MAX_Z = 20;
    /** The axis parameters, in the order they are chosen. */
    private static final List<String> AXES = List.of("x", "y", "z");
    /** Axis preference when the request names none: the parameters people compare most. */
    private static final List<String> PREFERRED = List.of("cfg_scale", "steps", "sampler", "prompt", "seed", "size",
            "strength", "negative_prompt", "init_image");

    @Inject
    SweepPlans plans;

    @Inject
    GridService grids;

    /** A parameter that varies in the sweep, with its values (as query strings) and the one chosen to fix it. */
    public record Param(String name, List<String> values, boolean complete, String chosen) {
        public boolean typed() {
            return !complete;
        }
    }

    /** One plot (a Z value, or the only one), or the reason it cannot be drawn. */
    public record Section(String title, GridView grid, String error) {
    }

    /** The page's model. */
    public record Plot(UUID sweepId, List<Param> varying, String x, String y, String z, List<Section> sections,
            Map<String, String> fixed) {

        /** The parameters neither on an axis nor constant: each gets a selector. */
        public List<Param> selectors() {
            return varying.stream().filter(p -> !p.name().equals(x) && !p.name().equals(y) && !p.name().equals(z))
                    .toList();
        }

        public List<String> axes() {
            return varying.stream().map(Param::name).toList();
        }
    }

    /** Reads the axes and fixed values from the query ({@code x}, {@code y}, {@code z}, {@code <param>=value}). */
    public Plot plot(UUID sweepId, MultivaluedMap<String, String> query) {
        SweepPlan plan = plans.get(sweepId).plan();
        List<Param> varying = varying(plan, query);
        List<String> names = varying.stream().map(Param::name).toList();
        String x = pick(query.getFirst("x"), names, null, null);
        String y = blank(query, "y") ? null : pick(query.getFirst("y"), names, x, null);
        String z = query.getFirst("z") == null || blank(query, "z") ? null : pick(query.getFirst("z"), names, x, y);
        if (x == null) {
            // Nothing varies: a one-image sweep is a 1x1 plot along seeds.
            x = "seed";
        }
        Map<String, String> fixed = new LinkedHashMap<>();
        for (Param p : varying) {
            if (!p.name().equals(x) && !p.name().equals(y) && !p.name().equals(z)) {
                fixed.put(p.name(), p.chosen());
            }
        }
        List<Section> sections = new ArrayList<>();
        List<String> zValues = z == null ? java.util.Collections.singletonList(null)
                : varying.get(names.indexOf(z)).values();
        for (String zv : zValues.subList(0, Math.min(MAX_Z, zValues.size()))) {
            Map<String, String> filter = new LinkedHashMap<>(fixed);
            if (zv != null) {
                filter.put(z, zv);
            }
            String title = zv == null ? "" : z + ": " + zv;
            try {
                sections.add(new Section(title, grids.grid(sweepId, x, y, filter(sweepId, filter)), null));
            } catch (ProblemException e) {
                sections.add(new Section(title, null, e.getMessage()));
            }
        }
        return new Plot(sweepId, varying, x, y, z, sections, fixed);
    }

    /**
     * For the API ({@code grid.png}): refuses what {@link #plot} would quietly replace, since the picture would then
     * show something other than what was asked. A parameter given twice or that the plot does not take (400), an axis
     * the sweep does not vary or that repeats another (422), a fixed value that is not one of the sweep's (422). An
     * axis left out is chosen as on the page; {@code y=} or {@code z=} asks for none.
     */
    public void requireExact(UUID sweepId, MultivaluedMap<String, String> query) {
        SweepPlan plan = plans.get(sweepId).plan();
        Map<String, Param> byName = new LinkedHashMap<>();
        varying(plan, new MultivaluedHashMap<>()).forEach(p -> byName.put(p.name(), p));
        List<String> axes = byName.isEmpty() ? List.of("seed") : List.copyOf(byName.keySet());
        List<String> chosenAxes = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : query.entrySet()) {
            String name = e.getKey();
            e.getValue().forEach(v -> QueryParams.requirePrintable(name, v));
            if (e.getValue().size() != 1) {
                throw new ProblemException.Malformed(name, "may be given once");
            }
            String value = e.getValue().get(0);
            if (AXES.contains(name)) {
                continue; // below, in axis order, so that the later of two equal axes is the one named
            } else if (byName.containsKey(name)) {
                Param p = byName.get(name);
                if (p.complete() && p.values().stream().noneMatch(v -> sameValue(v, value))) {
                    throw new ProblemException.Invalid(name, "'" + QueryParams.shown(value) + "' is not one of this "
                            + "sweep's values (" + p.values().size() + " of them, e.g. " + p.values().get(0) + ")");
                }
            } else {
                throw new ProblemException.Malformed(QueryParams.shown(name), "is not a parameter of this plot; it "
                        + "takes x, y, z" + (byName.isEmpty() ? "" : " and the parameters that vary: "
                        + String.join(", ", byName.keySet())));
            }
        }
        for (String axis : AXES) {
            String value = query.getFirst(axis);
            if (value == null || value.isBlank() && !axis.equals("x")) {
                continue;
            }
            if (!axes.contains(value)) {
                throw new ProblemException.Invalid(axis, "'" + QueryParams.shown(value) + "' does not vary in this "
                        + "sweep; axes: " + String.join(", ", axes));
            }
            if (chosenAxes.contains(value)) {
                throw new ProblemException.Invalid(axis, "'" + value + "' is already on another axis");
            }
            chosenAxes.add(value);
        }
    }

    /** Whether a query value names a parameter's value: the same text, or the same number (7 and 7.0). */
    private static boolean sameValue(String value, String asked) {
        if (value.equals(asked)) {
            return true;
        }
        if (!asked.matches("-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?")) {
            return false;
        }
        try {
            return Double.parseDouble(value) == Double.parseDouble(asked);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The parameters that vary in the sweep, each fixed at the query's value or its first one. */
    private static List<Param> varying(SweepPlan plan, MultivaluedMap<String, String> query) {
        List<Param> out = new ArrayList<>();
        boolean sizeVaries = false;
        for (ImageParam p : ImageParam.ALL) {
            if (p.multi() && ImageParam.named(p.name() + "s").isPresent()) {
                continue; // lora, controlnet: the names follow the labels (loras, controlnets), fixed or on an axis
            }
            List<Object> values = plan.values(p, MAX_OPTIONS + 1);
            if (values.size() < 2) {
                continue;
            }
            if (p.name().equals("width") || p.name().equals("height")) {
                sizeVaries = true;
                continue;
            }
            out.add(param(p.name(), values.stream().map(GridPage::text).toList(), query));
        }
        if (sizeVaries) {
            List<String> sizes = plan.spec().sizes().stream().map(ImageSize::toString).distinct().toList();
            out.add(param("size", sizes, query));
        }
        out.sort(java.util.Comparator.comparingInt(p -> {
            int i = PREFERRED.indexOf(p.name());
            return i < 0 ? PREFERRED.size() : i;
        }));
        return out;
    }

    private static Param param(String name, List<String> values, MultivaluedMap<String, String> query) {
        boolean complete = values.size() <= MAX_OPTIONS;
        List<String> shown = complete ? values : values.subList(0, MAX_OPTIONS);
        String asked = query.getFirst(name);
        String chosen = asked != null && (!complete || values.contains(asked)) ? asked : values.get(0);
        return new Param(name, shown, complete, chosen);
    }

    private static String pick(String asked, List<String> names, String notA, String notB) {
        if (asked != null && names.contains(asked) && !asked.equals(notA) && !asked.equals(notB)) {
            return asked;
        }
        return names.stream().filter(n -> !n.equals(notA) && !n.equals(notB)).findFirst().orElse(null);
    }

    /** Whether the query asks for no such axis ({@code y=} from the form's "none"). */
    private static boolean blank(MultivaluedMap<String, String> query, String axis) {
        return query.containsKey(axis) && (query.getFirst(axis) == null || query.getFirst(axis).isBlank());
    }

    private static ImageFilter filter(UUID sweepId, Map<String, String> values) {
        MultivaluedMap<String, String> q = new MultivaluedHashMap<>();
        values.forEach(q::add);
        return ImageFilter.parse(q, Set.of()).within(sweepId);
    }

    /** A parameter value as a query string and a grid label write it (7.0 → "7", as {@link GridService} does). */
    static String text(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Double d) {
            return InfoText.number(d);
        }
        if (value instanceof List<?> labels) { // LoRAs, ControlNets; none: "" (the filter for "absent")
            return Condition.joined(labels);
        }
        return value.toString();
    }
}
