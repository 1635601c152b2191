package io.sweepfarm.coordinator.sweep;

/**
 * The cartesian product of a sweep's axes in a fixed order, addressable by ordinal without materialising it.
 *
 * <p>Ordinal {@code k} is read as a mixed-radix number whose digits index the axes in the order of
 * {@link SweepSpec#radices()}: prompts (slowest), negative prompts, init images, strengths, samplers, steps, CFG
 * scales, seeds (fastest). So consecutive images differ first by seed, which keeps a "same prompt, many seeds" grid
 * together in sweep order. The order is part of the API (ordinals are stable), so it must not change.
 */
public final class SweepExpander {

    private final SweepSpec spec;
    private final long[] radices;
    private final long count;

    public SweepExpander(SweepSpec spec) {
        this.spec = spec;
        this.radices = spec.radices();
        this.count = spec.imageCount();
    }

    public long count() {
        return count;
    }

    /** The parameters of image {@code ordinal}, 0 ≤ ordinal &lt; {@link #count()}; O(number of axes). */
    public ImageParams at(long ordinal) {
        if (ordinal < 0 || ordinal >= count) {
            throw new IndexOutOfBoundsException("ordinal " + ordinal + " outside 0.." + (count - 1));
        }
        int[] digit = new int[radices.length];
        long rest = ordinal;
        for (int axis = radices.length - 1; axis >= 0; axis--) {
            digit[axis] = (int) (rest % radices[axis]);
            rest /= radices[axis];
        }
        return new ImageParams(ordinal,
                spec.prompts().get(digit[0]),
                spec.negativePrompts().get(digit[1]),
                spec.initImages().get(digit[2]),
                spec.strengths().get(digit[3]),
                spec.samplers().get(digit[4]),
                spec.steps().get(digit[5]),
                spec.cfgScales().get(digit[6]),
                spec.seeds().get(digit[7]),
                spec.width(), spec.height(), spec.noiseSource(), spec.promptOverflow(), spec.mask());
    }

    /** The parameters of one image of a sweep. {@code initImage}, {@code strength} and {@code mask} may be null. */
    public record ImageParams(long ordinal, String prompt, String negativePrompt, String initImage, Double strength,
            String sampler, int steps, double cfgScale, long seed, int width, int height, String noiseSource,
            String promptOverflow, String mask) {
    }
}
