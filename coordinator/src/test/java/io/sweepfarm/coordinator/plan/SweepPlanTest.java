package io.sweepfarm.coordinator.plan;

import static io.sweepfarm.coordinator.support.Sweeps.aSweep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sweepfarm.common.api.ImageSize;
import io.sweepfarm.common.api.PromptOverflow;
import io.sweepfarm.common.image.ImageParameters;
import io.sweepfarm.coordinator.support.Sweeps;
import io.sweepfarm.coordinator.sweep.SweepValidator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SweepPlanTest {

    private static final String KEY_A = "inputs/" + "a".repeat(64) + ".png";
    private static final String KEY_B = "inputs/" + "b".repeat(64) + ".png";

    static SweepPlan plan(Sweeps sweep) {
        return SweepPlan.of(new SweepValidator(1_000_000_000L).validate(sweep.build()));
    }

    @Test
    void theImageCountIsTheProductOfTheAxisSizes() {
        SweepPlan p = plan(aSweep().withPrompts("a", "b").withCfgScales(5.0, 7.0, 9.0).withSteps(10, 20)
                .withSamplers("euler", "ddim").withSeeds(1L, 2L, 3L, 4L));
        assertThat(p.count()).isEqualTo(2 * 3 * 2 * 2 * 4);
    }

    @Test
    void seedsVaryFastestAndPromptsSlowest() {
        SweepPlan p = plan(aSweep().withPrompts("a", "b").withCfgScales(5.0, 7.0).withSeeds(1L, 2L));
        assertThat(p.at(0)).extracting(ImageParameters::prompt, ImageParameters::cfgScale, ImageParameters::seed)
                .containsExactly("a", 5.0, 1L);
        assertThat(p.at(1)).extracting(ImageParameters::prompt, ImageParameters::cfgScale, ImageParameters::seed)
                .containsExactly("a", 5.0, 2L);
        assertThat(p.at(2)).extracting(ImageParameters::prompt, ImageParameters::cfgScale, ImageParameters::seed)
                .containsExactly("a", 7.0, 1L);
        assertThat(p.at(4)).extracting(ImageParameters::prompt, ImageParameters::cfgScale, ImageParameters::seed)
                .containsExactly("b", 5.0, 1L);
        assertThat(p.at(7)).extracting(ImageParameters::prompt, ImageParameters::cfgScale, ImageParameters::seed)
                .containsExactly("b", 7.0, 2L);
    }

    @Test
    void everyCombinationAppearsExactlyOnce() {
        SweepPlan p = plan(aSweep().withPrompts("a", "b", "c").withNegativePrompts("x", "y").withCfgScales(1.0, 2.0)
                .withSteps(5, 6, 7).withSamplers("euler", "ddim").withSeeds(0L, 9L)
                .withSizes(new ImageSize(512, 512), new ImageSize(768, 512)));
        Set<List<Object>> seen = new HashSet<>();
        for (long k = 0; k < p.count(); k++) {
            ImageParameters i = p.at(k);
            seen.add(List.of(i.prompt(), i.negativePrompt(), i.cfgScale(), i.steps(), i.sampler(), i.seed(),
                    i.width(), i.height()));
        }
        assertThat(seen).hasSize((int) p.count()).hasSize(3 * 2 * 2 * 3 * 2 * 2 * 2);
    }

    @Test
    void anImageOfAHundredMillionImageSweepIsComputedWithoutExpandingTheRest() {
        SweepPlan p = plan(aSweep().withPrompts("a", "b").withCfgScales(5.0, 7.0).withSeedCount(1000, 25_000_000));
        assertThat(p.count()).isEqualTo(100_000_000L);
        ImageParameters last = p.at(99_999_999L);
        assertThat(last.prompt()).isEqualTo("b");
        assertThat(last.cfgScale()).isEqualTo(7.0);
        assertThat(last.seed()).isEqualTo(1000 + 24_999_999L);
    }

    @Test
    void absentOptionalAxesExpandToOneTxt2imgValue() {
        ImageParameters i = plan(aSweep()).at(0);
        assertThat(i.negativePrompt()).isEmpty();
        assertThat(i.initImage()).isNull();
        assertThat(i.strength()).isNull();
        assertThat(i.mask()).isNull();
        assertThat(i.noiseSource()).isEqualTo("torch_cpu");
        assertThat(i.promptOverflow()).isEqualTo(PromptOverflow.TRUNCATE);
        assertThat(i.width()).isEqualTo(512);
    }

    @Test
    void img2imgAxesMultiplyTheSweep() {
        SweepPlan p = plan(aSweep().withInitImages(KEY_A, KEY_B).withStrengths(0.5, 0.75, 1.0));
        assertThat(p.count()).isEqualTo(6);
        assertThat(p.at(5)).extracting(ImageParameters::initImage, ImageParameters::strength)
                .containsExactly(KEY_B, 1.0);
    }

    @Test
    void zippedAxesAdvanceTogether() {
        SweepPlan p = plan(aSweep().withCfgScales(4.0, 7.0, 10.0).withSteps(10, 20, 30).withSeeds(1L, 2L)
                .withZip(List.of("steps", "cfg_scales")));
        assertThat(p.count()).isEqualTo(3 * 2);
        for (long k = 0; k < p.count(); k++) {
            ImageParameters i = p.at(k);
            assertThat(i.steps()).isEqualTo((int) (i.cfgScale() - 4) / 3 * 10 + 10);
        }
        assertThat(p.at(2)).extracting(ImageParameters::cfgScale, ImageParameters::steps, ImageParameters::seed)
                .containsExactly(7.0, 20, 1L);
    }

    @Test
    void promptsZippedWithNegativePromptsArePaired() {
        SweepPlan p = plan(aSweep().withPrompts("fox", "cat").withNegativePrompts("no fox", "no cat")
                .withZip(List.of("prompts", "negative_prompts")));
        assertThat(p.count()).isEqualTo(2);
        assertThat(p.at(1)).extracting(ImageParameters::prompt, ImageParameters::negativePrompt)
                .containsExactly("cat", "no cat");
    }

    @Test
    void promptSearchAndReplaceMakesEachReplacementInPromptAndNegativePrompt() {
        SweepPlan p = plan(aSweep().withPrompts("a red fox, fox fur").withNegativePrompts("blurry fox")
                .withPromptSr("fox", "cat", "owl"));
        assertThat(p.count()).isEqualTo(3);
        assertThat(p.at(0)).extracting(ImageParameters::prompt, ImageParameters::negativePrompt)
                .containsExactly("a red fox, fox fur", "blurry fox");
        assertThat(p.at(1)).extracting(ImageParameters::prompt, ImageParameters::negativePrompt)
                .containsExactly("a red cat, cat fur", "blurry cat");
        assertThat(p.at(2).prompt()).isEqualTo("a red owl, owl fur");
    }

    @Test
    void imagesPerCombinationRenderConsecutiveSeeds() {
        SweepPlan p = plan(aSweep().withSeeds(100L, 200L).withImagesPerCombination(3));
        assertThat(p.count()).isEqualTo(6);
        assertThat(java.util.stream.LongStream.range(0, 6).map(k -> p.at(k).seed()).toArray())
                .containsExactly(100, 101, 102, 200, 201, 202);
    }

    @Test
    void aSweepWithoutTheNewerAxesNumbersItsImagesAsBefore() {
        // Order of format 1: prompts, negative prompts, init images, strengths, samplers, steps, CFG, seeds.
        SweepPlan p = plan(aSweep().withPrompts("a", "b").withNegativePrompts("x", "y")
                .withInitImages(KEY_A, KEY_B).withStrengths(0.5, 1.0).withSamplers("euler", "ddim").withSteps(10, 20)
                .withCfgScales(5.0, 7.0).withSeeds(1L, 2L));
        long k = 0;
        for (String prompt : List.of("a", "b")) {
            for (String negative : List.of("x", "y")) {
                for (String init : List.of(KEY_A, KEY_B)) {
                    for (double strength : List.of(0.5, 1.0)) {
                        for (String sampler : List.of("euler", "ddim")) {
                            for (int steps : List.of(10, 20)) {
                                for (double cfg : List.of(5.0, 7.0)) {
                                    for (long seed : List.of(1L, 2L)) {
                                        assertThat(p.at(k++)).extracting(ImageParameters::prompt,
                                                ImageParameters::negativePrompt, ImageParameters::initImage,
                                                ImageParameters::strength, ImageParameters::sampler,
                                                ImageParameters::steps, ImageParameters::cfgScale,
                                                ImageParameters::seed).containsExactly(prompt, negative, init,
                                                        strength, sampler, steps, cfg, seed);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void anOrdinalOutsideTheSweepIsRejected() {
        SweepPlan p = plan(aSweep());
        assertThatThrownBy(() -> p.at(1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> p.at(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
