package io.sweepfarm.coordinator.sweep;

import static io.sweepfarm.coordinator.support.Sweeps.aSweep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sweepfarm.coordinator.plan.SweepSpec;
import io.sweepfarm.coordinator.problem.Problem.FieldError;
import io.sweepfarm.coordinator.problem.ProblemException;
import org.junit.jupiter.api.Test;

class SweepValidatorTest {

    private final SweepValidator validator = new SweepValidator(1000);

    @Test
    void aValidSweepGetsItsDefaults() {
        SweepSpec spec = validator.validate(aSweep().withSamplers("Euler a").build());
        assertThat(spec.samplers()).containsExactly("euler_a");
        assertThat(spec.priority()).isZero();
        assertThat(spec.noiseSource()).isEqualTo("torch_cpu");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        assertThatThrownBy(() -> validator.validate(aSweep().withModel(null).withSteps(0).withSize(513, 0).build()))
                .isInstanceOfSatisfying(ProblemException.Invalid.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field).containsExactly("model", "steps[0]", "width", "height"));
    }

    @Test
    void nanCfgIsRejected() {
        assertThatThrownBy(() -> validator.validate(aSweep().withCfgScales(Double.NaN).build()))
                .isInstanceOfSatisfying(ProblemException.Invalid.class,
                        e -> assertThat(e.errors().get(0).field()).isEqualTo("cfg_scales[0]"));
    }

    @Test
    void aSweepLargerThanTheLimitIsRejected() {
        assertThatThrownBy(() -> validator.validate(aSweep().withSeedRange(0, 1001).build()))
                .isInstanceOfSatisfying(ProblemException.Invalid.class,
                        e -> assertThat(e.errors().get(0).field()).isEqualTo("image_count"));
    }

    @Test
    void aPromptLongerThanTheLimitIsRejectedWithTheLimit() {
        String tooLong = "fox ".repeat(SweepValidator.MAX_PROMPT_CHARS / 4) + "!";
        assertThatThrownBy(() -> validator.validate(aSweep().withPrompts("ok", tooLong).build()))
                .isInstanceOfSatisfying(ProblemException.Invalid.class, e -> {
                    assertThat(e.errors()).extracting(FieldError::field).containsExactly("prompts[1]");
                    assertThat(e.errors().get(0).message()).contains("limit is " + SweepValidator.MAX_PROMPT_CHARS);
                });
        assertThatThrownBy(() -> validator.validate(aSweep().withNegativePrompts(tooLong).build()))
                .isInstanceOfSatisfying(ProblemException.Invalid.class,
                        e -> assertThat(e.errors()).extracting(FieldError::field).containsExactly("negative_prompts[0]"));
        assertThat(validator.validate(aSweep().withPrompts(tooLong.substring(1)).build()).prompts()).hasSize(1);
    }
}
