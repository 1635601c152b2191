package io.sweepfarm.engine.noise;

import java.util.Objects;

/**
 * A pure-Java copy of torch's CPU generator ({@code CPUGeneratorImpl}) after {@code torch.manual_seed(seed)}, producing
 * bit-for-bit the float32 values of {@code torch.randn} and {@code torch.rand} on an x86 AVX2 build of torch.
 *
 * <p>Algorithm (pytorch/pytorch {@code aten/src/ATen/native/cpu/DistributionTemplates.h} and friends):
 * <ul>
 *   <li>Engine: {@link Mt19937} seeded with the low 32 bits of the seed.</li>
 *   <li>Float uniforms: one 32-bit word, {@code (w & 0xFFFFFF) * 2^-24}. Double uniforms: {@code random64()}, two
 *       words, the first one the high word, {@code (r & (2^53 - 1)) * 2^-53}.</li>
 *   <li>{@code randn(n)} with {@code n < 16}: the scalar path, double Box–Muller per pair
 *       ({@code r = sqrt(-2 log1p(-u2))}, {@code theta = 2 pi u1}), returning {@code r cos(theta)} and caching
 *       {@code r sin(theta)} in the generator. The cache persists across calls (only reseeding clears it), so
 *       {@code randn(3); randn(3)} equals {@code randn(6)}; the vectorized path neither reads nor clears it.</li>
 *   <li>{@code randn(n)} with {@code n >= 16}: {@code n} float uniforms, then each full 16-block transformed by
 *       {@code normal_fill_16_AVX2} (8 cos outputs, then 8 sin outputs); if {@code n % 16 != 0} the last 16
 *       elements are refilled with 16 fresh uniforms and transformed again.</li>
 * </ul>
 *
 * <p>Allocation-free on the hot path: uniforms are written into the caller's array and transformed in place.
 * Not thread-safe: one generator belongs to one image.
 */
public final class TorchCpuGenerator implements NoiseGenerator {

    /** Tensors this small (or non-contiguous ones, which we never produce) take torch's scalar path. */
    static final int VECTOR_MIN = 16;

    private static final float FLOAT_DIVISOR = 1.0f / (1 << 24);
    private static final double DOUBLE_DIVISOR = 1.0 / (1L << 53);
    private static final long DOUBLE_MASK = (1L << 53) - 1;

    private final long initialSeed;
    private final Mt19937 engine;
    private double cachedNormal;
    private boolean hasCachedNormal;

    /**
     * The state of torch's CPU generator right after {@code torch.manual_seed(seed)}. Only the low 32 bits of
     * {@code seed} are used, so {@code 2^32 + 5} gives the stream of {@code 5}; a negative seed uses the low 32 bits
     * of its two's complement, as torch 1.13 does (newer torch documents a different mapping for negative seeds, so
     * callers should keep seeds non-negative).
     */
    public TorchCpuGenerator(long seed) {
        this.initialSeed = seed;
        this.engine = new Mt19937(seed);
    }

    /** The seed as given, like torch's {@code initial_seed()}; only its low 32 bits shape the stream. */
    public long initialSeed() {
        return initialSeed;
    }

    /** torch's {@code random()}: the next raw 32-bit word of the engine, as an unsigned value. */
    public long nextRandom32() {
        return Integer.toUnsignedLong(engine.nextInt());
    }

    /** torch's {@code random64()}: two words, the first one the high half. */
    public long nextRandom64() {
        long hi = Integer.toUnsignedLong(engine.nextInt());
        long lo = Integer.toUnsignedLong(engine.nextInt());
        return (hi << 32) | lo;
    }

    /** The next float32 uniform in [0, 1), as in {@code torch.rand}: one word, 24 bits. */
    public float nextUniformFloat() {
        return (engine.nextInt() & 0xFFFFFF) * FLOAT_DIVISOR;
    }

    /** The next float64 uniform in [0, 1): {@code random64()}, 53 bits. */
    public double nextUniformDouble() {
        return (nextRandom64() & DOUBLE_MASK) * DOUBLE_DIVISOR;
    }

    /** Fills {@code out[offset, offset + length)} like {@code torch.rand(length)} (float32). */
    public void rand(float[] out, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, out.length);
        for (int i = offset, end = offset + length; i < end; i++) {
            out[i] = nextUniformFloat();
        }
    }

    @Override
    public void randn(float[] out, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, out.length);
        if (length < VECTOR_MIN) {
            for (int i = offset, end = offset + length; i < end; i++) {
                out[i] = (float) nextScalarNormal();
            }
            return;
        }
        rand(out, offset, length);
        int end = offset + length;
        for (int i = offset; i + VECTOR_MIN <= end; i += VECTOR_MIN) {
            Avx2MathFun.normalFill16(out, i);
        }
        if (length % VECTOR_MIN != 0) {
            // torch recomputes the last 16 values from 16 fresh uniforms, overwriting finished outputs
            int tail = end - VECTOR_MIN;
            rand(out, tail, VECTOR_MIN);
            Avx2MathFun.normalFill16(out, tail);
        }
    }

    /** {@code at::normal_distribution<double>} with mean 0, std 1, sharing the generator's double-normal cache. */
    private double nextScalarNormal() {
        if (hasCachedNormal) {
            hasCachedNormal = false;
            return cachedNormal;
        }
        double u1 = nextUniformDouble();
        double u2 = nextUniformDouble();
        double r = StrictMath.sqrt(-2.0 * StrictMath.log1p(-u2));
        double theta = 2.0 * Math.PI * u1;
        cachedNormal = r * StrictMath.sin(theta);
        hasCachedNormal = true;
        return r * StrictMath.cos(theta);
    }
}
