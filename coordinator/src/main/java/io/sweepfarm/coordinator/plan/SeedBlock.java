package io.sweepfarm.coordinator.plan;

import io.sweepfarm.common.api.Seeds;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The fastest block of a sweep's ordinal: seeds × images per combination. Digit {@code i} renders seed
 * {@code seeds[i / n] + i % n} (A1111's batch count: consecutive seeds). Seed conditions are solved by arithmetic,
 * so a range of 10⁸ seeds is filtered as fast as a list of three.
 */
final class SeedBlock {

    private final Seeds seeds;
    private final int perSeed;
    private volatile Map<Long, List<Integer>> indexOfListed;

    SeedBlock(Seeds seeds, int perSeed) {
        this.seeds = seeds;
        this.perSeed = Math.max(1, perSeed);
    }

    long size() {
        return Math.multiplyExact(seeds.size(), perSeed);
    }

    long seed(long digit) {
        return seeds.get(digit / perSeed) + digit % perSeed;
    }

    /** The lowest and the highest seed of the block's images: {lo, hi}. */
    long[] bounds() {
        long lo;
        long hi;
        if (seeds instanceof Seeds.Range r) {
            lo = r.start();
            hi = r.start() + r.count() - 1;
        } else {
            lo = Long.MAX_VALUE;
            hi = Long.MIN_VALUE;
            for (long j = 0; j < seeds.size(); j++) {
                lo = Math.min(lo, seeds.get(j));
                hi = Math.max(hi, seeds.get(j));
            }
        }
        return new long[] {lo, hi + perSeed - 1};
    }

    /** The digits whose seed passes every condition (all of them on the {@code seed} parameter). */
    DigitSet match(List<Condition> conditions) {
        Double min = null;
        Double max = null;
        List<Condition.AnyOf> anyOf = new ArrayList<>();
        for (Condition c : conditions) {
            if (c instanceof Condition.Between b) {
                if (b.min() != null) {
                    min = min == null ? b.min() : Double.valueOf(Math.max(min, b.min()));
                }
                if (b.max() != null) {
                    max = max == null ? b.max() : Double.valueOf(Math.min(max, b.max()));
                }
            } else if (c instanceof Condition.AnyOf a) {
                anyOf.add(a);
            }
        }
        if (!anyOf.isEmpty()) {
            TreeSet<Long> digits = new TreeSet<>();
            for (Object v : anyOf.get(0).values()) {
                if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
                    digitsOf(n.longValue(), digits);
                }
            }
            DigitSet.Intervals.Builder out = new DigitSet.Intervals.Builder();
            for (long d : digits) {
                long s = seed(d);
                if (conditions.stream().allMatch(c -> c.accepts(s))) {
                    out.add(d);
                }
            }
            return out.build();
        }
        // Seeds are 0 … 2³²−1: bounds past them change nothing, and clamping keeps the arithmetic below exact.
        long lo = min == null ? -1 : (long) Math.max(-1, Math.ceil(min));
        long hi = max == null ? 1L << 34 : (long) Math.min(1L << 34, Math.floor(max));
        return between(lo, hi);
    }

    /** Adds every digit whose seed is {@code seed}. */
    private void digitsOf(long seed, TreeSet<Long> into) {
        for (int o = 0; o < perSeed; o++) {
            long base = seed - o;
            if (seeds instanceof Seeds.Range r) {
                long j = base - r.start();
                if (j >= 0 && j < r.count()) {
                    into.add(j * perSeed + o);
                }
            } else {
                for (int j : listedIndex().getOrDefault(base, List.of())) {
                    into.add((long) j * perSeed + o);
                }
            }
        }
    }

    private Map<Long, List<Integer>> listedIndex() {
        Map<Long, List<Integer>> index = indexOfListed;
        if (index == null) {
            index = new HashMap<>();
            for (int j = 0; j < seeds.size(); j++) {
                index.computeIfAbsent(seeds.get(j), k -> new ArrayList<>(1)).add(j);
            }
            indexOfListed = index;
        }
        return index;
    }

    /** Digits with lo ≤ seed ≤ hi. */
    private DigitSet between(long lo, long hi) {
        if (seeds instanceof Seeds.Range r) {
            List<DigitSet.Progressions.Progression> members = new ArrayList<>();
            for (int o = 0; o < perSeed; o++) {
                // seed = start + j + o, so j in [lo - o - start, hi - o - start] ∩ [0, count)
                long j0 = Math.max(0, (lo - o - r.start()));
                long j1 = Math.min(r.count() - 1, (hi - o - r.start()));
                if (j0 <= j1) {
                    members.add(new DigitSet.Progressions.Progression(j0 * perSeed + o, perSeed, j1 - j0 + 1));
                }
            }
            return new DigitSet.Progressions(members);
        }
        DigitSet.Intervals.Builder out = new DigitSet.Intervals.Builder();
        for (int j = 0; j < seeds.size(); j++) {
            long base = seeds.get(j);
            long o0 = Math.max(0, (lo - base));
            long o1 = Math.min(perSeed - 1, (hi - base));
            for (long o = o0; o <= o1; o++) {
                out.add(j * (long) perSeed + o);
            }
        }
        return out.build();
    }
}
