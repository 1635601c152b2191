package io.sweepfarm.engine.scheduler;

import static io.sweepfarm.engine.scheduler.DiffusersDummies.absMean;
import static io.sweepfarm.engine.scheduler.DiffusersDummies.absSum;
import static io.sweepfarm.engine.scheduler.DiffusersDummies.scaledLoop;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Ports of huggingface/diffusers {@code tests/schedulers/test_scheduler_euler.py} (commit 58eb52c0), expected values
 * and tolerances copied from it; schedules [COMPUTED] from Sweepfarm refdata {@code diffusers-schedulers.md} A.3
 * and A.3.1 (diffusers' scheduling_euler_discrete.py at the same commit).
 */
class EulerSamplerTest {

    private static SchedulerConfig testConfig() {
        return SchedulerConfig.parse("""
                {"num_train_timesteps": 1100, "beta_start": 0.0001, "beta_end": 0.02, "beta_schedule": "linear"}""");
    }

    private static float[] fullLoop(SchedulerConfig config) {
        Sampler s = EulerSampler.create(config, 10, 4);
        return scaledLoop(s, DiffusersDummies.scaled(DiffusersDummies.sample(), s.initNoiseSigma()));
    }

    @Test
    void fullLoopWithoutNoiseMatchesDiffusers() {
        // test_full_loop_no_noise and test_full_loop_device (same numbers on CPU)
        float[] x = fullLoop(testConfig());
        assertThat(absSum(x)).isCloseTo(10.0807, within(1e-2));
        assertThat(absMean(x)).isCloseTo(0.0131, within(1e-3));
    }

    @Test
    void fullLoopWithVPredictionMatchesDiffusers() {
        float[] x = fullLoop(testConfig().with("prediction_type", "v_prediction"));
        assertThat(absSum(x)).isCloseTo(0.0002, within(1e-2));
        assertThat(absMean(x)).isCloseTo(2.2676e-06, within(1e-3));
    }

    @Test
    void fullLoopWithKarrasSigmasMatchesDiffusers() {
        // test_full_loop_device_karras_sigmas
        float[] x = fullLoop(testConfig().with("use_karras_sigmas", true));
        assertThat(absSum(x)).isCloseTo(124.52299499511719, within(1e-2));
        assertThat(absMean(x)).isCloseTo(0.16213932633399963, within(1e-3));
    }

    @Test
    void fullLoopWithNoiseFromStepEightMatchesDiffusers() {
        Sampler s = EulerSampler.create(testConfig(), 10, 4);
        s.setBeginIndex(8 * s.order());
        float[] x = s.addNoise(DiffusersDummies.scaled(DiffusersDummies.sample(), s.initNoiseSigma()),
                DiffusersDummies.noise());
        x = scaledLoop(s, x);
        assertThat(absSum(x)).isCloseTo(57062.9297, within(1e-2));
        assertThat(absMean(x)).isCloseTo(74.3007, within(1e-3));
    }

    @Test
    void traceOfTheNoNoiseLoopMatchesTheReferenceStepByStep() {
        // refdata A.2.2 "Euler no_noise" [COMPUTED]
        double[] trace = {68449.100974, 43081.430820, 23928.976533, 10745.110833, 3183.329744, 288.966505,
                44.555985, 17.713288, 10.081180, 10.080676};
        Sampler s = EulerSampler.create(testConfig(), 10, 4);
        float[] x = DiffusersDummies.scaled(DiffusersDummies.sample(), s.initNoiseSigma());
        float[] ts = s.timesteps();
        for (int i = 0; i < ts.length; i++) {
            x = s.scaleModelInput(x, i);
            s.step(DiffusersDummies.model(x, ts[i]), i, x);
            assertThat(absSum(x)).as("after step %d", i).isCloseTo(trace[i], within(trace[i] * 1e-6));
        }
    }

    @Test
    void linspaceScheduleMatchesTheReference() {
        // refdata A.3 LMS / Euler / EulerA (1100 linear), set_timesteps(10) [COMPUTED]
        EulerSampler s = EulerSampler.create(testConfig(), 10, 1);
        assertThat(s.initNoiseSigma()).isCloseTo(261.0555725097656f, within(1e-4f));
        assertThat(s.timesteps()).containsExactly(new float[] {1099.0f, 976.888916015625f, 854.7777709960938f,
                732.6666870117188f, 610.5555419921875f, 488.4444580078125f, 366.3333435058594f, 244.22222900390625f,
                122.11111450195312f, 0.0f}, within(1e-4f));
        assertThat(s.sigmas()).containsExactly(new float[] {261.0555725097656f, 81.40567779541016f,
                29.112117767333984f, 11.912565231323242f, 5.5358195304870605f, 2.864875316619873f, 1.586817741394043f,
                0.8740825057029724f, 0.4001632332801819f, 0.010001329705119133f, 0.0f}, within(2e-5f));
    }

    @Test
    void karrasScheduleMatchesTheReference() {
        // refdata A.3 LMS / Euler (1100) use_karras_sigmas=True [COMPUTED]
        EulerSampler s = EulerSampler.create(testConfig().with("use_karras_sigmas", true), 10, 1);
        assertThat(s.timesteps()).containsExactly(new float[] {1099.0f, 1035.5400390625f, 961.0531616210938f,
                871.10009765625f, 757.8349609375f, 605.7828979492188f, 387.2960510253906f, 139.53793334960938f,
                23.536718368530273f, 0.0f}, within(1e-3f));
        assertThat(s.sigmas()).containsExactly(new float[] {261.0555725097656f, 140.0482635498047f,
                70.6954116821289f, 33.13920974731445f, 14.1679048538208f, 5.385187149047852f, 1.752219319343567f,
                0.4597695767879486f, 0.08781188726425171f, 0.010001329705119133f, 0.0f}, within(2e-5f));
    }

    private static SchedulerConfig sdConfig() {
        return SchedulerConfig.parse("""
                {"beta_start": 0.00085, "beta_end": 0.012, "beta_schedule": "scaled_linear", "steps_offset": 1}""");
    }

    @Test
    void stableDiffusionConfigGivesTheReferenceLinspaceSchedule() {
        // refdata A.3.1 Euler, linspace, 20 steps [COMPUTED]
        EulerSampler s = EulerSampler.create(sdConfig(), 20, 1);
        assertThat(s.initNoiseSigma()).isCloseTo(14.614645004272461f, within(1e-5f));
        float[] ts = s.timesteps();
        assertThat(ts[1]).isCloseTo(946.421082f, within(1e-3f));
        assertThat(ts[18]).isCloseTo(52.578949f, within(1e-3f));
        float[] sg = s.sigmas();
        assertThat(sg[1]).isCloseTo(10.746849f, within(1e-5f));
        assertThat(sg[10]).isCloseTo(1.480583f, within(1e-5f));
        assertThat(sg[19]).isCloseTo(0.029168f, within(1e-6f));
        assertThat(sg[20]).isZero();
    }

    @Test
    void stableDiffusionConfigGivesTheReferenceKarrasSchedule() {
        // refdata A.3.1 Euler karras, 20 steps [COMPUTED]
        EulerSampler s = EulerSampler.create(sdConfig().with("use_karras_sigmas", true), 20, 1);
        float[] sg = s.sigmas();
        assertThat(sg[1]).isCloseTo(11.725371f, within(1e-5f));
        assertThat(sg[10]).isCloseTo(1.090791f, within(1e-5f));
        assertThat(sg[18]).isCloseTo(0.048482f, within(1e-6f));
        float[] ts = s.timesteps();
        assertThat(ts[1]).isCloseTo(961.732788f, within(1e-3f));
        assertThat(ts[9]).isCloseTo(473.748932f, within(1e-3f));
        assertThat(ts[18]).isCloseTo(1.782949f, within(1e-3f));
    }

    @Test
    void leadingSpacingScalesTheInitialNoiseBeyondTheLargestSigma() {
        // refdata A.3.1 Euler leading+offset 1, 20 steps [COMPUTED]
        EulerSampler s = EulerSampler.create(sdConfig().with("timestep_spacing", "leading"), 20, 1);
        assertThat(s.initNoiseSigma()).isCloseTo(11.073579788208008f, within(1e-5f));
        float[] ts = s.timesteps();
        assertThat(ts[0]).isEqualTo(951f);
        assertThat(ts[1]).isEqualTo(901f);
        assertThat(ts[19]).isEqualTo(1f);
    }

    @Test
    void finalSigmaMinEndsAtTheSmallestTrainingSigma() {
        EulerSampler s = EulerSampler.create(testConfig().with("final_sigmas_type", "sigma_min"), 10, 1);
        assertThat(s.sigmas()[10]).isCloseTo(0.010001329705119133f, within(1e-8f));
    }

    private static float[] loopOf(Sampler s) {
        return scaledLoop(s, DiffusersDummies.scaled(DiffusersDummies.sample(), s.initNoiseSigma()));
    }

    private static double absDiffSum(float[] a, float[] b) {
        double sum = 0;
        for (int k = 0; k < a.length; k++) {
            sum += Math.abs(a[k] - b[k]);
        }
        return sum;
    }

    @Test
    void customTimestepsReproduceTheStandardLoop() {
        // test_custom_timesteps: summed |difference| below 1e-5 for every combination
        for (String prediction : new String[] {"epsilon", "sample", "v_prediction"}) {
            for (String interpolation : new String[] {"linear", "log_linear"}) {
                for (String finalSigmas : new String[] {"sigma_min", "zero"}) {
                    SchedulerConfig c = testConfig().with("prediction_type", prediction)
                            .with("interpolation_type", interpolation).with("final_sigmas_type", finalSigmas);
                    float[] standard = loopOf(EulerSampler.create(c, 10, 4));
                    float[] timesteps = EulerSampler.create(c, 10, 4).timesteps();
                    float[] custom = loopOf(EulerSampler.withTimesteps(c, timesteps, 4));
                    assertThat(absDiffSum(standard, custom)).as("%s %s %s", prediction, interpolation, finalSigmas)
                            .isLessThan(1e-5);
                }
            }
        }
    }

    @Test
    void customSigmasReproduceTheStandardLoop() {
        // test_custom_sigmas: summed |difference| below 1e-5 for every combination
        for (String prediction : new String[] {"epsilon", "sample", "v_prediction"}) {
            for (String finalSigmas : new String[] {"sigma_min", "zero"}) {
                SchedulerConfig c = testConfig().with("prediction_type", prediction)
                        .with("final_sigmas_type", finalSigmas);
                float[] standard = loopOf(EulerSampler.create(c, 10, 4));
                float[] sigmas = EulerSampler.create(c, 10, 4).sigmas();
                float[] custom = loopOf(EulerSampler.withSigmas(c, sigmas, 4));
                assertThat(absDiffSum(standard, custom)).as("%s %s", prediction, finalSigmas).isLessThan(1e-5);
            }
        }
    }
}
