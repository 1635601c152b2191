package io.sweepfarm.coordinator.image;

import io.sweepfarm.common.api.ImageState;
import io.sweepfarm.common.sampler.SamplerId;
import io.sweepfarm.coordinator.plan.Condition;
import io.sweepfarm.coordinator.plan.ImageParam;
import io.sweepfarm.coordinator.problem.ProblemException;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What an image query, grid or export selects: a sweep (or every sweep), states, and conditions on any parameter of
 * {@link io.sweepfarm.common.image.ImageParameters}, derived from the record:
 *
 * <ul>
 * <li>{@code <param>=v} (repeat for any of several values; an empty value matches an absent one), e.g.
 * {@code cfg_scale=7.5&cfg_scale=8}, {@code sampler=euler_a} (A1111 names too), {@code model=sd15};</li>
 * <li>{@code <param>_min} / {@code <param>_max} for numbers (inclusive), e.g. {@code steps_min=20};</li>
 * <li>{@code <param>_contains} for text, ignoring case, e.g. {@code prompt_contains=fox};</li>
 * <li>{@code size=512x768}; {@code state=SUCCEEDED} (repeatable); {@code sweep_id}.</li>
 * </ul>
 *
 * Any other query parameter is refused with a 400 naming it, as is a value with control characters.
 *
 * @param sweepId    the sweep, or null for every sweep
 * @param conditions tests on parameters, all of which must pass
 * @param states     accepted states, or empty for any
 */
public record ImageFilter(UUID sweepId, List<Condition> conditions, Set<ImageState> states) {

    public static final ImageFilter ALL = new ImageFilter(null, List.of(), Set.of());

    /** Parses the query string; {@code others} are the endpoint's own parameters (limit, x, ...), left alone. */
    public static ImageFilter parse(UriInfo uri, Set<String> others) {
        return parse(uri.getQueryParameters(), others);
    }

