package io.sweepfarm.worker.engine;

import java.awt.image.BufferedImage;
import java.util.List;

/** An image the engine generated, with non-fatal remarks to record on it (e.g. a truncated prompt). */
public record GeneratedImage(BufferedImage image, List<String> warnings) {
}
