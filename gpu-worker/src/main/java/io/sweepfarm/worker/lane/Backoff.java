package io.sweepfarm.worker.lane;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with a cap and jitter: the pause before retry {@code n} (1-based) is
 * {@code min(max, initial * 2^(n-1))}, drawn uniformly within {@code ±jitter} of that value (never above the cap).
 *
 * @param initial pause before the first retry
 * @param max     longest pause
 * @param jitter  fraction of randomness, 0 to 1
 */
public record Backoff(Duration initial, Duration max, double jitter) {

    public Backoff {
        if (initial.isNegative() || max.compareTo(initial) < 0 || jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("backoff needs 0 <= initial <= max and 0 <= jitter <= 1, got "
                    + initial + ", " + max + ", " + jitter);
        }
    }

    /** The pause before retry {@code retry} (1 for the first retry). */
    public Duration delay(int retry) {
        long initialMs = initial.toMillis();
        long maxMs = max.toMillis();
        int doublings = Math.max(0, Math.min(retry - 1, 62));
        long nominal = initialMs == 0 ? 0
                : doublings >= Long.numberOfLeadingZeros(initialMs) - 1 ? maxMs : Math.min(maxMs, initialMs << doublings);
        double factor = 1 + jitter * (2 * ThreadLocalRandom.current().nextDouble() - 1);
        return Duration.ofMillis(Math.min(maxMs, Math.round(nominal * factor)));
    }

    /** The nominal pause (without jitter) before retry {@code retry}, for messages. */
    public Duration nominal(int retry) {
        return new Backoff(initial, max, 0).delay(retry);
    }
}
