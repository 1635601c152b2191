package io.sweepfarm.worker.render;

import io.sweepfarm.engine.ImageRequest;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * What became of one task: an image, a reason it cannot be rendered that a retry will not fix, or a deliberate skip.
 */
public sealed interface RenderOutcome {

    /**
     * A rendered image, the engine request it was rendered from (its infotext and metadata are built from it),
     * non-fatal remarks (e.g. the prompt was truncated), and the name of the refiner model that took over, when the
     * request handed off to one.
     */
    record Rendered(BufferedImage image, ImageRequest request, List<String> warnings, String refiner)
            implements RenderOutcome {

        /** Rendered without naming a refiner. */
        public Rendered(BufferedImage image, ImageRequest request, List<String> warnings) {
            this(image, request, warnings, null);
        }
    }

    /** The task cannot be rendered as given (bad init image, unsupported mode, ...). */
    record Rejected(String reason) implements RenderOutcome {
    }

    /** Not rendered on purpose: its sweep is paused (handed back) or cancelled. */
    record Skipped(io.sweepfarm.common.messaging.RenderResult.Outcome outcome) implements RenderOutcome {
    }
}
