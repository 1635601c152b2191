package io.sweepfarm.worker.lane;

import io.sweepfarm.common.messaging.RenderResult;
import java.util.ArrayList;
import java.util.List;

/**
 * Bounds the free texts of a result (its error and warnings), so that every result fits in a Kafka record whatever
 * an exception or the engine said: at most {@value #MAX_ERROR} characters of error and {@value #MAX_WARNINGS}
 * warnings of {@value #MAX_WARNING} characters, control characters escaped.
 */
final class BoundedResults {

    static final int MAX_ERROR = 1000;
    static final int MAX_WARNINGS = 10;
    static final int MAX_WARNING = 300;

    private BoundedResults() {
    }

    static RenderResult bound(RenderResult r) {
        return withTexts(r, r.warnings(), r.error(), MAX_WARNINGS, MAX_ERROR);
    }

    /** The smallest form of a result, for a broker that refused the bounded one: no warnings, a short error. */
    static RenderResult minimal(RenderResult r) {
        return withTexts(r, List.of(), r.error(), 0, 200);
    }

    private static RenderResult withTexts(RenderResult r, List<String> warnings, String error, int maxWarnings,
            int maxError) {
        List<String> kept = new ArrayList<>();
        if (warnings != null) {
            for (int i = 0; i < warnings.size() && kept.size() < maxWarnings; i++) {
                kept.add(LogText.bounded(warnings.get(i), MAX_WARNING));
            }
            if (warnings.size() > maxWarnings && maxWarnings > 0) {
                kept.set(kept.size() - 1, (warnings.size() - maxWarnings + 1) + " more warnings left out");
            }
        }
        return new RenderResult(r.imageId(), r.sweepId(), r.attempt(), r.outcome(), r.objectKey(), r.sha256(),
                r.worker(), r.renderMillis(), kept, error == null ? null : LogText.bounded(error, maxError),
                r.finishedAt());
    }
}