    /** Parses query parameters given as a map (the web UI's forms); see {@link #parse(UriInfo, Set)}. */
    public static ImageFilter parse(MultivaluedMap<String, String> query, Set<String> others) {
        UUID sweep = null;
        Set<ImageState> states = EnumSet.noneOf(ImageState.class);
        List<Condition> conditions = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : query.entrySet()) {
            String name = e.getKey();
            List<String> values = e.getValue();
            for (String v : values) {
                QueryParams.requirePrintable(name, v);
            }
            if (others.contains(name)) {
                continue;
            }
            switch (name) {
                case "sweep_id" -> sweep = QueryParams.uuid(name, single(name, values));
                case "state" -> values.forEach(v -> states.add(state(v)));
                case "size" -> conditions.addAll(size(single(name, values)));
                default -> conditions.add(condition(name, values));
            }
        }
        return new ImageFilter(sweep, List.copyOf(conditions), Set.copyOf(states));
    }

    /** This filter restricted to {@code sweep} (a path's sweep wins over a {@code sweep_id} parameter). */
    public ImageFilter within(UUID sweep) {
        if (sweepId != null && !sweepId.equals(sweep)) {
            throw new ProblemException.Malformed("sweep_id", "names another sweep than the path");
        }
        return new ImageFilter(sweep, conditions, states);
    }

    public ImageFilter withStates(Set<ImageState> s) {
        return new ImageFilter(sweepId, conditions, Set.copyOf(s));
    }

    /** The models the conditions allow, when they name exact ones (to narrow a query across sweeps), else null. */
    public Set<String> models() {
        for (Condition c : conditions) {
            if (c instanceof Condition.AnyOf a && a.param().name().equals("model")) {
                Set<String> models = new HashSet<>();
                a.values().forEach(v -> models.add(String.valueOf(v)));
                return models;
            }
        }
        return null;
    }

    /**
     * The seeds the conditions allow, as bounds {lo, hi} (to narrow a query across sweeps by their seed bounds), or
     * null when no condition is on the seed; lo &gt; hi when none can match.
     */
    public long[] seedBounds() {
        double lo = Double.NEGATIVE_INFINITY;
        double hi = Double.POSITIVE_INFINITY;
        boolean any = false;
        for (Condition c : conditions) {
            if (!c.param().name().equals("seed")) {
                continue;
            }
            if (c instanceof Condition.AnyOf a) {
                double min = Double.POSITIVE_INFINITY;
                double max = Double.NEGATIVE_INFINITY;
                for (Object v : a.values()) {
                    if (v instanceof Number n) {
                        min = Math.min(min, n.doubleValue());
                        max = Math.max(max, n.doubleValue());
                    }
                }
                lo = Math.max(lo, min);
                hi = Math.min(hi, max);
                any = true;
            } else if (c instanceof Condition.Between b) {
                lo = b.min() == null ? lo : Math.max(lo, b.min());
                hi = b.max() == null ? hi : Math.min(hi, b.max());
                any = true;
            }
        }
        if (!any) {
            return null;
        }
        // Seeds are integers of at most 64 bits: the bounds are rounded inwards and clamped.
        long l = lo <= Long.MIN_VALUE ? Long.MIN_VALUE : (long) Math.ceil(lo);
        long h = hi >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) Math.floor(hi);
        return new long[] {l, h};
    }

    private static Condition condition(String name, List<String> values) {
        ImageParam exact = ImageParam.named(name).orElse(null);
        if (exact != null) {
            Set<Object> parsed = new LinkedHashSet<>();
            for (String v : values) {
                parsed.add(parse(exact, name, v));
            }
            return new Condition.AnyOf(exact, parsed);
        }
        for (String suffix : List.of("_min", "_max", "_contains")) {
            if (name.endsWith(suffix)) {
                ImageParam p = ImageParam.named(name.substring(0, name.length() - suffix.length())).orElse(null);
                if (p != null && suffix.equals("_contains") && p.text()) {
                    String needle = single(name, values);
                    return new Condition.Contains(p, needle);
                }
                if (p != null && !suffix.equals("_contains") && p.numeric()) {
                    Object bound = parse(p, name, single(name, values));
                    Double b = bound == null ? null : ImageParam.number(bound);
                    return suffix.equals("_min") ? new Condition.Between(p, b, null) : new Condition.Between(p, null, b);
                }
            }
        }
        throw new ProblemException.Malformed(name, "is not a filter; filter on " + ImageParam.names()
                + " (exact, repeatable), <number>_min / _max, <text>_contains, size, state, sweep_id");
    }

    private static Object parse(ImageParam p, String name, String raw) {
        if (p.name().equals("sampler")) {
            return SamplerId.fromId(raw).map(SamplerId::id).orElseThrow(() -> new ProblemException.Malformed(name,
                    "unknown sampler '" + QueryParams.shown(raw) + "'; valid: " + SamplerId.allIds()));
        }
        try {
            return p.parse(raw);
        } catch (IllegalArgumentException e) {
            throw new ProblemException.Malformed(name, e.getMessage());
        }
    }

    private static List<Condition> size(String raw) {
        String[] wh = raw.split("x", -1);
        if (wh.length != 2 || !wh[0].matches("[0-9]{1,5}") || !wh[1].matches("[0-9]{1,5}")) {
            throw new ProblemException.Malformed("size", "must be WIDTHxHEIGHT, e.g. 512x768, not '"
                    + QueryParams.shown(raw) + "'");
        }
        ImageParam w = ImageParam.named("width").orElseThrow();
        ImageParam h = ImageParam.named("height").orElseThrow();
        return List.of(new Condition.AnyOf(w, Set.of(Integer.parseInt(wh[0]))),
                new Condition.AnyOf(h, Set.of(Integer.parseInt(wh[1]))));
    }

    private static ImageState state(String raw) {
        try {
            return ImageState.valueOf(raw.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ProblemException.Malformed("state", "unknown state '" + QueryParams.shown(raw) + "'; valid: "
                    + java.util.Arrays.toString(ImageState.values()));
        }
    }

    private static String single(String name, List<String> values) {
        if (values.size() != 1) {
            throw new ProblemException.Malformed(name, "may be given once");
        }
        return values.get(0);
    }
}
