package io.sweepfarm.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.sweepfarm.engine.scheduler.SamplerType;
import io.sweepfarm.engine.scheduler.SchedulerConfig;
import io.sweepfarm.engine.scheduler.Samplers;
import org.junit.jupiter.api.Test;

/**
 * The base/refiner split on SDXL's scheduler config (Euler, leading spacing, steps_offset 1), against diffusers'
 * formulas in {@code StableDiffusionXLPipeline.__call__} ({@code denoising_end}: keep timesteps ≥
 * {@code int(round(N - end·N))}) and {@code StableDiffusionXLImg2ImgPipeline.get_timesteps} ({@code denoising_start}:
 * the timesteps below the cutoff, +1 for second-order schedulers when even). Expected counts worked out by hand from
 * the schedules, which {@link io.sweepfarm.engine.scheduler.TimestepSpacingTest} checks.
 */
class HandoffTest {

    private static final SchedulerConfig SDXL = SchedulerConfig.parse("""
            {"beta_start": 0.00085, "beta_end": 0.012, "beta_schedule": "scaled_linear", "steps_offset": 1,
            "timestep_spacing": "leading"}""");

    @Test
    void tenEulerStepsSwitchAtEightTenths() {
        // timesteps [901, 801, ..., 101, 1]; cutoff round(1000 - 800) = 200
        float[] ts = Samplers.create(SamplerType.EULER, SDXL, 10, 1).timesteps();
        assertThat(Handoff.cutoffTimestep(0.8, 1000)).isEqualTo(200);
        assertThat(Handoff.baseEnd(ts, 0.8, 1000)).isEqualTo(8);
        assertThat(Handoff.refinerStart(ts, 1, 0.8, 1000)).isEqualTo(8);
    }

    @Test
    void aSecondOrderSamplerNeverHandsOverBetweenTheTwoCallsOfAStep() {
        // Heun: [901, 801, 801, ..., 101, 101, 1, 1] (19 calls); base: t >= 200 is 15 calls; refiner: 4 calls below,
        // even, so 5: it starts at index 14, the second call of timestep 201
        float[] ts = Samplers.create(SamplerType.HEUN, SDXL, 10, 1).timesteps();
        assertThat(ts).hasSize(19);
        assertThat(Handoff.baseEnd(ts, 0.8, 1000)).isEqualTo(15);
        assertThat(Handoff.refinerStart(ts, 2, 0.8, 1000)).isEqualTo(14);
        assertThat(ts[14]).isEqualTo(201f);
    }

    @Test
    void aSwitchBetweenTimestepsRoundsTheCutoff() {
        // DPM-Solver's leading spacing over n + 1 points: [901, 811, 721, 631, 541, 451, 361, 271, 181, 91];
        // 0.75 of 1000 -> cutoff 250: base keeps 901..271 (8 calls), the refiner 181 and 91
        float[] ts = Samplers.create(SamplerType.DPMPP_2M, SDXL, 10, 1).timesteps();
        assertThat(ts).containsExactly(901, 811, 721, 631, 541, 451, 361, 271, 181, 91);
        assertThat(Handoff.baseEnd(ts, 0.75, 1000)).isEqualTo(8);
        assertThat(Handoff.refinerStart(ts, 1, 0.75, 1000)).isEqualTo(8);
    }
}
