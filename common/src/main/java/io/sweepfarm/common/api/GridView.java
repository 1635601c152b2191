package io.sweepfarm.common.api;

import java.util.List;
import java.util.UUID;

/**
 * An X/Y plot of a sweep: the images at each combination of two parameters, the others fixed by filters.
 * {@code cells.get(row).get(column)} is the image at {@code yValues[row]}, {@code xValues[column]}, or null where
 * the sweep has none.
 *
 * @param sweepId  the sweep
 * @param x        parameter along the columns (e.g. {@code cfg_scale})
 * @param y        parameter along the rows, or null for a single row
 * @param xValues  column labels, in the sweep's axis order
 * @param yValues  row labels, in the sweep's axis order
 * @param cells    rows of cells
 */
public record GridView(UUID sweepId, String x, String y, List<String> xValues, List<String> yValues,
        List<List<Cell>> cells) {

    /** One image of the grid. */
    public record Cell(UUID imageId, ImageState state, String downloadUrl) {
    }
}
