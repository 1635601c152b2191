package io.sweepfarm.engine.scheduler;

/**
 * The bookkeeping every sampler shares: batch size, the begin index (img2img) and the check that steps come in
 * order. Subclasses hold the schedule and the maths.
 */
abstract class RunState implements Sampler {

    private final int callCount;
    private final int batchSize;
    private int beginIndex;
    private int nextIndex = -1;

    RunState(int callCount, int batchSize) {
        this.callCount = callCount;
        this.batchSize = batchSize;
    }

    @Override
    public int order() {
        return 1;
    }

    @Override
    public int batchSize() {
        return batchSize;
    }

    @Override
    public void setBeginIndex(int index) {
        if (nextIndex >= 0) {
            throw new IllegalStateException("the begin index must be set before the first step");
        }
        if (index < 0 || index >= callCount) {
            throw new IllegalArgumentException("begin index " + index + " outside 0.." + (callCount - 1));
        }
        beginIndex = index;
    }

    @Override
    public int beginIndex() {
        return beginIndex;
    }

    /** Integer training timesteps as the float model-call timesteps {@link Sampler#timesteps()} returns. */
    static float[] asFloats(int[] timesteps) {
        float[] out = new float[timesteps.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = timesteps[i];
        }
        return out;
    }

    /** The config's prediction type (default epsilon), checked to be one diffusers' samplers know. */
    static String predictionType(SchedulerConfig c) {
        String p = SchedulerConfig.or(c.predictionType(), "epsilon");
        if (!p.equals("epsilon") && !p.equals("v_prediction") && !p.equals("sample")) {
            throw new IllegalArgumentException("unsupported prediction_type: " + p);
        }
        return p;
    }

    /**
     * The denoised sample x0 from a model output, for a noisy sample {@code x = a·x0 + s·noise} (alpha-based samplers:
     * {@code a = sqrt(ᾱ)}, {@code s = sqrt(1 − ᾱ)}; sigma-based ones: {@code a = 1/sqrt(σ²+1)}, {@code s = σ·a}).
     * Returns a new array.
     */
    static float[] predictX0(String predictionType, float[] model, float[] sample, float a, float s) {
        float[] x0 = new float[sample.length];
        switch (predictionType) {
            case "epsilon" -> {
                for (int k = 0; k < x0.length; k++) {
                    x0[k] = (sample[k] - s * model[k]) / a;
                }
            }
            case "v_prediction" -> {
                for (int k = 0; k < x0.length; k++) {
                    x0[k] = a * sample[k] - s * model[k];
                }
            }
            case "sample" -> System.arraycopy(model, 0, x0, 0, x0.length);
            default -> throw new IllegalArgumentException("unsupported prediction_type: " + predictionType);
        }
        return x0;
    }

    /** Checks that call {@code i} is the next one of the run and records it. */
    protected final void advance(int i) {
        int expected = nextIndex < 0 ? beginIndex : nextIndex;
        if (i != expected) {
            throw new IllegalStateException("step " + i + " called, expected step " + expected);
        }
        nextIndex = i + 1;
    }
}
