package io.sweepfarm.worker.lane;

import io.sweepfarm.worker.lane.Failures.Verdict;
import java.util.function.BooleanSupplier;

/**
 * Counts the failures of one image's request that speak against the image rather than against the dependency, to
 * give up after a bounded number; tells outages from the rest.
 *
 * <ul>
 * <li>{@link Verdict#OUTAGE}: never counted, retried until the dependency is back.</li>
 * <li>{@link Verdict#UNCERTAIN}: counted; {@code max} of them give up.</li>
 * <li>{@link Verdict#FAULT} (e.g. an S3 500): an outage while the dependency fails for everyone; counted when it
 * served other requests since this one last failed, or answers a probe: then it is this object that keeps failing
 * (an S3 answering 500 for one key only). Throttling and flaky networks look alike, so it takes twice {@code max}
 * of them to give up.</li>
 * </ul>
 * Not thread-safe: one instance per request being retried.
 */
final class Attempts {

    private final int max;
    private int uncertain;
    private int faults;
    private long successesAtLastFailure = -1;

    Attempts(int max) {
        this.max = Math.max(1, max);
    }

    /** What a failure means for the image. */
    enum Outcome {
        /** The dependency is down: report the outage and retry. */
        OUTAGE,
        /** Retry. */
        RETRY,
        /** The attempts are used up: fail the image. */
        GIVE_UP
    }

    /**
     * Notes a failure that is not permanent.
     *
     * @param successes the dependency's successes so far ({@link Outages#successes})
     * @param probe     asks the dependency whether it answers now (only called for a fault)
     */
    Outcome failed(Verdict verdict, long successes, BooleanSupplier probe) {
        boolean others = successesAtLastFailure >= 0 && successes != successesAtLastFailure;
        successesAtLastFailure = successes;
        switch (verdict) {
            case OUTAGE:
                return Outcome.OUTAGE;
            case FAULT:
                if (!others && !probe.getAsBoolean()) {
                    return Outcome.OUTAGE;
                }
                return ++faults >= 2 * max ? Outcome.GIVE_UP : Outcome.RETRY;
            default:
                return ++uncertain >= max ? Outcome.GIVE_UP : Outcome.RETRY;
        }
    }

    /** The failures counted so far. */
    int counted() {
        return uncertain + faults;
    }
}
