package io.sweepfarm.worker.engine.scheduler;

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

    /** The config's prediction type (default epsilon), checked to be one diffusers' samplers know. */
    static String predictionType(SchedulerConfig c) {
        String p = SchedulerConfig.or(c.predictionType(), "epsilon");
        if (!p.equals("epsilon") && !p.equals("v_prediction") && !p.equals("sample")) {
            throw new IllegalArgumentException("unsupported prediction_type: " + p);
        }
        return p;
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
