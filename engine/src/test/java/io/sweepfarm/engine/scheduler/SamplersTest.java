package io.sweepfarm.engine.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The factory: every id makes a fresh runnable sampler, with the overrides PLMS and DPM++ 2M Karras imply. */
class SamplersTest {

    private static final SchedulerConfig SD = SchedulerConfig.parse("""
                {"beta_start": 0.00085, "beta_end": 0.012, "beta_schedule": "scaled_linear", "steps_offset": 1,
                "set_alpha_to_one": false, "clip_sample": false}""");

    @ParameterizedTest
    @EnumSource(SamplerType.class)
    void everySamplerRunsAStableDiffusionScheduleToTheEnd(SamplerType id) {
        Sampler s = Samplers.create(id, SD, 20, 2);
        float[] noise = DiffusersDummies.noise();
        float[] x = DiffusersDummies.scaled(noise, s.initNoiseSigma());
        float[] ts = s.timesteps();
        float[] stepNoise = new float[x.length];
        for (int i = 0; i < ts.length; i++) {
            float[] in = s.scaleModelInput(x, i);
            s.step(DiffusersDummies.model(in, ts[i]), i, x, out -> System.arraycopy(stepNoise, 0, out, 0, out.length));
        }
        for (float v : x) {
            assertThat(v).isFinite();
        }
    }

    @ParameterizedTest
    @EnumSource(value = SamplerType.class, names = {"DDIM", "EULER", "EULER_A", "DPMPP_2M", "DPMPP_2M_KARRAS", "UNIPC"})
    void zeroTerminalSnrVPredictionConfigsRunToTheEnd(SamplerType id) {
        // the SD 2.1 / zero-terminal-SNR recipe: rescaled betas, v-prediction, trailing spacing
        SchedulerConfig zeroSnr = SD.with("rescale_betas_zero_snr", true).with("prediction_type", "v_prediction")
                .with("timestep_spacing", "trailing");
        Sampler s = Samplers.create(id, zeroSnr, 10, 4);
        assertThat(s.timesteps()[0]).isEqualTo(999f);
        float[] x = DiffusersDummies.scaled(DiffusersDummies.noise(), s.initNoiseSigma());
        float[] ts = s.timesteps();
        for (int i = 0; i < ts.length; i++) {
            float[] in = s.scaleModelInput(x, i);
            s.step(DiffusersDummies.model(in, ts[i]), i, x, out -> java.util.Arrays.fill(out, 0.5f));
        }
        for (float v : x) {
            assertThat(v).isFinite();
        }
    }

    @Test
    void plmsForcesSkippingTheRungeKuttaWarmUp() {
        // refdata diffusers-schedulers.md A.2 PNDM: skip_prk_steps=True at 10 steps gives 11 plms timesteps
        Sampler plms = Samplers.create(SamplerType.PLMS, SchedulerConfig.parse("{\"skip_prk_steps\": false}"), 10, 1);
        assertThat(plms.timesteps()).hasSize(11);
    }

    @Test
    void dpmppKarrasForcesKarrasSigmas() {
        // refdata diffusers-schedulers.md A.3.1: DPM++2M 20 steps [999, 949, ...], with karras [999, 962, ...]
        Sampler plain = Samplers.create(SamplerType.DPMPP_2M, SD, 20, 1);
        Sampler karras = Samplers.create(SamplerType.DPMPP_2M_KARRAS, SD, 20, 1);
        assertThat(plain.timesteps()[1]).isEqualTo(949f);
        assertThat(karras.timesteps()[1]).isEqualTo(962f);
    }

    @Test
    void heunMakesTwoModelCallsPerStepButTheLast() {
        // 2N-1 calls (refdata diffusers-schedulers.md A.3: 19 for 10 steps)
        Sampler heun = Samplers.create(SamplerType.HEUN, SD, 20, 1);
        assertThat(heun.order()).isEqualTo(2);
        assertThat(heun.timesteps()).hasSize(39);
    }

    @Test
    void stepsMustComeInOrderFromTheBeginIndex() {
        Sampler s = Samplers.create(SamplerType.EULER, SD, 10, 1);
        s.setBeginIndex(3);
        float[] x = new float[4];
        assertThatThrownBy(() -> s.step(new float[4], 0, x)).isInstanceOf(IllegalStateException.class);
        s.step(new float[4], 3, x);
        assertThatThrownBy(() -> s.step(new float[4], 5, x)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void rejectsImpossibleStepCounts() {
        assertThatThrownBy(() -> Samplers.create(SamplerType.DDIM, SD, 0, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Samplers.create(SamplerType.DDIM, SD, 1001, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ancestralSamplerAsksForNoiseWhenNoneIsGiven() {
        Sampler s = Samplers.create(SamplerType.EULER_A, SD, 10, 1);
        assertThatThrownBy(() -> s.step(new float[4], 0, new float[4])).isInstanceOf(IllegalStateException.class);
    }
}
