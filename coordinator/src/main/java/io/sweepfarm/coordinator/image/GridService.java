package io.sweepfarm.coordinator.image;

import io.sweepfarm.common.api.GridView;
import io.sweepfarm.coordinator.problem.Problem.FieldError;
import io.sweepfarm.coordinator.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * X/Y plots of a sweep, AUTOMATIC1111's X/Y/Z plot over stored images: one parameter along the columns, optionally
 * one along the rows, every other parameter fixed by the request's filters. Axis values keep the sweep's order.
 */
@ApplicationScoped
public class GridService {

    /** Most images one grid may cover. */
    static final int MAX_IMAGES = 10_000;

    @Inject
    EntityManager em;

    /**
     * The grid of {@code sweepId} with parameter {@code xParam} along the columns and {@code yParam} (may be null)
     * along the rows; 422 naming the parameter when an axis is unknown or another parameter still varies.
     */
    @Transactional
    public GridView grid(UUID sweepId, String xParam, String yParam, ImageFilter filter) {
        if (xParam == null || xParam.isBlank()) {
            throw new ProblemException.Invalid("x", "is required: one of " + GridAxis.names());
        }
        GridAxis x = GridAxis.of(xParam).orElseThrow(() -> new ProblemException.Invalid("x",
                "unknown parameter '" + xParam + "'; one of " + GridAxis.names()));
        GridAxis y = yParam == null || yParam.isBlank() ? null : GridAxis.of(yParam).orElseThrow(
                () -> new ProblemException.Invalid("y", "unknown parameter '" + yParam + "'; one of "
                        + GridAxis.names()));
        if (x == y) {
            throw new ProblemException.Invalid("y", "must differ from x");
        }
        Map<String, Object> params = new LinkedHashMap<>();
        StringBuilder where = ImageService.where(filter, params);
        TypedQuery<Image> query = em.createQuery("select i from Image i" + where + " order by i.ordinal", Image.class);
        params.forEach(query::setParameter);
        List<Image> images = query.setMaxResults(MAX_IMAGES + 1).getResultList();
        if (images.size() > MAX_IMAGES) {
            throw new ProblemException.Invalid("x", "the grid would cover more than " + MAX_IMAGES
                    + " images; fix more parameters with filters");
        }
        if (images.isEmpty()) {
            throw new ProblemException.NotFound("no image of sweep " + sweepId + " matches these filters");
        }
        requireFixed(images, x, y);
        List<String> xs = distinct(images, x);
        List<String> ys = y == null ? List.of("") : distinct(images, y);
        List<List<GridView.Cell>> cells = new ArrayList<>(ys.size());
        for (int r = 0; r < ys.size(); r++) {
            cells.add(new ArrayList<>(Collections.nCopies(xs.size(), (GridView.Cell) null)));
        }
        for (Image i : images) {
            int col = xs.indexOf(x.value.apply(i));
            int row = y == null ? 0 : ys.indexOf(y.value.apply(i));
            cells.get(row).set(col, new GridView.Cell(i.id, i.state, "/api/v1/images/" + i.id + "/png"));
        }
        return new GridView(sweepId, x.param, y == null ? null : y.param, xs, y == null ? List.of() : ys, cells);
    }

    /** Every parameter but x and y must have one value, or cells would hold several images. */
    private static void requireFixed(List<Image> images, GridAxis x, GridAxis y) {
        List<FieldError> varying = new ArrayList<>();
        for (GridAxis a : GridAxis.values()) {
            if (a == x || a == y) {
                continue;
            }
            List<String> values = distinct(images, a);
            if (values.size() > 1) {
                List<String> shown = values.subList(0, Math.min(5, values.size()));
                varying.add(new FieldError(a.param, "varies among the matching images (" + values.size()
                        + " values, e.g. " + shown + "): fix it with ?" + a.param + "=... or use it as x or y"));
            }
        }
        if (!varying.isEmpty()) {
            throw new ProblemException.Invalid(varying);
        }
    }

    private static List<String> distinct(List<Image> images, GridAxis axis) {
        Set<String> values = new LinkedHashSet<>();
        for (Image i : images) {
            values.add(axis.value.apply(i));
        }
        return new ArrayList<>(values);
    }
}
