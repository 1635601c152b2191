package io.sweepfarm.engine.scheduler;

import static io.sweepfarm.engine.scheduler.DiffusersDummies.absMean;
import static io.sweepfarm.engine.scheduler.DiffusersDummies.absSum;
import static io.sweepfarm.engine.scheduler.DiffusersDummies.plainLoop;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Ports of huggingface/diffusers {@code tests/schedulers/test_scheduler_pndm.py} (commit 58eb52c0): the tests run
 * with skip_prk_steps=False (12 Runge-Kutta warm-up calls). Expected values and tolerances copied from that file;
 * schedules and traces [COMPUTED] from Sweepfarm refdata {@code diffusers-schedulers.md} A.2, A.2.2 and A.3.1.
 */
class PndmSamplerTest {

    private static SchedulerConfig testConfig() {
        return SchedulerConfig.parse("""
                {"num_train_timesteps": 1000, "beta_start": 0.0001, "beta_end": 0.02, "beta_schedule": "linear"}""");
    }

    private static float[] fullLoop(SchedulerConfig config) {
        return plainLoop(PndmSampler.create(config, 10, 4), DiffusersDummies.sample());
    }

    @Test
    void fullLoopWithoutNoiseMatchesDiffusers() {
        float[] x = fullLoop(testConfig());
        assertThat(absSum(x)).isCloseTo(198.1318, within(1e-2));
        assertThat(absMean(x)).isCloseTo(0.2580, within(1e-3));
    }

    @Test
    void fullLoopWithVPredictionMatchesDiffusers() {
        float[] x = fullLoop(testConfig().with("prediction_type", "v_prediction"));
        assertThat(absSum(x)).isCloseTo(67.3986, within(1e-2));
        assertThat(absMean(x)).isCloseTo(0.0878, within(1e-3));
    }

    @Test
    void fullLoopWithSetAlphaToOneMatchesDiffusers() {
        float[] x = fullLoop(testConfig().with("set_alpha_to_one", true).with("beta_start", 0.01));
        assertThat(absSum(x)).isCloseTo(230.0399, within(1e-2));
        assertThat(absMean(x)).isCloseTo(0.2995, within(1e-3));
    }

    @Test
    void fullLoopWithoutSetAlphaToOneMatchesDiffusers() {
        float[] x = fullLoop(testConfig().with("set_alpha_to_one", false).with("beta_start", 0.01));
        assertThat(absSum(x)).isCloseTo(186.9482, within(1e-2));
        assertThat(absMean(x)).isCloseTo(0.2434, within(1e-3));
    }

    @Test
    void traceOfTheNoNoiseLoopMatchesTheReferenceCallByCall() {
        // refdata A.2.2 "PNDM no_noise (12 PRK then 7 PLMS)" [COMPUTED]
        double[] trace = {383.692008, 383.599191, 383.812168, 383.744967, 383.769361, 383.772979, 383.591345,
                383.633211, 383.097517, 383.333260, 382.074987, 382.298651, 377.377178, 366.009763, 343.434622,
                307.497367, 257.605475, 198.131803, 198.131803};
        Sampler s = PndmSampler.create(testConfig(), 10, 4);
        float[] x = DiffusersDummies.sample();
        float[] ts = s.timesteps();
        assertThat(ts).hasSize(19);
        for (int i = 0; i < ts.length; i++) {
            s.step(DiffusersDummies.model(x, ts[i]), i, x);
            assertThat(absSum(x)).as("after call %d", i).isCloseTo(trace[i], within(1e-4));
        }
    }

    @Test
    void runsRungeKuttaCallsThenLinearMultistep() {
        // refdata A.2 PNDM [COMPUTED] prk_timesteps + plms_timesteps
        assertThat(PndmSampler.create(testConfig(), 10, 1).timesteps()).containsExactly(
                900, 850, 850, 800, 800, 750, 750, 700, 700, 650, 650, 600, 600, 500, 400, 300, 200, 100, 0);
    }

    @Test
    void stepsOffsetShiftsEveryTimestep() {
        // test_steps_offset
        assertThat(PndmSampler.create(SchedulerConfig.parse("{\"steps_offset\": 1}"), 10, 1).timesteps())
                .containsExactly(901, 851, 851, 801, 801, 751, 751, 701, 701, 651, 651, 601, 601, 501, 401, 301,
                        201, 101, 1);
    }

    @Test
    void plmsSkipsRungeKuttaAndRepeatsTheSecondTimestep() {
        // refdata A.2 PNDM [COMPUTED]: skip_prk_steps=True, set_timesteps(10)
        Sampler s = Samplers.create(SamplerType.PLMS, testConfig(), 10, 1);
        assertThat(s.timesteps()).containsExactly(900, 800, 800, 700, 600, 500, 400, 300, 200, 100, 0);
    }

    @Test
    void stableDiffusionPlmsHasFiftyOneCalls() {
        // refdata A.3.1: PNDM skip_prk_steps=True, 50 steps: [981, 961, 961, 941, 921, ..., 41, 21, 1] [COMPUTED]
        SchedulerConfig sd = SchedulerConfig.parse("""
                {"beta_start": 0.00085, "beta_end": 0.012, "beta_schedule": "scaled_linear", "steps_offset": 1,
                "skip_prk_steps": true, "set_alpha_to_one": false}""");
        float[] ts = Samplers.create(SamplerType.PLMS, sd, 50, 1).timesteps();
        assertThat(ts).hasSize(51);
        assertThat(ts[0]).isEqualTo(981f);
        assertThat(ts[1]).isEqualTo(961f);
        assertThat(ts[2]).isEqualTo(961f);
        assertThat(ts[3]).isEqualTo(941f);
        assertThat(ts[50]).isEqualTo(1f);
    }

    @Test
    void plmsLoopRunsToTheEndWithoutWarmUp() {
        Sampler s = Samplers.create(SamplerType.PLMS, testConfig(), 10, 4);
        float[] x = plainLoop(s, DiffusersDummies.sample());
        assertThat(absSum(x)).isFinite().isPositive();
    }
}
