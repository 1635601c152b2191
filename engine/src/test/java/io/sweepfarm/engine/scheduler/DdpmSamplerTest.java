package io.sweepfarm.engine.scheduler;

import static io.sweepfarm.engine.scheduler.DiffusersDummies.absMean;
import static io.sweepfarm.engine.scheduler.DiffusersDummies.absSum;
import static io.sweepfarm.engine.scheduler.DiffusersDummies.plainLoop;
import static io.sweepfarm.engine.scheduler.DiffusersDummies.torchSeed0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Ports of huggingface/diffusers {@code tests/schedulers/test_scheduler_ddpm.py} (commit 58eb52c0), expected values
 * and tolerances copied from it. The diffusers loop runs {@code reversed(range(1000))} without set_timesteps
 * (previous timestep t-1); here the run has 1000 inference steps, whose leading schedule is the same 999..0 with
 * the same previous timesteps. Noise: {@code torch.manual_seed(0)}, one randn((4,3,8,8)) per step with t &gt; 0.
 */
class DdpmSamplerTest {

    private static SchedulerConfig testConfig() {
        return SchedulerConfig.parse("""
                {"num_train_timesteps": 1000, "beta_start": 0.0001, "beta_end": 0.02, "beta_schedule": "linear",
                "variance_type": "fixed_small", "clip_sample": true}""");
    }

    private static float[] fullLoop(SchedulerConfig config) {
        return plainLoop(DdpmSampler.create(config, 1000, 4), DiffusersDummies.sample(), torchSeed0());
    }

    @Test
    void fullLoopWithoutNoiseMatchesDiffusers() {
        float[] x = fullLoop(testConfig());
        assertThat(absSum(x)).isCloseTo(258.9606, within(1e-2));
        assertThat(absMean(x)).isCloseTo(0.3372, within(1e-3));
    }

    @Test
    void fullLoopWithVPredictionMatchesDiffusers() {
        float[] x = fullLoop(testConfig().with("prediction_type", "v_prediction"));
        assertThat(absSum(x)).isCloseTo(202.0296, within(1e-2));
        assertThat(absMean(x)).isCloseTo(0.2631, within(1e-3));
    }

    @Test
    void fullLoopWithNoiseFromTimestepOneMatchesDiffusers() {
        // timesteps[998:] = [1, 0]; add_noise at t=1; one draw (at t=1)
        Sampler s = DdpmSampler.create(testConfig(), 1000, 4);
        s.setBeginIndex(998);
        float[] x = s.addNoise(DiffusersDummies.sample(), DiffusersDummies.noise());
        plainLoop(s, x, torchSeed0());
        assertThat(absSum(x)).isCloseTo(387.9466, within(1e-2));
        assertThat(absMean(x)).isCloseTo(0.5051, within(1e-3));
    }

    @Test
    void varianceMatchesDiffusers() {
        // test_variance (tolerance 1e-5); call index i holds timestep 999 - i
        DdpmSampler s = DdpmSampler.create(testConfig(), 1000, 1);
        assertThat(s.variance(999)).isCloseTo(0.0f, within(1e-5f));
        assertThat(s.variance(999 - 487)).isCloseTo(0.00979f, within(1e-5f));
        assertThat(s.variance(0)).isCloseTo(0.02f, within(1e-5f));
    }

    @Test
    void previousTimestepIsTheNextScheduleEntry() {
        DdpmSampler s = DdpmSampler.create(testConfig(), 10, 1);
        assertThat(s.timesteps()).containsExactly(900, 800, 700, 600, 500, 400, 300, 200, 100, 0);
        assertThat(s.previousTimestep(0)).isEqualTo(800);
        assertThat(s.previousTimestep(9)).isEqualTo(-1);
    }

    @Test
    void drawsNoiseOnEveryStepExceptAtTimestepZero() {
        Sampler s = DdpmSampler.create(testConfig(), 10, 4);
        AtomicInteger draws = new AtomicInteger();
        plainLoop(s, DiffusersDummies.sample(), out -> draws.incrementAndGet());
        assertThat(draws).hasValue(9);
    }

    @Test
    void customTimestepsStepToTheNextEntryAndEndAtMinusOne() {
        // test_custom_timesteps: timesteps [100, 87, 50, 1, 0]
        DdpmSampler s = DdpmSampler.withTimesteps(testConfig(), new int[] {100, 87, 50, 1, 0}, 1);
        assertThat(s.previousTimestep(0)).isEqualTo(87);
        assertThat(s.previousTimestep(1)).isEqualTo(50);
        assertThat(s.previousTimestep(2)).isEqualTo(1);
        assertThat(s.previousTimestep(3)).isEqualTo(0);
        assertThat(s.previousTimestep(4)).isEqualTo(-1);
    }

    @Test
    void customTimestepsMustDescendAndStayBelowTheTrainingLength() {
        // test_custom_timesteps_increasing_order and test_custom_timesteps_too_large
        assertThatThrownBy(() -> DdpmSampler.withTimesteps(testConfig(), new int[] {100, 87, 50, 51, 0}, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DdpmSampler.withTimesteps(testConfig(), new int[] {1000}, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
