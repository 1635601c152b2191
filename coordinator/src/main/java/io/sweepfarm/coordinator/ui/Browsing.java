package io.sweepfarm.coordinator.ui;

import io.sweepfarm.common.api.ImagePage;
import io.sweepfarm.common.api.ImageState;
import io.sweepfarm.common.api.ImageView;
import io.sweepfarm.common.api.SweepView;
import io.sweepfarm.common.image.ImageParameters;
import io.sweepfarm.common.png.InfoText;
import io.sweepfarm.coordinator.image.ImageFilter;
import io.sweepfarm.coordinator.image.ImageQuery;
import io.sweepfarm.coordinator.plan.ImageParam;
import io.sweepfarm.coordinator.plan.SweepPlan;
import io.sweepfarm.coordinator.plan.SweepPlans;
import io.sweepfarm.coordinator.problem.ProblemException;
import io.sweepfarm.coordinator.sweep.SweepService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The browse page and the image page. Filters are the query API's ({@link ImageFilter}), one input per parameter of
 * {@link ImageParameters}: a substring for free text, a range for numbers, the exact value otherwise; any other exact
 * filter in the address (from a link) is kept. Pages are read with keyset cursors; a short page with a cursor is
 * followed until a screenful is found, and the last cursor makes the "more" link that infinite scroll follows.
 */
@ApplicationScoped
public class Browsing {

    /** Thumbnails per screenful. */
    static final int PAGE = 48;
    /** Most query rounds one screenful may take (each is bounded by the query's own work limit). */
    private static final int ROUNDS = 5;
    /** The page's own parameters, not filters. */
    private static final Set<String> OWN = Set.of("cursor", "fragment", "state");
    private static final String ANY = "ANY";

    @Inject
    ImageQuery images;

    @Inject
    SweepService sweeps;

    @Inject
    SweepPlans plans;

    /** The browse page for a query string (its tiles only when {@code fragment=tiles}). */
    /** The first page of a sweep's rendered images, as its page shows them; true when there are more. */
    public java.util.Map.Entry<List<Tile>, Boolean> sweepTiles(UUID sweep) {
        io.sweepfarm.common.api.ImagePage page = images.page(new io.sweepfarm.coordinator.image.ImageFilter(sweep,
                List.of(), java.util.Set.of(io.sweepfarm.common.api.ImageState.SUCCEEDED)), null, PAGE);
        return java.util.Map.entry(page.items().stream().map(Tile::of).toList(), page.nextCursor() != null);
    }

    public Pages.Browse browse(MultivaluedMap<String, String> query) {
        MultivaluedMap<String, String> filters = nonEmpty(query);
        String state = query.getFirst("state") == null || query.getFirst("state").isBlank() ? "SUCCEEDED"
                : query.getFirst("state");
        List<Pages.FilterField> fields = fields(filters);
        Map<String, String> hidden = new LinkedHashMap<>();
        Set<String> shown = new java.util.HashSet<>(fields.stream().map(Pages.FilterField::name).toList());
        shown.add("sweep_id");
        filters.forEach((k, vs) -> {
            if (!shown.contains(k) && !OWN.contains(k)) {
                hidden.put(k, vs.get(0));
            }
        });
        List<Tile> tiles = new ArrayList<>();
        String error = null;
        String next = null;
        try {
            MultivaluedMap<String, String> f = new MultivaluedHashMap<>(filters);
            OWN.forEach(f::remove);
            if (!ANY.equals(state)) {
                f.add("state", state);
            }
            ImageFilter filter = ImageFilter.parse(f, Set.of());
            String cursor = query.getFirst("cursor");
            for (int round = 0; round < ROUNDS && tiles.size() < PAGE; round++) {
                ImagePage page = images.page(filter, cursor, PAGE - tiles.size());
                page.items().forEach(v -> tiles.add(Tile.of(v)));
                cursor = page.nextCursor();
                if (cursor == null) {
                    break;
                }
            }
            next = cursor;
        } catch (ProblemException e) {
            error = e.getMessage();
        }
        String nextUrl = next == null ? null : "/images?" + queryString(filters, "cursor", next);
        String nextFragment = next == null ? null : nextUrl + "&fragment=tiles";
        List<String> states = new ArrayList<>(List.of("SUCCEEDED", ANY));
        Arrays.stream(ImageState.values()).map(Enum::name).filter(s -> !states.contains(s)).forEach(states::add);
        List<Pages.SweepOption> options = sweeps.list(200, null, null).stream()
                .map(v -> new Pages.SweepOption(v.id().toString(), title(v) + " (" + v.id().toString()
                        .substring(0, 8) + ")"))
                .toList();
        return new Pages.Browse(tiles, nextUrl, nextFragment, error, filters.getFirst("sweep_id"), state, states,
                options, fields, hidden);
    }

