package io.sweepfarm.engine;

/**
 * Resizing of NCHW float planes as torch's {@code interpolate} does it ({@code align_corners=False}, no antialias):
 * nearest ({@code src = floor(dst · in / out)}), bilinear and bicubic (Keys' cubic convolution with
 * {@code A = -0.75}, edge pixels repeated), the source coordinate {@code (dst + 0.5) · in / out - 0.5}. Used for
 * A1111's latent upscalers and diffusers' depth-map resize.
 */
final class Resample {

    private Resample() {
    }

    /** torch {@code mode="nearest"}. */
    static float[] nearest(float[] src, int planes, int inH, int inW, int outH, int outW) {
        float[] out = new float[planes * outH * outW];
        for (int p = 0; p < planes; p++) {
            for (int y = 0; y < outH; y++) {
                int sy = Math.min((int) Math.floor(y * (double) inH / outH), inH - 1);
                for (int x = 0; x < outW; x++) {
                    int sx = Math.min((int) Math.floor(x * (double) inW / outW), inW - 1);
                    out[(p * outH + y) * outW + x] = src[(p * inH + sy) * inW + sx];
                }
            }
        }
        return out;
    }

    /** torch {@code mode="bilinear", align_corners=False}. */
    static float[] bilinear(float[] src, int planes, int inH, int inW, int outH, int outW) {
        float[] out = new float[planes * outH * outW];
        float scaleH = (float) inH / outH;
        float scaleW = (float) inW / outW;
        for (int p = 0; p < planes; p++) {
            for (int y = 0; y < outH; y++) {
                float fy = Math.max((y + 0.5f) * scaleH - 0.5f, 0f);
                int y0 = Math.min((int) fy, inH - 1);
                int y1 = Math.min(y0 + 1, inH - 1);
                float ly = fy - y0;
                for (int x = 0; x < outW; x++) {
                    float fx = Math.max((x + 0.5f) * scaleW - 0.5f, 0f);
                    int x0 = Math.min((int) fx, inW - 1);
                    int x1 = Math.min(x0 + 1, inW - 1);
                    float lx = fx - x0;
                    int base = p * inH * inW;
                    float top = (1 - lx) * src[base + y0 * inW + x0] + lx * src[base + y0 * inW + x1];
                    float bottom = (1 - lx) * src[base + y1 * inW + x0] + lx * src[base + y1 * inW + x1];
                    out[(p * outH + y) * outW + x] = (1 - ly) * top + ly * bottom;
                }
            }
        }
        return out;
    }

    /** torch {@code mode="bicubic", align_corners=False}. */
    static float[] bicubic(float[] src, int planes, int inH, int inW, int outH, int outW) {
        float[] out = new float[planes * outH * outW];
        float scaleH = (float) inH / outH;
        float scaleW = (float) inW / outW;
        float[] wy = new float[4];
        float[] wx = new float[4];
        for (int p = 0; p < planes; p++) {
            int base = p * inH * inW;
            for (int y = 0; y < outH; y++) {
                float fy = (y + 0.5f) * scaleH - 0.5f;
                int iy = (int) Math.floor(fy);
                cubicWeights(fy - iy, wy);
                for (int x = 0; x < outW; x++) {
                    float fx = (x + 0.5f) * scaleW - 0.5f;
                    int ix = (int) Math.floor(fx);
                    cubicWeights(fx - ix, wx);
                    float sum = 0;
                    for (int j = 0; j < 4; j++) {
                        int sy = Math.min(Math.max(iy - 1 + j, 0), inH - 1);
                        float row = 0;
                        for (int i = 0; i < 4; i++) {
                            int sx = Math.min(Math.max(ix - 1 + i, 0), inW - 1);
                            row += wx[i] * src[base + sy * inW + sx];
                        }
                        sum += wy[j] * row;
                    }
                    out[(p * outH + y) * outW + x] = sum;
                }
            }
        }
        return out;
    }

    private static void cubicWeights(float t, float[] w) {
        float a = -0.75f;
        w[0] = ((a * (t + 1) - 5 * a) * (t + 1) + 8 * a) * (t + 1) - 4 * a;
        w[1] = ((a + 2) * t - (a + 3)) * t * t + 1;
        float u = 1 - t;
        w[2] = ((a + 2) * u - (a + 3)) * u * u + 1;
        w[3] = ((a * (u + 1) - 5 * a) * (u + 1) + 8 * a) * (u + 1) - 4 * a;
    }

    /**
     * Lanczos-3 resampling of planes (as PIL's {@code Image.LANCZOS}, which A1111's "Lanczos" upscaler uses): separable,
     * the kernel widened by the scale when shrinking, weights normalised per output pixel.
     */
    static float[] lanczos(float[] src, int planes, int inH, int inW, int outH, int outW) {
        float[] horizontal = new float[planes * inH * outW];
        float[][] kx = kernel(inW, outW);
        int[] startX = starts(inW, outW);
        for (int p = 0; p < planes; p++) {
            for (int y = 0; y < inH; y++) {
                for (int x = 0; x < outW; x++) {
                    float s = 0;
                    for (int i = 0; i < kx[x].length; i++) {
                        s += kx[x][i] * src[(p * inH + y) * inW + startX[x] + i];
                    }
                    horizontal[(p * inH + y) * outW + x] = s;
                }
            }
        }
        float[] out = new float[planes * outH * outW];
        float[][] ky = kernel(inH, outH);
        int[] startY = starts(inH, outH);
        for (int p = 0; p < planes; p++) {
            for (int y = 0; y < outH; y++) {
                for (int x = 0; x < outW; x++) {
                    float s = 0;
                    for (int j = 0; j < ky[y].length; j++) {
                        s += ky[y][j] * horizontal[(p * inH + startY[y] + j) * outW + x];
                    }
                    out[(p * outH + y) * outW + x] = s;
                }
            }
        }
        return out;
    }

    private static final double LANCZOS_SUPPORT = 3.0;

    private static int[] starts(int in, int out) {
        double scale = (double) in / out;
        double support = LANCZOS_SUPPORT * Math.max(scale, 1.0);
        int[] s = new int[out];
        for (int o = 0; o < out; o++) {
            double center = (o + 0.5) * scale;
            s[o] = Math.max((int) Math.floor(center - support + 0.5), 0);
        }
        return s;
    }

    private static float[][] kernel(int in, int out) {
        double scale = (double) in / out;
        double filterScale = Math.max(scale, 1.0);
        double support = LANCZOS_SUPPORT * filterScale;
        float[][] k = new float[out][];
        for (int o = 0; o < out; o++) {
            double center = (o + 0.5) * scale;
            int from = Math.max((int) Math.floor(center - support + 0.5), 0);
            int to = Math.min((int) Math.floor(center + support + 0.5), in);
            double[] w = new double[to - from];
            double total = 0;
            for (int i = from; i < to; i++) {
                w[i - from] = lanczos3((i - center + 0.5) / filterScale);
                total += w[i - from];
            }
            k[o] = new float[w.length];
            for (int i = 0; i < w.length; i++) {
                k[o][i] = (float) (total == 0 ? 0 : w[i] / total);
            }
        }
        return k;
    }

    private static double lanczos3(double x) {
        if (x == 0) {
            return 1;
        }
        if (Math.abs(x) >= LANCZOS_SUPPORT) {
            return 0;
        }
        double px = Math.PI * x;
        return LANCZOS_SUPPORT * Math.sin(px) * Math.sin(px / LANCZOS_SUPPORT) / (px * px);
    }
}
