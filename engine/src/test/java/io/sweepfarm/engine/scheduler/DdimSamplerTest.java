package io.sweepfarm.engine.scheduler;

import static io.sweepfarm.engine.scheduler.DiffusersDummies.absMean;
import static io.sweepfarm.engine.scheduler.DiffusersDummies.absSum;
import static io.sweepfarm.engine.scheduler.DiffusersDummies.plainLoop;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Ports of huggingface/diffusers {@code tests/schedulers/test_scheduler_ddim.py} (commit 58eb52c0). Expected values
 * and tolerances are copied from that file; the [COMPUTED] schedules come from Sweepfarm refdata
 * {@code diffusers-schedulers.md} A.3 (diffusers' scheduling_ddim.py run at the same commit).
 */
class DdimSamplerTest {

    private static SchedulerConfig testConfig() {
        return SchedulerConfig.parse("""
                {"num_train_timesteps": 1000, "beta_start": 0.0001, "beta_end": 0.02, "beta_schedule": "linear",
                "clip_sample": true}""");
    }

    private static float[] fullLoop(SchedulerConfig config) {
        Sampler s = DdimSampler.create(config, 10, 4);
        return plainLoop(s, DiffusersDummies.sample());
    }

    @Test
    void fullLoopWithoutNoiseMatchesDiffusers() {
        float[] x = fullLoop(testConfig());
        assertThat(absSum(x)).isCloseTo(172.0067, within(1e-2));
        assertThat(absMean(x)).isCloseTo(0.223967, within(1e-3));
    }

    @Test
    void fullLoopWithVPredictionMatchesDiffusers() {
        float[] x = fullLoop(testConfig().with("prediction_type", "v_prediction"));
        assertThat(absSum(x)).isCloseTo(52.5302, within(1e-2));
        assertThat(absMean(x)).isCloseTo(0.0684, within(1e-3));
    }

    @Test
    void fullLoopWithSetAlphaToOneMatchesDiffusers() {
        float[] x = fullLoop(testConfig().with("set_alpha_to_one", true).with("beta_start", 0.01));
        assertThat(absSum(x)).isCloseTo(149.8295, within(1e-2));
        assertThat(absMean(x)).isCloseTo(0.1951, within(1e-3));
    }

    @Test
    void fullLoopWithoutSetAlphaToOneMatchesDiffusers() {
        float[] x = fullLoop(testConfig().with("set_alpha_to_one", false).with("beta_start", 0.01));
        assertThat(absSum(x)).isCloseTo(149.0784, within(1e-2));
        assertThat(absMean(x)).isCloseTo(0.1941, within(1e-3));
    }

    @Test
    void fullLoopWithNoiseFromStepEightMatchesDiffusers() {
        Sampler s = DdimSampler.create(testConfig(), 10, 4);
        s.setBeginIndex(8 * s.order());
        float[] x = s.addNoise(DiffusersDummies.sample(), DiffusersDummies.noise());
        plainLoop(s, x);
        // the assert message in diffusers says 218.4379/0.2844; the asserted values are these
        assertThat(absSum(x)).isCloseTo(354.5418, within(1e-2));
        assertThat(absMean(x)).isCloseTo(0.4616, within(1e-3));
    }

    @Test
    void traceOfTheNoNoiseLoopMatchesTheReferenceStepByStep() {
        // refdata A.2.2 "DDIM no_noise" per-step sums [COMPUTED]
        double[] trace = {383.913052, 383.754902, 381.876598, 375.776219, 361.438349, 334.406774, 292.121691,
                236.279356, 171.998107, 172.006708};
        Sampler s = DdimSampler.create(testConfig(), 10, 4);
        float[] x = DiffusersDummies.sample();
        float[] ts = s.timesteps();
        for (int i = 0; i < ts.length; i++) {
            s.step(DiffusersDummies.model(x, ts[i]), i, x);
            assertThat(absSum(x)).as("after step %d", i).isCloseTo(trace[i], within(1e-4));
        }
        assertThat(x[1]).isCloseTo(0.0023360324557870626f, within(1e-7f));
        assertThat(x[767]).isCloseTo(0.4479341208934784f, within(1e-6f));
    }

    @Test
    void stepsOffsetShiftsLeadingTimesteps() {
        // test_steps_offset
        Sampler s = DdimSampler.create(SchedulerConfig.parse("{\"steps_offset\": 1}"), 5, 1);
        assertThat(s.timesteps()).containsExactly(801, 601, 401, 201, 1);
    }

    @Test
    void varianceMatchesDiffusers() {
        // test_variance (tolerance 1e-5)
        DdimSampler s = DdimSampler.create(testConfig(), 10, 1);
        assertThat(s.variance(0, 0)).isCloseTo(0.0f, within(1e-5f));
        assertThat(s.variance(420, 400)).isCloseTo(0.14771f, within(1e-5f));
        assertThat(s.variance(980, 960)).isCloseTo(0.32460f, within(1e-5f));
        assertThat(s.variance(487, 486)).isCloseTo(0.00979f, within(1e-5f));
        assertThat(s.variance(999, 998)).isCloseTo(0.02f, within(1e-5f));
    }

    @Test
    void spacingsGiveTheReferenceSchedules() {
        // refdata A.3 DDIM(1000 linear) set_timesteps(10) [COMPUTED]
        assertThat(DdimSampler.create(testConfig(), 10, 1).timesteps())
                .containsExactly(900, 800, 700, 600, 500, 400, 300, 200, 100, 0);
        assertThat(DdimSampler.create(testConfig().with("steps_offset", 1), 10, 1).timesteps())
                .containsExactly(901, 801, 701, 601, 501, 401, 301, 201, 101, 1);
        assertThat(DdimSampler.create(testConfig().with("timestep_spacing", "trailing").with("steps_offset", 1), 10, 1)
                .timesteps()).containsExactly(999, 899, 799, 699, 599, 499, 399, 299, 199, 99);
        assertThat(DdimSampler.create(testConfig().with("timestep_spacing", "linspace"), 10, 1).timesteps())
                .containsExactly(999, 888, 777, 666, 555, 444, 333, 222, 111, 0);
    }

    @Test
    void stableDiffusionConfigGivesLeadingTimestepsWithOffset() {
        // refdata A.3.1: DDIM leading off=1, 50 steps [COMPUTED]
        SchedulerConfig sd = SchedulerConfig.parse("""
                {"beta_start": 0.00085, "beta_end": 0.012, "beta_schedule": "scaled_linear", "steps_offset": 1}""");
        float[] ts = DdimSampler.create(sd, 50, 1).timesteps();
        assertThat(ts).hasSize(50);
        assertThat(ts[0]).isEqualTo(981f);
        assertThat(ts[1]).isEqualTo(961f);
        assertThat(ts[49]).isEqualTo(1f);
    }

    @Test
    void positiveEtaDrawsNoiseOnEveryStepAndZeroEtaNever() {
        java.util.concurrent.atomic.AtomicInteger draws = new java.util.concurrent.atomic.AtomicInteger();
        plainLoop(DdimSampler.create(testConfig(), 10, 4, 1f), DiffusersDummies.sample(),
                out -> draws.incrementAndGet());
        assertThat(draws).hasValue(10);
        plainLoop(DdimSampler.create(testConfig(), 10, 4), DiffusersDummies.sample(), StepNoise.NONE);
    }
}
