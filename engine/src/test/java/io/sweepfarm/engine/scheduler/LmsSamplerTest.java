package io.sweepfarm.engine.scheduler;

import static io.sweepfarm.engine.scheduler.DiffusersDummies.absMean;
import static io.sweepfarm.engine.scheduler.DiffusersDummies.absSum;
import static io.sweepfarm.engine.scheduler.DiffusersDummies.scaledLoop;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Ports of huggingface/diffusers {@code tests/schedulers/test_scheduler_lms.py} (commit 58eb52c0), expected values
 * and tolerances copied from it; traces [COMPUTED] from Sweepfarm refdata {@code diffusers-schedulers.md} A.2.2.
 */
class LmsSamplerTest {

    private static SchedulerConfig testConfig() {
        return SchedulerConfig.parse("""
                {"num_train_timesteps": 1100, "beta_start": 0.0001, "beta_end": 0.02, "beta_schedule": "linear"}""");
    }

    private static float[] fullLoop(SchedulerConfig config) {
        Sampler s = LmsSampler.create(config, 10, 4);
        return scaledLoop(s, DiffusersDummies.scaled(DiffusersDummies.sample(), s.initNoiseSigma()));
    }

    @Test
    void fullLoopWithoutNoiseMatchesDiffusers() {
        // test_full_loop_no_noise and test_full_loop_device
        float[] x = fullLoop(testConfig());
        assertThat(absSum(x)).isCloseTo(1006.388, within(1e-2));
        assertThat(absMean(x)).isCloseTo(1.31, within(1e-3));
    }

    @Test
    void fullLoopWithVPredictionMatchesDiffusers() {
        float[] x = fullLoop(testConfig().with("prediction_type", "v_prediction"));
        assertThat(absSum(x)).isCloseTo(0.0017, within(1e-2));
        assertThat(absMean(x)).isCloseTo(2.2676e-06, within(1e-3));
    }

    @Test
    void fullLoopWithKarrasSigmasMatchesDiffusers() {
        // test_full_loop_device_karras_sigmas (sum tolerance 2e-2)
        float[] x = fullLoop(testConfig().with("use_karras_sigmas", true));
        assertThat(absSum(x)).isCloseTo(3812.9927, within(2e-2));
        assertThat(absMean(x)).isCloseTo(4.9648, within(1e-3));
    }

    @Test
    void fullLoopWithNoiseFromStepEightMatchesDiffusers() {
        Sampler s = LmsSampler.create(testConfig(), 10, 4);
        s.setBeginIndex(8 * s.order());
        float[] x = s.addNoise(DiffusersDummies.scaled(DiffusersDummies.sample(), s.initNoiseSigma()),
                DiffusersDummies.noise());
        x = scaledLoop(s, x);
        assertThat(absSum(x)).isCloseTo(27663.6895, within(1e-2));
        assertThat(absMean(x)).isCloseTo(36.0204, within(1e-3));
    }

    @Test
    void traceOfTheNoNoiseLoopMatchesTheReferenceStepByStep() {
        // refdata A.2.2 "LMS no_noise" [COMPUTED]
        double[] trace = {68449.100974, 52390.125965, 38882.962716, 26251.591206, 14774.476211, 6427.566441,
                2374.379984, 1217.559775, 1007.027241, 1006.388565};
        Sampler s = LmsSampler.create(testConfig(), 10, 4);
        float[] x = DiffusersDummies.scaled(DiffusersDummies.sample(), s.initNoiseSigma());
        float[] ts = s.timesteps();
        for (int i = 0; i < ts.length; i++) {
            x = s.scaleModelInput(x, i);
            s.step(DiffusersDummies.model(x, ts[i]), i, x);
            assertThat(absSum(x)).as("after step %d", i).isCloseTo(trace[i], within(trace[i] * 1e-5));
        }
    }

    @Test
    void firstCoefficientIsTheStepWidthInSigma() {
        // order 1: the Lagrange basis is the constant 1, so the integral is sigma_1 - sigma_0
        LmsSampler s = LmsSampler.create(testConfig(), 10, 1);
        float[] sg = s.sigmas();
        assertThat(s.coefficient(1, 0, 0)).isCloseTo((double) sg[1] - sg[0], within(1e-9));
    }
}
