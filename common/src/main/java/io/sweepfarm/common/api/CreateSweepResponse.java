package io.sweepfarm.common.api;

import java.util.UUID;

/** Answer to a sweep submission: the sweep's id and how many images it expands to. */
public record CreateSweepResponse(UUID id, long imageCount, SweepState state) {
}
