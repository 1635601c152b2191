package io.sweepfarm.coordinator.plan;

import io.sweepfarm.common.api.ControlNetAxis;
import io.sweepfarm.common.api.HiresAxes;
import io.sweepfarm.common.api.ImageSize;
import io.sweepfarm.common.image.ControlNetUse;
import io.sweepfarm.common.image.ImageParameters;
import io.sweepfarm.common.image.LoraWeight;
import io.sweepfarm.coordinator.plan.SweepSpec.Axis;
import io.sweepfarm.coordinator.problem.ProblemException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A sweep compiled from its {@link SweepSpec}: the only definition of its images. Ordinal {@code k} is a
 * mixed-radix number whose digits index the sweep's blocks, slowest first:
 *
 * <ol>
 * <li>one block per LoRA ({@code loras[i]}: its scales), so that the model variants a LoRA set needs are built once
 * per variant, not once per image;</li>
 * <li>the text block: prompts × negative prompts (or the two zipped) × Prompt S/R replacements;</li>
 * <li>one block per axis, in the order init images, depth maps, strengths, sizes, samplers, steps, hires scales,
 * hires strengths, refiner switch, then per ControlNet its scales, guidance starts and guidance ends, and last CFG
 * scales ({@link SweepSpec#axisFields}) — axes zipped together share one block, placed where the group's first axis
 * would be;</li>
 * <li>the seed block: seeds × images per combination (seed s gives s, s+1, …).</li>
 * </ol>
 *
 * So consecutive images differ first by seed, then by CFG scale (images that can share a batched U-Net call), and
 * an absent axis is a block of one value: a sweep without the newer axes numbers its images as before. The order is
 * part of the API (ordinals are stable) and must not change. {@link #at} is O(axes); {@link #match} turns filter
 * conditions into an {@link OrdinalSet} by arithmetic on the spec, never by scanning images. Immutable and
 * thread-safe.
 */
public final class SweepPlan {

    private static final int MATCH_CACHE = 64;
    /**
     * Most digit combinations {@link #match} tests for conditions on a parameter that several blocks set (the
     * LoRAs, the ControlNets): those blocks are tested together.
     */
    static final long MAX_JOINT_DIGITS = 1_000_000;

    private final SweepSpec spec;
    private final TextBlock text;
    private final List<Axis> axes;
    /** Per block, the indices in {@link #axes} of the axes it sets (none for the text and seed blocks). */
    private final List<int[]> blocks = new ArrayList<>();
    private final int textBlock;
    private final int seedBlock;
    /** Per parameter name, the blocks that set it; a parameter no block sets is the same in every image. */
    private final Map<String, int[]> owners = new HashMap<>();
    private final SeedBlock seeds;
    private final long[] radices;
    private final long count;
    private final int initImages;
    private final int depthMaps;
    private final int strengths;
    private final int sizes;
    private final int samplers;
    private final int steps;
    private final int hiresScales;
    private final int hiresStrengths;
    private final int refinerSwitchAt;
    private final int cfgScales;
    private final int[] loras;
    private final int[][] controlnets;
    /** The first image's parameters, computed on first use (a benign race: every thread computes the same). */
    private volatile ImageParameters origin;
    private final Map<List<Condition>, OrdinalSet> matches = Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<List<Condition>, OrdinalSet> eldest) {
                    return size() > MATCH_CACHE;
                }
            });

    private SweepPlan(SweepSpec spec) {
        this.spec = spec;
        this.axes = spec.axes();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < axes.size(); i++) {
            index.put(axes.get(i).field(), i);
        }
        Set<String> zipped = new HashSet<>();
        boolean textZipped = false;
        List<List<String>> groups = new ArrayList<>();
        for (List<String> group : spec.zip()) {
            if (group.stream().anyMatch(SweepSpec.TEXT_AXES::contains)) {
                textZipped = true;
            } else {
                zipped.addAll(group);
                groups.add(group);
            }
        }
        this.text = new TextBlock(spec.prompts(), spec.negativePrompts(), spec.promptSr(), textZipped);
        int textAt = -1;
        for (int i = 0; i < axes.size(); i++) {
            Axis a = axes.get(i);
            if (!a.outer() && textAt < 0) {
                textAt = blocks.size();
                blocks.add(new int[0]);
            }
            if (!zipped.contains(a.field())) {
                blocks.add(new int[] {i});
                continue;
            }
            for (List<String> group : groups) {
                int[] members = group.stream().mapToInt(index::get).sorted().toArray();
                if (members[0] == i) {
                    blocks.add(members);
                }
            }
        }
        this.textBlock = textAt;
        this.seedBlock = blocks.size();
        blocks.add(new int[0]);
        this.seeds = new SeedBlock(spec.seeds(), spec.imagesPerCombination());
        this.radices = new long[blocks.size()];
        Map<String, List<Integer>> setBy = new HashMap<>();
        for (int b = 0; b < blocks.size(); b++) {
            radices[b] = b == textBlock ? text.size() : b == seedBlock ? seeds.size()
                    : axes.get(blocks.get(b)[0]).values().size();
            for (int a : blocks.get(b)) {
                for (String param : axes.get(a).params()) {
                    setBy.computeIfAbsent(param, k -> new ArrayList<>()).add(b);
                }
            }
        }
        setBy.put("prompt", List.of(textBlock));
        setBy.put("negative_prompt", List.of(textBlock));
        setBy.put("seed", List.of(seedBlock));
        setBy.forEach((param, bs) -> owners.put(param, bs.stream().mapToInt(Integer::intValue).distinct().toArray()));
        long c = 1;
        for (long r : radices) {
            c = Math.multiplyExact(c, r);
        }
        this.count = c;
        this.initImages = index.get("init_images");
        this.depthMaps = index.get("depth_maps");
        this.strengths = index.get("strengths");
        this.sizes = index.get("sizes");
        this.samplers = index.get("samplers");
        this.steps = index.get("steps");
        this.hiresScales = index.getOrDefault("hires.scales", -1);
        this.hiresStrengths = index.getOrDefault("hires.strengths", -1);
        this.refinerSwitchAt = index.get("refiner_switch_at");
        this.cfgScales = index.get("cfg_scales");
        this.loras = new int[spec.loras().size()];
        for (int i = 0; i < loras.length; i++) {
            loras[i] = index.get("loras[" + i + "]");
        }
        this.controlnets = new int[spec.controlnets().size()][];
        for (int i = 0; i < controlnets.length; i++) {
            String unit = "controlnets[" + i + "].";
            controlnets[i] = new int[] {index.get(unit + "scales"), index.get(unit + "guidance_start"),
                index.get(unit + "guidance_end")};
        }
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

    /** The lowest and the highest seed of the sweep's images: {lo, hi}. */
    public long[] seedBounds() {
        return seeds.bounds();
    }

    /** The parameters of image {@code ordinal}, 0 ≤ ordinal &lt; {@link #count()}; O(number of axes). */
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
        Object[] v = new Object[axes.size()];
        for (int b = 0; b < blocks.size(); b++) {
            for (int a : blocks.get(b)) {
                v[a] = axes.get(a).values().get((int) d[b]);
            }
        }
        String initImage = (String) v[initImages];
        ImageSize size = (ImageSize) v[sizes];
        List<LoraWeight> appliedLoras = new ArrayList<>(loras.length);
        for (int i = 0; i < loras.length; i++) {
            double scale = (Double) v[loras[i]];
            if (scale != 0) {
                appliedLoras.add(new LoraWeight(spec.loras().get(i).name(), scale));
            }
        }
        List<ControlNetUse> units = new ArrayList<>(controlnets.length);
        for (int i = 0; i < controlnets.length; i++) {
            ControlNetAxis c = spec.controlnets().get(i);
            int[] a = controlnets[i];
            units.add(new ControlNetUse(c.model(), c.image(), (Double) v[a[0]], (Double) v[a[1]], (Double) v[a[2]]));
        }
        HiresAxes hires = spec.hires();
        return new ImageParameters(spec.model(), text.prompt(d[textBlock]), text.negativePrompt(d[textBlock]),
                (Double) v[cfgScales], (Integer) v[steps], (String) v[samplers], seeds.seed(d[seedBlock]),
                size.width(), size.height(), spec.noiseSource(), spec.promptOverflow(), initImage,
                (Double) v[strengths], initImage == null ? null : spec.mask(), (String) v[depthMaps], appliedLoras,
                units, hires == null ? null : (Double) v[hiresScales],
                hires == null ? null : (Double) v[hiresStrengths], hires == null ? null : hires.upscaler(),
                hires == null ? null : hires.steps(), (Double) v[refinerSwitchAt]);
    }

    /**
     * The ordinals whose parameters pass every condition (an empty list matches every image). Each block's digits
     * are tested once per value of the block, with the other blocks at their first value; a parameter that several
     * blocks set (the LoRAs, the ControlNets) is tested on the joint values of the blocks between the first and the
     * last of them (at most {@link #MAX_JOINT_DIGITS}, else a 422 naming the parameter); the seed block is solved by
     * arithmetic. Results are cached per plan.
     */
    public OrdinalSet match(List<Condition> conditions) {
        OrdinalSet cached = matches.get(conditions);
        if (cached != null) {
            return cached;
        }
        int n = radices.length;
        // Conditions on what no axis sets (the model, the noise source...) hold for every image or for none: tested
        // once, on the first image. A query across sweeps tries every sweep of the model, most of which match
        // nothing, so a sweep that fails here or whose seeds miss the filter's costs no more than that test.
        for (Condition c : conditions) {
            int[] own = owners.get(c.param().name());
            if (own == null ? !c.test(origin()) : own.length == 1 && own[0] == seedBlock
                    && seeds.match(List.of(c)).count() == 0) {
                return remember(conditions, new OrdinalSet(new long[] {count},
                        new DigitSet[] {new DigitSet.Intervals(new long[0], new long[0])}));
            }
        }
        int[] reach = new int[n];
        for (int b = 0; b < n; b++) {
            reach[b] = b;
        }
        for (Condition c : conditions) {
            int[] own = owners.get(c.param().name());
            if (own != null) {
                int lo = own[0];
                int hi = own[0];
                for (int b : own) {
                    lo = Math.min(lo, b);
                    hi = Math.max(hi, b);
                }
                reach[lo] = Math.max(reach[lo], hi);
            }
        }
        // Segments: runs of blocks tested together (a single block unless a condition spans several).
        List<int[]> segments = new ArrayList<>();
        int[] segmentOf = new int[n];
        for (int start = 0; start < n;) {
            int end = reach[start];
            for (int j = start; j <= end; j++) {
                end = Math.max(end, reach[j]);
            }
            for (int j = start; j <= end; j++) {
                segmentOf[j] = segments.size();
            }
            segments.add(new int[] {start, end});
            start = end + 1;
        }
        List<List<Condition>> bySegment = new ArrayList<>();
        segments.forEach(s -> bySegment.add(new ArrayList<>()));
        for (Condition c : conditions) {
            int[] own = owners.get(c.param().name());
            if (own != null) {
                bySegment.get(segmentOf[own[0]]).add(c);
            }
        }
        long[] segmentRadices = new long[segments.size()];
        DigitSet[] sets = new DigitSet[segments.size()];
        for (int s = 0; s < segments.size(); s++) {
            int[] seg = segments.get(s);
            segmentRadices[s] = 1;
            for (int b = seg[0]; b <= seg[1]; b++) {
                segmentRadices[s] = Math.multiplyExact(segmentRadices[s], radices[b]);
            }
            List<Condition> own = bySegment.get(s);
            if (own.isEmpty()) {
                sets[s] = DigitSet.all(segmentRadices[s]);
            } else if (seg[0] == seedBlock && seg[1] == seedBlock) {
                sets[s] = seeds.match(own);
            } else {
                sets[s] = enumerate(seg[0], seg[1], segmentRadices[s], own);
            }
        }
        return remember(conditions, new OrdinalSet(segmentRadices, sets));
    }

    private OrdinalSet remember(List<Condition> conditions, OrdinalSet set) {
        matches.put(List.copyOf(conditions), set);
        return set;
    }

    /** The parameters of the first image (ordinal 0), on which conditions no axis sets are tested. */
    private ImageParameters origin() {
        ImageParameters o = origin;
        if (o == null) {
            o = at(new long[radices.length]);
            origin = o;
        }
        return o;
    }

    /** The joint digits of blocks {@code first..last} (radix {@code size}) whose images pass {@code own}. */
    private DigitSet enumerate(int first, int last, long size, List<Condition> own) {
        if (last == seedBlock || size > MAX_JOINT_DIGITS) {
            String param = own.get(0).param().name();
            throw new ProblemException.Invalid(param, "a filter on " + param + " must test " + size + " combinations"
                    + " of this sweep's axes; at most " + MAX_JOINT_DIGITS + " are tested: filter on fewer values");
        }
        DigitSet.Intervals.Builder allowed = new DigitSet.Intervals.Builder();
        long[] d = new long[radices.length];
        for (long i = 0; i < size; i++) {
            long rest = i;
            for (int b = last; b >= first; b--) {
                d[b] = rest % radices[b];
                rest /= radices[b];
            }
            ImageParameters p = at(d);
            if (own.stream().allMatch(c -> c.test(p))) {
                allowed.add(i);
            }
        }
        return allowed.build();
    }

    /**
     * The distinct values parameter {@code param} takes in the sweep, in sweep order, at most {@code limit} of them
     * (for grid axes and selectors): the joint values of the blocks that set it (at most {@link #MAX_JOINT_DIGITS}
     * combinations read), with the other blocks at their first value.
     */
    public List<Object> values(ImageParam param, int limit) {
        int[] own = owners.getOrDefault(param.name(), new int[0]);
        long combinations = 1;
        for (int b : own) {
            combinations = Math.multiplyExact(combinations, radices[b]);
        }
        long[] d = new long[radices.length];
        Set<Object> out = new LinkedHashSet<>();
        for (long i = 0; i < Math.min(combinations, MAX_JOINT_DIGITS) && out.size() < limit; i++) {
            long rest = i;
            for (int j = own.length - 1; j >= 0; j--) {
                d[own[j]] = rest % radices[own[j]];
                rest /= radices[own[j]];
            }
            out.add(param.get(at(d)));
        }
        return new ArrayList<>(out);
    }
}
