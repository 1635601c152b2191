package io.sweepfarm.engine.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Zero-tolerance checks against diffusers as run with torch 1.13.1 (float32 on an x86 CPU): training schedules,
 * inference schedules and the final latents of diffusers' scheduler-test loops, bit for bit. Every expected value is
 * [COMPUTED] in Sweepfarm refdata {@code diffusers-schedulers.md} (diffusers at commit 58eb52c0, tests in
 * {@code tests/schedulers/test_scheduler_*.py}); the section is named at each check. These hold because
 * {@link NoiseSchedule#torchLinspace} reproduces torch's vectorised float32 {@code linspace}; the diffusers ports in
 * the sampler tests keep diffusers' own tolerances.
 *
 * <p>LMS is the exception: diffusers integrates its coefficients numerically ({@code scipy.integrate.quad}), this
 * engine exactly, so its latents agree to a few ULP (checked at 4).
 */
class BitExactnessTest {

    private static final SchedulerConfig LINEAR_1000 = SchedulerConfig.parse("""
            {"num_train_timesteps": 1000, "beta_start": 0.0001, "beta_end": 0.02, "beta_schedule": "linear"}""");
    private static final SchedulerConfig LINEAR_1100 = LINEAR_1000.with("num_train_timesteps", 1100);
    private static final SchedulerConfig SD = SchedulerConfig.parse("""
            {"beta_start": 0.00085, "beta_end": 0.012, "beta_schedule": "scaled_linear", "steps_offset": 1}""");
    /** The DPM-Solver test's config (test_scheduler_dpm_multi.py). */
    private static final SchedulerConfig DPM = LINEAR_1000.with("solver_order", 2).with("lower_order_final", false)
            .with("final_sigmas_type", "sigma_min");
    /** The UniPC test's config (test_scheduler_unipc.py). */
    private static final SchedulerConfig UNIPC = LINEAR_1000.with("solver_order", 2).with("solver_type", "bh2")
            .with("final_sigmas_type", "sigma_min");

    @Test
    void trainingSchedulesAreTorchsFloat32Values() {
        // A.1 constructor defaults: alphas_cumprod of linear 0.0001..0.02 over 1000 steps
        float[] linear = NoiseSchedule.of(SchedulerConfig.empty(), 0.0001, 0.02, false).alphasCumprod();
        assertThat(new float[] {linear[0], linear[1], linear[499], linear[999]}).containsExactly(
                0.9998999834060669f, 0.9997800588607788f, 0.07858724147081375f, 4.0358307160204276e-05f);
        // A.3.1: SD 1.x scaled_linear
        float[] sd = NoiseSchedule.of(SD, 0.0001, 0.02, false).alphasCumprod();
        assertThat(new float[] {sd[0], sd[999]}).containsExactly(0.9991499781608582f, 0.0046600960195064545f);
    }

    @Test
    void torchLinspaceGivesStableDiffusionsInitialSigmaWhereAScalarFormulaIsTwoUlpOff() {
        // A.3.1 Euler, linspace, 20 steps: init_noise_sigma=14.614645004272461 (the scalar formula gives
        // 14.614646911621094, as issue 9 records)
        assertThat(Samplers.create(SamplerType.EULER, SD, 20, 1).initNoiseSigma()).isEqualTo(14.614645004272461f);
    }

    @Test
    void sigmaSchedulesOfTheEulerFamilyAreExact() {
        // A.3 LMS / Euler / EulerA (1100 linear), set_timesteps(10), linspace
        EulerSampler euler = EulerSampler.create(LINEAR_1100, 10, 1);
        assertThat(euler.initNoiseSigma()).isEqualTo(261.0555725097656f);
        assertThat(euler.timesteps()).containsExactly(1099.0f, 976.888916015625f, 854.7777709960938f,
                732.6666870117188f, 610.5555419921875f, 488.4444580078125f, 366.3333435058594f, 244.22222900390625f,
                122.11111450195312f, 0.0f);
        assertThat(euler.sigmas()).containsExactly(261.0555725097656f, 81.40567779541016f, 29.112117767333984f,
                11.912565231323242f, 5.5358195304870605f, 2.864875316619873f, 1.586817741394043f, 0.8740825057029724f,
                0.4001632332801819f, 0.010001329705119133f, 0.0f);
        // A.3 use_karras_sigmas=True
        EulerSampler karras = EulerSampler.create(LINEAR_1100.with("use_karras_sigmas", true), 10, 1);
        assertThat(karras.timesteps()).containsExactly(1099.0f, 1035.5400390625f, 961.0531616210938f,
                871.10009765625f, 757.8349609375f, 605.7828979492188f, 387.2960510253906f, 139.53793334960938f,
                23.536718368530273f, 0.0f);
        assertThat(karras.sigmas()).containsExactly(261.0555725097656f, 140.0482635498047f, 70.6954116821289f,
                33.13920974731445f, 14.1679048538208f, 5.385187149047852f, 1.752219319343567f, 0.4597695767879486f,
                0.08781188726425171f, 0.010001329705119133f, 0.0f);
    }

    @Test
    void sigmaSchedulesOfTheMultistepSolversAreExact() {
        // A.3 DPMSolverMultistep / UniPC (1000 linear, final_sigmas_type="sigma_min"), set_timesteps(10)
        float[] plain = {157.40725708007812f, 60.27141189575195f, 25.52848243713379f, 11.939519882202148f,
                6.135209560394287f, 3.442966938018799f, 2.0410871505737305f, 1.2401612997055054f, 0.7235912084579468f,
                0.34226012229919434f, 0.010001329705119133f};
        assertThat(DpmSolverMultistepSampler.create(DPM, 10, 1).sigmas()).containsExactly(plain);
        assertThat(UniPcSampler.create(UNIPC, 10, 1).sigmas()).containsExactly(plain);
        assertThat(DpmSolverMultistepSampler.create(DPM.with("use_karras_sigmas", true), 10, 1).sigmas())
                .containsExactly(157.40725708007812f, 85.71072387695312f, 44.04764175415039f, 21.105602264404297f,
                        9.274739265441895f, 3.652639865875244f, 1.246360182762146f, 0.34970611333847046f,
                        0.0739302858710289f, 0.010001329705119133f, 0.010001329705119133f);
        assertThat(DpmSolverMultistepSampler.create(DPM.with("use_lu_lambdas", true), 10, 1).sigmas())
                .containsExactly(157.40725708007812f, 53.78919982910156f, 18.380842208862305f, 6.281100749969482f,
                        2.1463773250579834f, 0.7334599494934082f, 0.2506379187107086f, 0.08564797043800354f,
                        0.02926762029528618f, 0.010001329705119133f, 0.010001329705119133f);
    }

    @Test
    void ddimVarianceIsExact() {
        // A.2 DDIM test_variance, [COMPUTED] values
        DdimSampler s = DdimSampler.create(LINEAR_1000.with("clip_sample", true), 10, 1);
        assertThat(new float[] {s.variance(420, 400), s.variance(980, 960), s.variance(487, 486),
                s.variance(999, 998)}).containsExactly(0.14771950244903564f, 0.32460522651672363f,
                0.009791660122573376f, 0.01999996416270733f);
    }

    // A.2.2 final latents of the no-noise loops: x.flatten() at [0..3], [100] and [767]

    @Test
    void ddimFinalLatentsAreDiffusersBitForBit() {
        float[] x = DiffusersDummies.plainLoop(DdimSampler.create(LINEAR_1000.with("clip_sample", true), 10, 4),
                DiffusersDummies.sample());
        assertThat(at(x)).containsExactly(0.0f, 0.0023360324557870626f, 0.004672064911574125f,
                0.007008097600191832f, 0.23360317945480347f, 0.4479341208934784f);
    }

    @Test
    void pndmFinalLatentsAreDiffusersBitForBit() {
        // 12 Runge-Kutta calls, then PLMS (skip_prk_steps=False, the test's default)
        float[] x = DiffusersDummies.plainLoop(PndmSampler.create(LINEAR_1000, 10, 4), DiffusersDummies.sample());
        assertThat(at(x)).containsExactly(0.0f, 0.002690838184207678f, 0.005381676368415356f,
                0.008072508499026299f, 0.26908379793167114f, 0.5159681439399719f);
    }

    @Test
    void eulerFinalLatentsAreDiffusersBitForBit() {
        float[] x = scaledLoop(EulerSampler.create(LINEAR_1100, 10, 4), StepNoise.NONE);
        assertThat(new float[] {x[0], x[1], x[2], x[3], x[767]}).containsExactly(0.0f, 0.00013690616469830275f,
                0.0002738123293966055f, 0.00041071855230256915f, 0.026251764968037605f);
    }

    @Test
    void eulerAncestralFinalLatentsAreDiffusersBitForBitWithTorchsNoise() {
        float[] x = scaledLoop(EulerAncestralSampler.create(LINEAR_1100, 10, 4), DiffusersDummies.torchSeed0());
        assertThat(at(x)).containsExactly(-0.31697899103164673f, 0.009924877434968948f, 0.09887846559286118f,
                -0.014748775400221348f, 0.17207805812358856f, -0.20413680374622345f);
    }

    @Test
    void dpmSolverFinalLatentsAreDiffusersBitForBit() {
        float[] x = DiffusersDummies.plainLoop(DpmSolverMultistepSampler.create(DPM, 10, 4),
                DiffusersDummies.sample());
        assertThat(at(x)).containsExactly(0.0f, 0.0034434939734637737f, 0.0068869879469275475f,
                0.010330483317375183f, 0.3443494439125061f, 0.6602900624275208f);
    }

    @Test
    void uniPcFinalLatentsAreDiffusersBitForBit() {
        float[] x = DiffusersDummies.plainLoop(UniPcSampler.create(UNIPC, 10, 4), DiffusersDummies.sample());
        assertThat(at(x)).containsExactly(0.0f, 0.00256996788084507f, 0.00513993576169014f, 0.007709902245551348f,
                0.256996750831604f, 0.4927912950515747f);
    }

    @Test
    void lmsFinalLatentsAreWithinFourUlpOfDiffusers() {
        float[] x = scaledLoop(LmsSampler.create(LINEAR_1100, 10, 4), StepNoise.NONE);
        float[] want = {0.0f, -0.013667812570929527f, -0.027335625141859055f, -0.04100343585014343f,
                -2.6208033561706543f};
        float[] got = {x[0], x[1], x[2], x[3], x[767]};
        for (int k = 0; k < want.length; k++) {
            assertThat(Math.abs(Float.floatToIntBits(got[k]) - Float.floatToIntBits(want[k]))).as("element %d", k)
                    .isLessThanOrEqualTo(4);
        }
    }

    private static float[] at(float[] x) {
        return new float[] {x[0], x[1], x[2], x[3], x[100], x[767]};
    }

    private static float[] scaledLoop(Sampler s, StepNoise noise) {
        return DiffusersDummies.scaledLoop(s, DiffusersDummies.scaled(DiffusersDummies.sample(), s.initNoiseSigma()),
                noise);
    }
}
