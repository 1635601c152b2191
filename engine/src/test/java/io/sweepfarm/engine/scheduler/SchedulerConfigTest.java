package io.sweepfarm.engine.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Parsing of diffusers {@code scheduler_config.json} files. The SD 1.5 file is the one published with
 * runwayml/stable-diffusion-v1-5 ({@code scheduler/scheduler_config.json}); expected schedules [COMPUTED] from
 * Sweepfarm refdata {@code diffusers-schedulers.md} A.3.1.
 */
class SchedulerConfigTest {

    private static final String SD15 = """
            {
              "_class_name": "PNDMScheduler",
              "_diffusers_version": "0.6.0",
              "beta_end": 0.012,
              "beta_schedule": "scaled_linear",
              "beta_start": 0.00085,
              "num_train_timesteps": 1000,
              "set_alpha_to_one": false,
              "skip_prk_steps": true,
              "steps_offset": 1,
              "trained_betas": null,
              "clip_sample": false
            }
            """;

    @Test
    void readsTheKeysTheFileNames() {
        SchedulerConfig c = SchedulerConfig.parse(SD15);
        assertThat(c.numTrainTimesteps()).isEqualTo(1000);
        assertThat(c.betaStart()).isEqualTo(0.00085);
        assertThat(c.betaEnd()).isEqualTo(0.012);
        assertThat(c.betaSchedule()).isEqualTo("scaled_linear");
        assertThat(c.setAlphaToOne()).isFalse();
        assertThat(c.skipPrkSteps()).isTrue();
        assertThat(c.stepsOffset()).isEqualTo(1);
        assertThat(c.clipSample()).isFalse();
    }

    @Test
    void keysTheFileLacksOrNullsStayAbsent() {
        SchedulerConfig c = SchedulerConfig.parse(SD15);
        assertThat(c.trainedBetas()).isNull();
        assertThat(c.timestepSpacing()).isNull();
        assertThat(c.predictionType()).isNull();
        assertThat(c.useKarrasSigmas()).isNull();
    }

    @Test
    void eulerBuiltFromThePndmConfigKeepsItsOwnLinspaceSpacing() {
        // refdata A.3.1: Euler, linspace, 20 steps: init_noise_sigma=14.614645004272461, first timestep 999
        Sampler euler = Samplers.create(SamplerType.EULER, SchedulerConfig.parse(SD15), 20, 1);
        assertThat(euler.initNoiseSigma()).isCloseTo(14.614645004272461f, within(1e-5f));
        assertThat(euler.timesteps()[0]).isEqualTo(999f);
    }

    @Test
    void ddimBuiltFromThePndmConfigKeepsItsOwnLeadingSpacing() {
        // refdata A.3.1: DDIM leading off=1, 50 steps: [981, 961, ..., 1]
        float[] ts = Samplers.create(SamplerType.DDIM, SchedulerConfig.parse(SD15), 50, 1).timesteps();
        assertThat(ts[0]).isEqualTo(981f);
        assertThat(ts[49]).isEqualTo(1f);
    }

    @Test
    void readsPythonInfinityAndTrainedBetas() {
        SchedulerConfig c = SchedulerConfig.parse("""
                {"lambda_min_clipped": -Infinity, "trained_betas": [0.1, 0.2], "use_karras_sigmas": true,
                 "algorithm_type": "dpmsolver++", "solver_order": 2, "some_future_key": {"x": 1}}
                """);
        assertThat(c.lambdaMinClipped()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(c.trainedBetas()).containsExactly(0.1, 0.2);
        assertThat(c.useKarrasSigmas()).isTrue();
        assertThat(c.algorithmType()).isEqualTo("dpmsolver++");
        assertThat(c.solverOrder()).isEqualTo(2);
    }

    @Test
    void anOverrideSetsOneKeyLeavesTheOthersAndNullRemovesIt() {
        SchedulerConfig c = SchedulerConfig.parse(SD15).with("use_karras_sigmas", true);
        assertThat(c.useKarrasSigmas()).isTrue();
        assertThat(c.stepsOffset()).isEqualTo(1);
        assertThat(c.with("steps_offset", null).stepsOffset()).isNull();
        assertThat(c.with("trained_betas", new double[] {0.1, 0.2}).trainedBetas()).containsExactly(0.1, 0.2);
    }

    @Test
    void anOverrideOfAKeyTheConfigLacksFailsNamingIt() {
        assertThatThrownBy(() -> SchedulerConfig.empty().with("use_karas_sigmas", true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("use_karas_sigmas");
    }

    @Test
    void rejectsTextThatIsNotAJsonObject() {
        assertThatThrownBy(() -> SchedulerConfig.parse("[1, 2]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SchedulerConfig.parse("{nope")).isInstanceOf(IllegalArgumentException.class);
    }
}
