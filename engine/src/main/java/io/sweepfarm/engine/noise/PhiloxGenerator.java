package io.sweepfarm.engine.noise;

import java.util.Objects;

/**
 * AUTOMATIC1111's "NV" generator (stable-diffusion-webui {@code modules/rng_philox.py}), which imitates
 * {@code torch.randn} on an NVIDIA GPU on any device: Philox 4x32 with 10 rounds, then one Box–Muller value per
 * element.
 *
 * <p>Per draw of {@code n} values (one {@code randn(shape)} call), element {@code i} runs Philox on the counter
 * {@code (offset, 0, i, 0)} with the key {@code (seed & 0xffffffff, seed >>> 32)}; the offset counts the draws made so
 * far, so the first draw (an image's initial latents) is independent of the sizes of later ones. A round maps
 * {@code (c0, c1, c2, c3)} to {@code (hi(c2·M1) ^ c1 ^ k0, lo(c2·M1), hi(c0·M0) ^ c3 ^ k1, lo(c0·M0))} with
 * {@code M0 = 0xD2511F53}, {@code M1 = 0xCD9E8D57}, and the key grows by {@code (0x9E3779B9, 0xBB67AE85)} between
 * rounds. Of the four output words the first two feed Box–Muller, in float64 as numpy promotes a uint32 array
 * times a float32 constant: {@code u = c0·2^-32 + 2^-33}, {@code v = c1·2π·2^-32 + π·2^-32} (the constants are the
 * float32 values A1111 writes, {@code 2.3283064e-10} and {@code 2.3283064e-10·6.2831855}), and the value is
 * {@code float32(sqrt(-2 ln u)·sin v)}.
 *
 * <p>Allocation-free; not thread-safe: one generator belongs to one image.
 */
public final class PhiloxGenerator implements NoiseGenerator {

    private static final long M0 = 0xD2511F53L;
    private static final long M1 = 0xCD9E8D57L;
    private static final int W0 = 0x9E3779B9;
    private static final int W1 = 0xBB67AE85;
    private static final int ROUNDS = 10;
    private static final double TWO_POW32_INV = 2.3283064e-10f;
    private static final double TWO_POW32_INV_2PI = (float) (2.3283064e-10 * 6.2831855);

    private final int key0;
    private final int key1;
    private int offset;

    /** A generator in the state of A1111's {@code Generator(seed)}: no draw made yet. */
    public PhiloxGenerator(long seed) {
        this.key0 = (int) seed;
        this.key1 = (int) (seed >>> 32);
    }

    @Override
    public void randn(float[] out, int off, int length) {
        Objects.checkFromIndexSize(off, length, out.length);
        int draw = offset++;
        for (int i = 0; i < length; i++) {
            int c0 = draw;
            int c1 = 0;
            int c2 = i;
            int c3 = 0;
            int k0 = key0;
            int k1 = key1;
            for (int r = 0; r < ROUNDS; r++) {
                long p0 = (c0 & 0xffffffffL) * M0;
                long p1 = (c2 & 0xffffffffL) * M1;
                c0 = (int) (p1 >>> 32) ^ c1 ^ k0;
                c1 = (int) p1;
                c2 = (int) (p0 >>> 32) ^ c3 ^ k1;
                c3 = (int) p0;
                k0 += W0;
                k1 += W1;
            }
            out[off + i] = boxMuller(c0, c1);
        }
    }

    private static float boxMuller(int x, int y) {
        double u = (x & 0xffffffffL) * TWO_POW32_INV + TWO_POW32_INV / 2;
        double v = (y & 0xffffffffL) * TWO_POW32_INV_2PI + TWO_POW32_INV_2PI / 2;
        return (float) (StrictMath.sqrt(-2.0 * StrictMath.log(u)) * StrictMath.sin(v));
    }
}
