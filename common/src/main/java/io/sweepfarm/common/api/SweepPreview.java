package io.sweepfarm.common.api;

import io.sweepfarm.common.image.ImageParameters;
import java.util.List;

/**
 * The answer to a dry run ({@code "dry_run": true}): how many images the sweep expands to and the first of them,
 * in sweep order. Nothing is stored.
 */
public record SweepPreview(long imageCount, List<ImageParameters> firstImages) {
}
