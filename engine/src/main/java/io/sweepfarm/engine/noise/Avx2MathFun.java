package io.sweepfarm.engine.noise;

/**
 * Scalar, bit-exact emulation of one lane of torch's {@code avx_mathfun.h} ({@code log256_ps},
 * {@code sincos256_ps}; Cephes single-precision polynomials after Julien Pommier) as compiled by GCC for AVX2,
 * including the multiply-add pairs GCC contracts into FMA instructions. Every operation is float32; the
 * {@link Math#fma(float, float, float)} calls mark exactly the contractions, the rest must stay unfused.
 */
final class Avx2MathFun {

    private static final float SQRTHF = 0.707106781186547524f;
    private static final float LOG_P0 = 7.0376836292E-2f;
    private static final float LOG_P1 = -1.1514610310E-1f;
    private static final float LOG_P2 = 1.1676998740E-1f;
    private static final float LOG_P3 = -1.2420140846E-1f;
    private static final float LOG_P4 = 1.4249322787E-1f;
    private static final float LOG_P5 = -1.6668057665E-1f;
    private static final float LOG_P6 = 2.0000714765E-1f;
    private static final float LOG_P7 = -2.4999993993E-1f;
    private static final float LOG_P8 = 3.3333331174E-1f;
    private static final float LOG_Q1 = -2.12194440e-4f;
    private static final float LOG_Q2 = 0.693359375f;

    /** {@code (float) (2 * pi)}, the constant torch broadcasts for theta. */
    private static final float TWO_PI = 6.2831855f;
    private static final float FOPI = 1.27323954473516f;
    private static final float MINUS_DP1 = -0.78515625f;
    private static final float MINUS_DP2 = -2.4187564849853515625e-4f;
    private static final float MINUS_DP3 = -3.77489497744594108e-8f;
    private static final float COS_P0 = 2.443315711809948E-005f;
    private static final float COS_P1 = -1.388731625493765E-003f;
    private static final float COS_P2 = 4.166664568298827E-002f;
    private static final float SIN_P0 = -1.9515295891E-4f;
    private static final float SIN_P1 = 8.3321608736E-3f;
    private static final float SIN_P2 = -1.6666654611E-1f;

    private Avx2MathFun() {
    }

    /** {@code log256_ps} for one lane; valid for positive, finite, normal {@code x} (here: (0, 1]). */
    static float log(float x) {
        int bits = Float.floatToRawIntBits(x);
        float e = (float) ((bits >>> 23) - 127) + 1.0f;
        float m = Float.intBitsToFloat((bits & 0x807fffff) | 0x3f000000); // mantissa with exponent of 0.5
        float v;
        if (m < SQRTHF) {
            e -= 1.0f;
            v = (m - 1.0f) + m;
        } else {
            v = (m - 1.0f) + 0.0f;
        }
        float z = v * v;
        float y = LOG_P0;
        y = Math.fma(y, v, LOG_P1);
        y = Math.fma(y, v, LOG_P2);
        y = Math.fma(y, v, LOG_P3);
        y = Math.fma(y, v, LOG_P4);
        y = Math.fma(y, v, LOG_P5);
        y = Math.fma(y, v, LOG_P6);
        y = Math.fma(y, v, LOG_P7);
        y = Math.fma(y, v, LOG_P8);
        y = y * v;
        y = Math.fma(y, z, e * LOG_Q1);
        y = y - z * 0.5f;
        return (v + y) + e * LOG_Q2;
    }

    /**
     * {@code normal_fill_16_AVX2} with mean 0 and std 1: transforms the 16 uniforms {@code d[at, at+16)} in place
     * into 16 normals, two 8-lane vectors wide: lanes 0..7 take {@code r*cos}, lanes 8..15 {@code r*sin}, where
     * {@code r = sqrt(-2 log(1 - d[at+k]))} and {@code theta = 2pi * d[at+8+k]}.
     */
    static void normalFill16(float[] d, int at) {
        for (int k = 0; k < 8; k++) {
            float u1 = 1.0f - d[at + k];
            float u2 = d[at + 8 + k];
            float radius = (float) Math.sqrt(-2.0f * log(u1)); // sqrt of a float is correctly rounded via double
            float theta = TWO_PI * u2;

            // sincos256_ps, theta >= 0 so the input sign bit is 0
            int j = (int) (theta * FOPI);
            j = (j + 1) & ~1;
            float y = (float) j;
            float x = Math.fma(y, MINUS_DP1, theta);
            x = Math.fma(y, MINUS_DP2, x);
            x = Math.fma(y, MINUS_DP3, x);
            float z = x * x;

            float c = Math.fma(Math.fma(COS_P0, z, COS_P1), z, COS_P2);
            c = c * z;
            c = Math.fma(c, z, -(z * 0.5f));
            c = c + 1.0f;

            float s = Math.fma(Math.fma(SIN_P0, z, SIN_P1), z, SIN_P2);
            s = s * z;
            s = Math.fma(s, x, x);

            boolean sinPoly = (j & 2) == 0;
            // the AVX code blends with and/andnot and then adds the zeroed other lane; "+ 0.0f" keeps that
            float sin = (sinPoly ? s : c) + 0.0f;
            float cos = (sinPoly ? c : s) + 0.0f;
            if ((j & 4) != 0) {
                sin = -sin;
            }
            if ((~(j - 2) & 4) != 0) {
                cos = -cos;
            }
            // _mm256_fmadd_ps(n, std = 1, mean = 0): exact, except that -0 becomes +0
            d[at + k] = radius * cos + 0.0f;
            d[at + 8 + k] = radius * sin + 0.0f;
        }
    }
}
