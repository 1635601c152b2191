package io.sweepfarm.engine;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * An image the engine generated, the request it was generated from (as normalised by {@link ImageRequest}: what
 * was actually rendered) and non-fatal remarks to record on it (e.g. a truncated prompt).
 */
public record GeneratedImage(BufferedImage image, ImageRequest request, List<String> warnings) {
}
