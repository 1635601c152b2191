package io.sweepfarm.engine;

/**
 * Where SDXL's base stops and the refiner starts, as diffusers computes it: the cutoff timestep is
 * {@code round(N - switchAt · N)} ({@code N = num_train_timesteps}); the base ({@code denoising_end}) runs the calls
 * whose timestep is at least the cutoff; the refiner ({@code denoising_start}) runs the calls below it, one more for
 * a second-order sampler when their count is even (so it never starts between a step's two model calls).
 */
final class Handoff {

    private Handoff() {
    }

    static int cutoffTimestep(double switchAt, int numTrain) {
        return (int) Math.round(numTrain - switchAt * numTrain);
    }

    /** The number of calls the base makes: its run ends before this index. */
    static int baseEnd(float[] timesteps, double switchAt, int numTrain) {
        int cutoff = cutoffTimestep(switchAt, numTrain);
        int count = 0;
        for (float t : timesteps) {
            count += t >= cutoff ? 1 : 0;
        }
        return count;
    }

    /** The call index the refiner starts at. */
    static int refinerStart(float[] timesteps, int order, double switchAt, int numTrain) {
        int cutoff = cutoffTimestep(switchAt, numTrain);
        int count = 0;
        for (float t : timesteps) {
            count += t < cutoff ? 1 : 0;
        }
        if (order == 2 && count % 2 == 0) {
            count++;
        }
        return timesteps.length - count;
    }
}
