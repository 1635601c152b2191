package io.sweepfarm.engine.scheduler;

/**
 * The x0 post-processing a config asks for: dynamic thresholding when {@code thresholding}, else clamping when
 * {@code clip_sample}, else nothing. Immutable.
 */
record X0Clipping(boolean thresholding, double ratio, double maxValue, boolean clip, float clipRange) {

    static X0Clipping of(SchedulerConfig c, boolean clipSampleDefault) {
        return new X0Clipping(
                SchedulerConfig.or(c.thresholding(), false),
                SchedulerConfig.or(c.dynamicThresholdingRatio(), 0.995),
                SchedulerConfig.or(c.sampleMaxValue(), 1.0),
                SchedulerConfig.or(c.clipSample(), clipSampleDefault),
                SchedulerConfig.or(c.clipSampleRange(), 1.0).floatValue());
    }

    void apply(float[] x0, int batchSize) {
        if (thresholding) {
            Thresholding.dynamic(x0, batchSize, ratio, maxValue);
        } else if (clip) {
            Thresholding.clamp(x0, clipRange);
        }
    }
}
