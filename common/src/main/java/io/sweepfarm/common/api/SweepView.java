package io.sweepfarm.common.api;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A sweep as the API reports it: its identity, state, how many images are in each {@link ImageState} (from counters
 * kept with every change, never by scanning images), and its pace.
 *
 * @param released        images released to workers so far (the release cursor)
 * @param imagesPerSecond images finished per second over the last minute, 0 when idle
 * @param etaSeconds      seconds until every image is final at that pace; null while it cannot be estimated
 * @param waiting         why the sweep makes no progress when that is known (e.g. no live worker serves its
 *                        model); null otherwise
 */
public record SweepView(
        UUID id,
        String name,
        String model,
        SweepState state,
        int priority,
        long imageCount,
        Map<ImageState, Long> counts,
        long released,
        double imagesPerSecond,
        Long etaSeconds,
        String waiting,
        Instant createdAt,
        Instant updatedAt) {

    /** Images in a terminal state. */
    public long done() {
        return counts.entrySet().stream().filter(e -> e.getKey().isTerminal()).mapToLong(Map.Entry::getValue).sum();
    }
}
