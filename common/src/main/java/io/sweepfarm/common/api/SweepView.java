package io.sweepfarm.common.api;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** A sweep as the API reports it: its identity, state and how many images are in each {@link ImageState}. */
public record SweepView(
        UUID id,
        String name,
        String model,
        SweepState state,
        int priority,
        long imageCount,
        Map<ImageState, Long> counts,
        Instant createdAt,
        Instant updatedAt) {

    /** Images in a terminal state. */
    public long done() {
        return counts.entrySet().stream().filter(e -> e.getKey().isTerminal()).mapToLong(Map.Entry::getValue).sum();
    }
}
