package io.sweepfarm.coordinator.plan;

import java.util.Arrays;
import java.util.List;

/**
 * A set of digits 0 … size−1 of one block of a sweep's mixed-radix ordinal, without materialising it: all of them,
 * sorted disjoint intervals, or a union of arithmetic progressions (a seed range with several images per
 * combination). Immutable and thread-safe.
 */
public sealed interface DigitSet permits DigitSet.All, DigitSet.Intervals, DigitSet.Progressions {

    /** The smallest member ≥ {@code digit}, or −1 when there is none. */
    long next(long digit);

    /** Number of members. */
    long count();

    default boolean contains(long digit) {
        return digit >= 0 && next(digit) == digit;
    }

    default boolean isEmpty() {
        return count() == 0;
    }

    static DigitSet all(long size) {
        return new All(size);
    }

    /** Every digit 0 … size−1. */
    record All(long size) implements DigitSet {
        @Override
        public long next(long digit) {
            long d = Math.max(0, digit);
            return d < size ? d : -1;
        }

        @Override
        public long count() {
            return size;
        }
    }

    /** Sorted, disjoint, non-adjacent half-open intervals {@code [from[i], to[i])}. */
    record Intervals(long[] from, long[] to) implements DigitSet {

        /** Collects ascending digits (duplicates allowed) into intervals. */
        public static final class Builder {
            private long[] from = new long[8];
            private long[] to = new long[8];
            private int n;

            public void add(long digit) {
                if (n > 0 && digit < to[n - 1]) {
                    if (digit < from[n - 1]) {
                        throw new IllegalArgumentException("digits must be added in ascending order");
                    }
                    return;
                }
                if (n > 0 && digit == to[n - 1]) {
                    to[n - 1]++;
                    return;
                }
                if (n == from.length) {
                    from = Arrays.copyOf(from, n * 2);
                    to = Arrays.copyOf(to, n * 2);
                }
                from[n] = digit;
                to[n] = digit + 1;
                n++;
            }

            public DigitSet build() {
                return new Intervals(Arrays.copyOf(from, n), Arrays.copyOf(to, n));
            }
        }

        @Override
        public long next(long digit) {
            long d = Math.max(0, digit);
            int lo = 0;
            int hi = from.length;
            while (lo < hi) { // first interval whose end is past d
                int mid = (lo + hi) >>> 1;
                if (to[mid] <= d) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            if (lo == from.length) {
                return -1;
            }
            return Math.max(d, from[lo]);
        }

        @Override
        public long count() {
            long c = 0;
            for (int i = 0; i < from.length; i++) {
                c += to[i] - from[i];
            }
            return c;
        }
    }

    /** The union of progressions {@code first + k·step}, 0 ≤ k &lt; count. */
    record Progressions(List<Progression> members) implements DigitSet {

        public record Progression(long first, long step, long count) {
            long last() {
                return first + (count - 1) * step;
            }

            long next(long d) {
                if (count <= 0 || d > last()) {
                    return -1;
                }
                if (d <= first) {
                    return first;
                }
                long k = Math.floorDiv(d - first + step - 1, step);
                return first + k * step;
            }
        }

        public Progressions {
            members = members.stream().filter(p -> p.count() > 0).toList();
        }

        @Override
        public long next(long digit) {
            long best = -1;
            for (Progression p : members) {
                long n = p.next(digit);
                if (n >= 0 && (best < 0 || n < best)) {
                    best = n;
                }
            }
            return best;
        }

        /** Members are disjoint when their residues modulo the common step differ, as the seed block builds them. */
        @Override
        public long count() {
            long c = 0;
            for (Progression p : members) {
                c += p.count();
            }
            return c;
        }
    }
}
