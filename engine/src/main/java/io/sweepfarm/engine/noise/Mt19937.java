package io.sweepfarm.engine.noise;

/**
 * The 32-bit Mersenne Twister MT19937 with the standard {@code init_genrand} seeding, as used by torch's CPU
 * generator ({@code aten/src/ATen/core/MT19937RNGEngine.h}). Its stream equals C++ {@code std::mt19937(seed)}.
 *
 * <p>Only the low 32 bits of the seed are used, as in torch. Not thread-safe.
 */
public final class Mt19937 {

    private static final int N = 624;
    private static final int M = 397;
    private static final int MATRIX_A = 0x9908b0df;
    private static final int UPPER_MASK = 0x80000000;
    private static final int LOWER_MASK = 0x7fffffff;

    private final int[] state = new int[N];
    private int left;
    private int next;

    /** An engine seeded with the low 32 bits of {@code seed}. */
    public Mt19937(long seed) {
        state[0] = (int) seed;
        for (int j = 1; j < N; j++) {
            int prev = state[j - 1];
            state[j] = 1812433253 * (prev ^ (prev >>> 30)) + j;
        }
        left = 1;
        next = 0;
    }

    /** The next tempered 32-bit word; read it as unsigned ({@link Integer#toUnsignedLong(int)}). */
    public int nextInt() {
        if (--left == 0) {
            twist();
        }
        int y = state[next++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y;
    }

    private void twist() {
        int[] s = state;
        int j = 0;
        for (; j < N - M; j++) {
            int y = (s[j] & UPPER_MASK) | (s[j + 1] & LOWER_MASK);
            s[j] = s[j + M] ^ (y >>> 1) ^ ((y & 1) != 0 ? MATRIX_A : 0);
        }
        for (; j < N - 1; j++) {
            int y = (s[j] & UPPER_MASK) | (s[j + 1] & LOWER_MASK);
            s[j] = s[j + (M - N)] ^ (y >>> 1) ^ ((y & 1) != 0 ? MATRIX_A : 0);
        }
        int y = (s[N - 1] & UPPER_MASK) | (s[0] & LOWER_MASK);
        s[N - 1] = s[M - 1] ^ (y >>> 1) ^ ((y & 1) != 0 ? MATRIX_A : 0);
        left = N;
        next = 0;
    }
}
