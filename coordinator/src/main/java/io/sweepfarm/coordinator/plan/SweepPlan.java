package io.sweepfarm.coordinator.plan;

import io.sweepfarm.common.api.ImageSize;
import io.sweepfarm.common.image.ImageParameters;
import io.sweepfarm.coordinator.plan.SweepSpec.Axis;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A sweep compiled from its {@link SweepSpec}: the only definition of its images. Ordinal {@code k} is a
 * mixed-radix number whose digits index the sweep's blocks, slowest first:
 *
 * <ol>
 * <li>the text block: prompts × negative prompts (or the two zipped) × Prompt S/R replacements;</li>
 * <li>one block per axis, in the order init images, strengths, sizes, samplers, steps, CFG scales — axes zipped
 * together share one block, placed where the group's first axis would be;</li>
 * <li>the seed block: seeds × images per combination (seed s gives s, s+1, …).</li>
 * </ol>
 *
 * So consecutive images differ first by seed, and a sweep without the newer axes numbers its images as before. The
 * order is part of the API (ordinals are stable) and must not change. {@link #at} is O(blocks); {@link #match}
 * turns filter conditions into an {@link OrdinalSet} by arithmetic on the spec, never by scanning images.
 * Immutable and thread-safe.
 */
public final class SweepPlan {

    private static final List<Axis> AXIS_ORDER = List.of(Axis.INIT_IMAGES, Axis.STRENGTHS, Axis.SIZES, Axis.SAMPLERS,
            Axis.STEPS, Axis.CFG_SCALES);
    private static final int MATCH_CACHE = 64;

    private final SweepSpec spec;
    private final TextBlock text;
    private final List<List<Axis>> axisBlocks = new ArrayList<>();
    private final Map<Axis, Integer> blockOf = new EnumMap<>(Axis.class);
    private final SeedBlock seeds;
    private final long[] radices;
    private final long count;
    private final Map<List<Condition>, OrdinalSet> matches = Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<List<Condition>, OrdinalSet> eldest) {
                    return size() > MATCH_CACHE;
                }
            });

    private SweepPlan(SweepSpec spec) {
        this.spec = spec;
        Set<Axis> zipped = new HashSet<>();
        boolean textZipped = false;
        List<List<Axis>> groups = new ArrayList<>();
        for (List<String> group : spec.zip()) {
            List<Axis> axes = group.stream().map(f -> Axis.of(f).orElseThrow()).toList();
            zipped.addAll(axes);
            if (axes.contains(Axis.PROMPTS)) {
                textZipped = true;
            } else {
                groups.add(axes);
            }
        }
        this.text = new TextBlock(spec.prompts(), spec.negativePrompts(), spec.promptSr(), textZipped);
        for (Axis axis : AXIS_ORDER) {
            if (!zipped.contains(axis)) {
                axisBlocks.add(List.of(axis));
            } else {
                for (List<Axis> group : groups) {
                    if (AXIS_ORDER.stream().filter(group::contains).findFirst().orElseThrow() == axis) {
                        axisBlocks.add(group);
                    }
                }
            }
        }
        for (int b = 0; b < axisBlocks.size(); b++) {
            for (Axis a : axisBlocks.get(b)) {
                blockOf.put(a, b + 1);
            }
        }
        this.seeds = new SeedBlock(spec.seeds(), spec.imagesPerCombination());
        this.radices = new long[axisBlocks.size() + 2];
        radices[0] = text.size();
        for (int b = 0; b < axisBlocks.size(); b++) {
            radices[b + 1] = axisBlocks.get(b).get(0).values(spec).size();
        }
        radices[radices.length - 1] = seeds.size();
        long c = 1;
        for (long r : radices) {
            c = Math.multiplyExact(c, r);
        }
        this.count = c;
    }

    /** Compiles a spec; {@link ArithmeticException} when its image count exceeds {@code Long.MAX_VALUE}. */
    public static SweepPlan of(SweepSpec spec) {
        return new SweepPlan(spec);
    }

    public SweepSpec spec() {
        return spec;
    }

    /** Number of images: the product of the block sizes. */
    public long count() {
        return count;
    }

    /** The parameters of image {@code ordinal}, 0 ≤ ordinal &lt; {@link #count()}; O(number of blocks). */
    public ImageParameters at(long ordinal) {
        if (ordinal < 0 || ordinal >= count) {
            throw new IndexOutOfBoundsException("ordinal " + ordinal + " outside 0.." + (count - 1));
        }
        long[] d = new long[radices.length];
        long rest = ordinal;
        for (int i = radices.length - 1; i >= 0; i--) {
            d[i] = rest % radices[i];
            rest /= radices[i];
        }
        return at(d);
    }

    private ImageParameters at(long[] d) {
        String initImage = (String) value(Axis.INIT_IMAGES, d);
        ImageSize size = (ImageSize) value(Axis.SIZES, d);
        return new ImageParameters(spec.model(), text.prompt(d[0]), text.negativePrompt(d[0]),
                (Double) value(Axis.CFG_SCALES, d), (Integer) value(Axis.STEPS, d), (String) value(Axis.SAMPLERS, d),
                seeds.seed(d[d.length - 1]), size.width(), size.height(), spec.noiseSource(), spec.promptOverflow(),
                initImage, (Double) value(Axis.STRENGTHS, d), initImage == null ? null : spec.mask());
    }

    private Object value(Axis axis, long[] d) {
        return axis.values(spec).get((int) d[blockOf.get(axis)]);
    }

    /**
     * The ordinals whose parameters pass every condition (an empty list matches every image). Each block's digits
     * are tested once per value of the block, with the other blocks at their first value; the seed block is solved
     * by arithmetic. Results are cached per plan.
     */
    public OrdinalSet match(List<Condition> conditions) {
        OrdinalSet cached = matches.get(conditions);
        if (cached != null) {
            return cached;
        }
        DigitSet[] sets = new DigitSet[radices.length];
        List<List<Condition>> byBlock = new ArrayList<>();
        for (int i = 0; i < radices.length; i++) {
            byBlock.add(new ArrayList<>());
        }
        List<Condition> constant = new ArrayList<>();
        for (Condition c : conditions) {
            int owner = owner(c.param().name());
            (owner < 0 ? constant : byBlock.get(owner)).add(c);
        }
        boolean constantsPass = constant.stream().allMatch(c -> c.test(at(new long[radices.length])));
        for (int b = 0; b < radices.length; b++) {
            List<Condition> own = byBlock.get(b);
            if (!constantsPass) {
                sets[b] = new DigitSet.Intervals(new long[0], new long[0]);
            } else if (own.isEmpty()) {
                sets[b] = DigitSet.all(radices[b]);
            } else if (b == radices.length - 1) {
                sets[b] = seeds.match(own);
            } else {
                sets[b] = enumerate(b, own);
            }
        }
        OrdinalSet set = new OrdinalSet(radices, sets);
        matches.put(List.copyOf(conditions), set);
        return set;
    }

    private DigitSet enumerate(int block, List<Condition> own) {
        DigitSet.Intervals.Builder allowed = new DigitSet.Intervals.Builder();
        long[] d = new long[radices.length];
        for (long i = 0; i < radices[block]; i++) {
            d[block] = i;
            ImageParameters p = at(d);
            if (own.stream().allMatch(c -> c.test(p))) {
                allowed.add(i);
            }
        }
        return allowed.build();
    }

    /**
     * The distinct values parameter {@code param} takes in the sweep, in sweep order, at most {@code limit} of them
     * (for grid axes and selectors): its block's values, read with the other blocks at their first value.
     */
    public List<Object> values(ImageParam param, int limit) {
        int block = owner(param.name());
        long[] d = new long[radices.length];
        Set<Object> out = new java.util.LinkedHashSet<>();
        out.add(param.get(at(d)));
        for (long i = 1; block >= 0 && i < radices[block] && out.size() < limit; i++) {
            d[block] = i;
            out.add(param.get(at(d)));
        }
        return new ArrayList<>(out);
    }

    /** The block that sets parameter {@code name}, or −1 when no block varies it (model, noise source, ...). */
    private int owner(String name) {
        if (Axis.PROMPTS.params.contains(name) || Axis.NEGATIVE_PROMPTS.params.contains(name)) {
            return 0;
        }
        if (name.equals("seed")) {
            return radices.length - 1;
        }
        for (Map.Entry<Axis, Integer> e : blockOf.entrySet()) {
            if (e.getKey().params.contains(name)) {
                return e.getValue();
            }
        }
        return -1;
    }
}