    /** One input per parameter: text contains, number ranges, exact otherwise (width/height: the size field). */
    private static List<Pages.FilterField> fields(MultivaluedMap<String, String> q) {
        List<Pages.FilterField> out = new ArrayList<>();
        for (ImageParam p : ImageParam.ALL) {
            String label = p.name().replace('_', ' ');
            if (p.freeText()) {
                out.add(field(q, p.name() + "_contains", label + " contains", "text"));
            } else if (p.numeric()) {
                String mode = p.type() == double.class || p.type() == Double.class ? "decimal" : "numeric";
                out.add(field(q, p.name() + "_min", label + " from", mode));
                out.add(field(q, p.name() + "_max", label + " to", mode));
            } else {
                out.add(field(q, p.name(), label, "text"));
            }
        }
        out.add(field(q, "size", "size (WxH)", "text"));
        return out;
    }

    private static Pages.FilterField field(MultivaluedMap<String, String> q, String name, String label, String mode) {
        String v = q.getFirst(name);
        return new Pages.FilterField(name, label, v == null ? "" : v, mode);
    }

    /** The image page. */
    public Pages.ImageDetail image(UUID id) {
        ImageView v = images.get(id);
        SweepView sweep = sweeps.view(v.sweepId());
        ImageParameters p = v.params();
        Map<String, String> params = new LinkedHashMap<>();
        for (ImageParam param : ImageParam.ALL) {
            Object value = param.get(p);
            if (value != null && !(value instanceof String s && s.isEmpty()) && !(value instanceof List<?> l
                    && l.isEmpty())) {
                params.put(param.name().replace('_', ' '), GridPage.text(value));
            }
        }
        SweepPlans.Compiled compiled = plans.get(v.sweepId());
        boolean hasPrevious = v.ordinal() > 0;
        boolean hasNext = v.ordinal() + 1 < sweep.imageCount();
        String state = v.state().name().toLowerCase(java.util.Locale.ROOT);
        return new Pages.ImageDetail(v, title(sweep), state, v.state() == ImageState.SUCCEEDED, Tile.alt(p),
                InfoText.format(p), params, "sweep-" + v.sweepId().toString().substring(0, 8) + "-" + v.ordinal()
                        + ".png", gridUrl(v), hasPrevious ? compiled.imageId(v.ordinal() - 1).toString() : null,
                hasPrevious ? v.ordinal() - 1 : null, hasNext ? compiled.imageId(v.ordinal() + 1).toString() : null,
                hasNext ? v.ordinal() + 1 : null);
    }

    /** The sweep's grid with every parameter fixed at this image's values (the axes fall back to the defaults). */
    private String gridUrl(ImageView v) {
        MultivaluedMap<String, String> q = new MultivaluedHashMap<>();
        SweepPlan plan = plans.get(v.sweepId()).plan();
        for (ImageParam param : ImageParam.ALL) {
            Object value = param.get(v.params());
            boolean none = value instanceof List<?> l && l.isEmpty(); // no LoRA or ControlNet: only where some have
            if (value != null && !param.name().equals("width") && !param.name().equals("height")
                    && !(none && plan.values(param, 2).size() < 2)) {
                q.add(param.name(), GridPage.text(value));
            }
        }
        q.add("size", v.params().width() + "x" + v.params().height());
        return "/sweeps/" + v.sweepId() + "/grid?" + queryString(q, null, null);
    }

    static String title(SweepView v) {
        return v.name() == null || v.name().isBlank() ? v.model() : v.name();
    }

    /** The query without empty values (an empty form field filters nothing). */
    static MultivaluedMap<String, String> nonEmpty(MultivaluedMap<String, String> query) {
        MultivaluedMap<String, String> out = new MultivaluedHashMap<>();
        query.forEach((k, vs) -> vs.stream().filter(v -> v != null && !v.isBlank()).forEach(v -> out.add(k, v)));
        return out;
    }

    /** A query string of {@code q} without {@code replace}, then {@code replace=value} if given. */
    static String queryString(MultivaluedMap<String, String> q, String replace, String value) {
        StringBuilder sb = new StringBuilder();
        q.forEach((k, vs) -> {
            if (!k.equals(replace) && !k.equals("fragment")) {
                vs.forEach(v -> append(sb, k, v));
            }
        });
        if (replace != null && value != null) {
            append(sb, replace, value);
        }
        return sb.toString();
    }

    private static void append(StringBuilder sb, String k, String v) {
        if (!sb.isEmpty()) {
            sb.append('&');
        }
        sb.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
    }
}
