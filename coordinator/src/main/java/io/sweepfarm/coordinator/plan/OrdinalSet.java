package io.sweepfarm.coordinator.plan;

/**
 * The ordinals of a sweep whose parameters match a filter, as the product of one {@link DigitSet} per block of the
 * sweep's mixed-radix ordinal (slowest block first). Walks members in ascending order without materialising them:
 * {@link #next} is O(blocks · log) whatever the sweep's size. Immutable and thread-safe.
 */
public final class OrdinalSet {

    private final long[] radices;
    private final DigitSet[] digits;
    private final long count;

    OrdinalSet(long[] radices, DigitSet[] digits) {
        this.radices = radices;
        this.digits = digits;
        long c = 1;
        for (DigitSet d : digits) {
            c = Math.multiplyExact(c, d.count());
        }
        this.count = c;
    }

    /** How many ordinals match. */
    public long count() {
        return count;
    }

    public boolean isEmpty() {
        return count == 0;
    }

    /** The smallest matching ordinal ≥ {@code from}, or −1. */
    public long next(long from) {
        if (count == 0) {
            return -1;
        }
        long k = Math.max(0, from);
        long[] d = decompose(k);
        if (d == null) {
            return -1; // past the end
        }
        for (int i = 0; i < d.length; i++) {
            long n = digits[i].next(d[i]);
            if (n == d[i]) {
                continue;
            }
            if (n >= 0) {
                d[i] = n;
                return lowestFrom(d, i + 1);
            }
            for (int h = i - 1; h >= 0; h--) { // carry into a slower block
                long m = digits[h].next(d[h] + 1);
                if (m >= 0) {
                    d[h] = m;
                    return lowestFrom(d, h + 1);
                }
            }
            return -1;
        }
        return compose(d);
    }

    public boolean contains(long ordinal) {
        long[] d = decompose(ordinal);
        if (d == null || ordinal < 0) {
            return false;
        }
        for (int i = 0; i < d.length; i++) {
            if (!digits[i].contains(d[i])) {
                return false;
            }
        }
        return true;
    }

    private long lowestFrom(long[] d, int from) {
        for (int j = from; j < d.length; j++) {
            d[j] = digits[j].next(0);
        }
        return compose(d);
    }

    private long[] decompose(long ordinal) {
        long[] d = new long[radices.length];
        long rest = ordinal;
        for (int i = radices.length - 1; i >= 0; i--) {
            d[i] = rest % radices[i];
            rest /= radices[i];
        }
        return rest == 0 ? d : null;
    }

    private long compose(long[] d) {
        long k = 0;
        for (int i = 0; i < d.length; i++) {
            k = k * radices[i] + d[i];
        }
        return k;
    }
}
