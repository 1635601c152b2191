package io.sweepfarm.engine.scheduler;

import static io.sweepfarm.engine.scheduler.DiffusersDummies.absMean;
import static io.sweepfarm.engine.scheduler.DiffusersDummies.absSum;
import static io.sweepfarm.engine.scheduler.DiffusersDummies.scaledLoop;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Ports of huggingface/diffusers {@code tests/schedulers/test_scheduler_heun.py} (commit 58eb52c0, the CPU
 * branches), expected values and tolerances copied from it; schedules and traces [COMPUTED] from Sweepfarm refdata
 * {@code diffusers-schedulers.md} A.2.2 and A.3.
 */
class HeunSamplerTest {

    private static SchedulerConfig testConfig() {
        return SchedulerConfig.parse("""
                {"num_train_timesteps": 1100, "beta_start": 0.0001, "beta_end": 0.02, "beta_schedule": "linear"}""");
    }

    private static float[] fullLoop(SchedulerConfig config) {
        Sampler s = HeunSampler.create(config, 10, 4);
        return scaledLoop(s, DiffusersDummies.scaled(DiffusersDummies.sample(), s.initNoiseSigma()));
    }

    @Test
    void fullLoopWithoutNoiseMatchesDiffusers() {
        // test_full_loop_no_noise and test_full_loop_device
        float[] x = fullLoop(testConfig());
        assertThat(absSum(x)).isCloseTo(0.1233, within(1e-2));
        assertThat(absMean(x)).isCloseTo(0.0002, within(1e-3));
    }

    @Test
    void fullLoopWithVPredictionMatchesDiffusers() {
        float[] x = fullLoop(testConfig().with("prediction_type", "v_prediction"));
        assertThat(absSum(x)).isCloseTo(4.6934e-07, within(1e-2));
        assertThat(absMean(x)).isCloseTo(6.1112e-10, within(1e-3));
    }

    @Test
    void fullLoopWithKarrasSigmasMatchesDiffusers() {
        // test_full_loop_device_karras_sigmas (mean tolerance 1e-2)
        float[] x = fullLoop(testConfig().with("use_karras_sigmas", true));
        assertThat(absSum(x)).isCloseTo(0.00015, within(1e-2));
        assertThat(absMean(x)).isCloseTo(1.9869554535034695e-07, within(1e-2));
    }

    @Test
    void fullLoopWithNoiseFromStepEightMatchesDiffusers() {
        Sampler s = HeunSampler.create(testConfig(), 10, 4);
        s.setBeginIndex(8 * s.order());
        float[] x = s.addNoise(DiffusersDummies.scaled(DiffusersDummies.sample(), s.initNoiseSigma()),
                DiffusersDummies.noise());
        x = scaledLoop(s, x);
        assertThat(absSum(x)).isCloseTo(75074.8906, within(1e-2));
        assertThat(absMean(x)).isCloseTo(97.7538, within(1e-3));
    }

    @Test
    void traceOfTheNoNoiseLoopMatchesTheReferenceCallByCall() {
        // refdata A.2.2 "Heun no_noise (19 calls)" [COMPUTED]
        double[] trace = {68449.100974, 41412.627437, 26064.845546, 10590.680391, 5882.444887, 1466.497575,
                658.518721, 104.702390, 31.018967, 7.420651, 0.673609, 1.114829, 0.171896, 0.337201, 0.134055,
                0.164718, 0.093746, 0.123337, 0.123331};
        Sampler s = HeunSampler.create(testConfig(), 10, 4);
        float[] x = DiffusersDummies.scaled(DiffusersDummies.sample(), s.initNoiseSigma());
        float[] ts = s.timesteps();
        for (int i = 0; i < ts.length; i++) {
            x = s.scaleModelInput(x, i);
            s.step(DiffusersDummies.model(x, ts[i]), i, x);
            assertThat(absSum(x)).as("after call %d", i).isCloseTo(trace[i], within(trace[i] * 1e-5 + 1e-6));
        }
    }

    @Test
    void everyTimestepAfterTheFirstIsCalledTwice() {
        // refdata A.3 Heun (1100) 10 steps [COMPUTED]
        HeunSampler s = HeunSampler.create(testConfig(), 10, 1);
        float[] ts = s.timesteps();
        assertThat(ts).hasSize(19);
        assertThat(s.order()).isEqualTo(2);
        assertThat(ts[0]).isEqualTo(1099.0f);
        assertThat(ts[1]).isEqualTo(ts[2]).isCloseTo(976.888916015625f, within(1e-4f));
        assertThat(ts[15]).isEqualTo(ts[16]).isCloseTo(122.11111450195312f, within(1e-4f));
        assertThat(ts[17]).isEqualTo(ts[18]).isZero();
        float[] sg = s.sigmas();
        assertThat(sg).hasSize(20);
        assertThat(sg[1]).isEqualTo(sg[2]).isCloseTo(81.40567779541016f, within(1e-4f));
        assertThat(sg[17]).isEqualTo(sg[18]).isCloseTo(0.010001329705119133f, within(1e-8f));
        assertThat(sg[19]).isZero();
    }

    @Test
    void timestepLookupTakesTheSecondOccurrenceLikeDiffusers() {
        // Heun's index_for_timestep: 122.11 sits at 15 and 16; diffusers resumes at 16
        float[] ts = HeunSampler.create(testConfig(), 10, 1).timesteps();
        assertThat(Samplers.indexForTimestep(ts, ts[15])).isEqualTo(16);
        assertThat(Samplers.indexForTimestep(ts, ts[0])).isZero();
    }
}
