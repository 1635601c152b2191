package io.sweepfarm.engine.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Training schedules against the float32 values torch stores, [COMPUTED] in Sweepfarm refdata
 * {@code diffusers-schedulers.md} A.1 and A.3.1 (diffusers' schedulers, torch 1.13.1).
 */
class NoiseScheduleTest {

    @Test
    void linearScheduleMatchesTorchCumprod() {
        float[] ac = NoiseSchedule.of(SchedulerConfig.empty(), 0.0001, 0.02, false).alphasCumprod();
        assertThat(ac[0]).isCloseTo(0.9998999834060669f, within(1e-7f));
        assertThat(ac[1]).isCloseTo(0.9997800588607788f, within(1e-7f));
        assertThat(ac[499]).isCloseTo(0.07858724147081375f, within(1e-7f));
        assertThat(ac[999]).isCloseTo(4.0358307160204276e-05f, within(1e-10f));
    }

    @Test
    void scaledLinearScheduleMatchesStableDiffusion() {
        SchedulerConfig sd = SchedulerConfig.parse("""
                {"beta_schedule": "scaled_linear", "beta_start": 0.00085, "beta_end": 0.012}""");
        float[] ac = NoiseSchedule.of(sd, 0.0001, 0.02, false).alphasCumprod();
        assertThat(ac[0]).isCloseTo(0.9991499781608582f, within(1e-7f));
        assertThat(ac[999]).isCloseTo(0.0046600960195064545f, within(1e-8f));
    }

    @Test
    void zeroTerminalSnrRescalingEndsAtZeroOrAtTwoToTheMinus24() {
        SchedulerConfig c = SchedulerConfig.parse("""
                {"beta_schedule": "scaled_linear", "beta_start": 0.00085, "beta_end": 0.012,
                "rescale_betas_zero_snr": true}""");
        float[] plain = NoiseSchedule.of(c, 0.0001, 0.02, false).alphasCumprod();
        float[] fixed = NoiseSchedule.of(c, 0.0001, 0.02, true).alphasCumprod();
        assertThat(plain[999]).isZero();
        assertThat(fixed[999]).isEqualTo((float) Math.pow(2, -24));
        assertThat(plain[0]).isCloseTo(0.9991499781608582f, within(1e-6f));
    }

    @Test
    void cosineScheduleStartsNearOneAndEndsNearZero() {
        float[] ac = NoiseSchedule.of(SchedulerConfig.parse("{\"beta_schedule\": \"squaredcos_cap_v2\"}"),
                0.0001, 0.02, false).alphasCumprod();
        assertThat(ac[0]).isGreaterThan(0.999f);
        assertThat(ac[999]).isLessThan(1e-4f);
    }
}
