package io.sweepfarm.coordinator.input;

import io.sweepfarm.coordinator.problem.ProblemException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Bounds the pixels being decoded at once, so that parallel uploads of large images cannot exhaust the heap (a
 * decoded pixel takes about 4 bytes). An upload takes its image's share before decoding and gives it back after; if
 * the share is not free within the wait, it is refused with a 503 and {@code Retry-After}. Fair: a large image is not
 * starved by a stream of small ones. Thread-safe.
 */
final class DecodeBudget {

    private final Semaphore pixels;
    private final int total;
    private final Duration wait;

    DecodeBudget(long totalPixels, Duration wait) {
        this.total = (int) Math.min(Integer.MAX_VALUE, Math.max(1, totalPixels));
        this.pixels = new Semaphore(total, true);
        this.wait = wait;
    }

    /** A held share of the budget; close to give it back. */
    interface Share extends AutoCloseable {
        @Override
        void close();
    }

    /** Takes {@code n} pixels of the budget (all of it if {@code n} exceeds it), waiting up to the configured wait. */
    Share take(long n) {
        int share = (int) Math.min(total, Math.max(1, n));
        boolean got;
        try {
            got = pixels.tryAcquire(share, wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            got = false;
        }
        if (!got) {
            throw new ProblemException.Unavailable("the coordinator is decoding other uploads at the moment; retry in "
                    + "a few seconds", null, 2);
        }
        return () -> pixels.release(share);
    }

    int available() {
        return pixels.availablePermits();
    }
}
