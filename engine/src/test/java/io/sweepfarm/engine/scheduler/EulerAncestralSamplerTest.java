package io.sweepfarm.engine.scheduler;

import static io.sweepfarm.engine.scheduler.DiffusersDummies.absMean;
import static io.sweepfarm.engine.scheduler.DiffusersDummies.absSum;
import static io.sweepfarm.engine.scheduler.DiffusersDummies.scaledLoop;
import static io.sweepfarm.engine.scheduler.DiffusersDummies.torchSeed0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Ports of huggingface/diffusers {@code tests/schedulers/test_scheduler_euler_ancestral.py} (commit 58eb52c0),
 * expected values and tolerances copied from it. Noise: {@code torch.manual_seed(0)} then one
 * {@code torch.randn((4,3,8,8))} per step, reproduced by TorchCpuNoise.
 */
class EulerAncestralSamplerTest {

    private static SchedulerConfig testConfig() {
        return SchedulerConfig.parse("""
                {"num_train_timesteps": 1100, "beta_start": 0.0001, "beta_end": 0.02, "beta_schedule": "linear"}""");
    }

    private static float[] fullLoop(SchedulerConfig config) {
        Sampler s = EulerAncestralSampler.create(config, 10, 4);
        return scaledLoop(s, DiffusersDummies.scaled(DiffusersDummies.sample(), s.initNoiseSigma()), torchSeed0());
    }

    @Test
    void fullLoopWithoutNoiseMatchesDiffusers() {
        // test_full_loop_no_noise and test_full_loop_device
        float[] x = fullLoop(testConfig());
        assertThat(absSum(x)).isCloseTo(152.3192, within(1e-2));
        assertThat(absMean(x)).isCloseTo(0.1983, within(1e-3));
    }

    @Test
    void fullLoopWithVPredictionMatchesDiffusers() {
        float[] x = fullLoop(testConfig().with("prediction_type", "v_prediction"));
        assertThat(absSum(x)).isCloseTo(108.4439, within(1e-2));
        assertThat(absMean(x)).isCloseTo(0.1412, within(1e-3));
    }

    @Test
    void fullLoopWithNoiseFromStepEightMatchesDiffusers() {
        Sampler s = EulerAncestralSampler.create(testConfig(), 10, 4);
        s.setBeginIndex(8 * s.order());
        float[] x = s.addNoise(DiffusersDummies.scaled(DiffusersDummies.sample(), s.initNoiseSigma()),
                DiffusersDummies.noise());
        x = scaledLoop(s, x, torchSeed0());
        assertThat(absSum(x)).isCloseTo(56163.0508, within(1e-2));
        assertThat(absMean(x)).isCloseTo(73.1290, within(1e-3));
    }

    @Test
    void drawsNoiseOnEveryStepIncludingTheLast() {
        Sampler s = EulerAncestralSampler.create(testConfig(), 10, 4);
        AtomicInteger draws = new AtomicInteger();
        scaledLoop(s, DiffusersDummies.sample(), out -> draws.incrementAndGet());
        assertThat(draws).hasValue(10);
    }
}
