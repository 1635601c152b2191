package io.sweepfarm.engine.scheduler;

import java.util.Arrays;

/**
 * Clipping of the predicted x0: plain clamping ({@code clip_sample}) and Imagen's dynamic thresholding (per image,
 * s = quantile(|x0|, ratio) clamped to [1, max], then clamp to [-s, s] and divide by s), as diffusers'
 * {@code _threshold_sample} with {@code torch.quantile}'s linear interpolation.
 */
final class Thresholding {

    private Thresholding() {
    }

    static void clamp(float[] x, float range) {
        for (int k = 0; k < x.length; k++) {
            x[k] = Math.max(-range, Math.min(range, x[k]));
        }
    }

    /** Thresholds {@code x} in place, image by image. */
    static void dynamic(float[] x, int batchSize, double ratio, double maxValue) {
        int per = x.length / batchSize;
        float[] abs = new float[per];
        for (int b = 0; b < batchSize; b++) {
            int off = b * per;
            for (int k = 0; k < per; k++) {
                abs[k] = Math.abs(x[off + k]);
            }
            Arrays.sort(abs);
            // torch.clamp(s, min=1, max=max): the max wins when max < 1
            float s = Math.min((float) maxValue, Math.max(1f, quantile(abs, ratio)));
            for (int k = 0; k < per; k++) {
                x[off + k] = Math.max(-s, Math.min(s, x[off + k])) / s;
            }
        }
    }

    /** torch.quantile(linear) of sorted values. */
    private static float quantile(float[] sorted, double q) {
        double rank = q * (sorted.length - 1);
        int lo = (int) Math.floor(rank);
        int hi = Math.min(lo + 1, sorted.length - 1);
        float w = (float) (rank - lo);
        float a = sorted[lo];
        float b = sorted[hi];
        return w < 0.5f ? a + w * (b - a) : b - (b - a) * (1f - w);
    }
}
