package io.sweepfarm.worker.render;

import java.awt.image.BufferedImage;
import java.util.List;

/** What rendering one task produced: an image, or a reason it cannot be rendered that a retry will not fix. */
public sealed interface RenderOutcome {

    /** A rendered image, with non-fatal remarks (e.g. the prompt was truncated). */
    record Rendered(BufferedImage image, List<String> warnings) implements RenderOutcome {
    }

    /** The task cannot be rendered as given (bad init image, unsupported mode, ...). */
    record Rejected(String reason) implements RenderOutcome {
    }
}
