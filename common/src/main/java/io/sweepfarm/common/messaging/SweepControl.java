package io.sweepfarm.common.messaging;

import io.sweepfarm.common.api.SweepState;
import java.time.Instant;
import java.util.UUID;

/**
 * A sweep's state as workers must honour it, published to {@link Topics#CONTROL} (keyed by sweep id, compacted) when
 * a user pauses, resumes or cancels it. Workers skip tasks of paused sweeps (reporting them DEFERRED, so the
 * coordinator releases them again on resume) and of cancelled ones (reporting them CANCELLED): a pause or cancel
 * takes effect within seconds even for tasks already released. {@code at} is the time of the sweep's last change:
 * announcements can be repeated and reordered, and a reader keeps the one with the latest {@code at}.
 */
public record SweepControl(UUID sweepId, SweepState state, Instant at) {
}
