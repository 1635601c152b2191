package io.sweepfarm.coordinator.plan;

import static io.sweepfarm.coordinator.support.Sweeps.aSweep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sweepfarm.common.api.ImageSize;
import io.sweepfarm.common.api.PromptOverflow;
import io.sweepfarm.common.image.ControlNetUse;
import io.sweepfarm.common.image.ImageParameters;
import io.sweepfarm.common.image.LoraWeight;
import io.sweepfarm.common.json.Json;
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
    void loraAxesAreTheSlowestAndTheModesAxesComeBetweenStepsAndCfgInTheirOrder() {
        SweepPlan p = plan(aSweep().withPrompts("a", "b").withLora("grain", 0.0, 0.5).withLora("ink", 1.0, 2.0)
                .withSteps(10, 20).withHires(List.of(1.5, 2.0), List.of(0.3, 0.6), "Latent (nearest)", 4)
                .withControlNet("canny", KEY_A, List.of(0.5, 1.0), List.of(0.0, 0.2), null)
                .withCfgScales(5.0, 7.0).withSeeds(1L, 2L));
        assertThat(p.count()).isEqualTo(2L * 2 * 2 * 2 * 2 * 2 * 2 * 2 * 2 * 2);
        long k = 0;
        for (double grain : List.of(0.0, 0.5)) {
            for (double ink : List.of(1.0, 2.0)) {
                for (String prompt : List.of("a", "b")) {
                    for (int steps : List.of(10, 20)) {
                        for (double hiresScale : List.of(1.5, 2.0)) {
                            for (double hiresStrength : List.of(0.3, 0.6)) {
                                for (double cnScale : List.of(0.5, 1.0)) {
                                    for (double cnStart : List.of(0.0, 0.2)) {
                                        for (double cfg : List.of(5.0, 7.0)) {
                                            for (long seed : List.of(1L, 2L)) {
                                                ImageParameters i = p.at(k++);
                                                List<LoraWeight> loras = grain == 0
                                                        ? List.of(new LoraWeight("ink", ink))
                                                        : List.of(new LoraWeight("grain", grain),
                                                                new LoraWeight("ink", ink));
                                                assertThat(i.loras()).isEqualTo(loras);
                                                assertThat(i.controlnets()).containsExactly(
                                                        new ControlNetUse("canny", KEY_A, cnScale, cnStart, 1.0));
                                                assertThat(i).extracting(ImageParameters::prompt,
                                                        ImageParameters::steps, ImageParameters::hiresScale,
                                                        ImageParameters::hiresStrength, ImageParameters::cfgScale,
                                                        ImageParameters::seed).containsExactly(prompt, steps,
                                                                hiresScale, hiresStrength, cfg, seed);
                                                assertThat(i).extracting(ImageParameters::hiresUpscaler,
                                                        ImageParameters::hiresSteps,
                                                        ImageParameters::refinerSwitchAt)
                                                        .containsExactly("latent_nearest", 4, null);
                                            }
                                        }
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
    void depthMapsFollowInitImagesAndTheRefinerSwitchFollowsSteps() {
        SweepPlan depth = plan(aSweep().withInitImages(KEY_A, KEY_B).withDepthMaps(KEY_B, KEY_A)
                .withStrengths(0.5, 0.8));
        assertThat(depth.count()).isEqualTo(8);
        assertThat(depth.at(3)).extracting(ImageParameters::initImage, ImageParameters::depthMap,
                ImageParameters::strength).containsExactly(KEY_A, KEY_A, 0.8);
        assertThat(depth.at(4)).extracting(ImageParameters::initImage, ImageParameters::depthMap,
                ImageParameters::strength).containsExactly(KEY_B, KEY_B, 0.5);

        SweepPlan refined = plan(aSweep().withSteps(10, 20).withRefinerSwitchAt(0.7, 0.8).withCfgScales(5.0, 7.0));
        assertThat(refined.at(2)).extracting(ImageParameters::steps, ImageParameters::refinerSwitchAt,
                ImageParameters::cfgScale).containsExactly(10, 0.8, 5.0);
        assertThat(refined.at(4)).extracting(ImageParameters::steps, ImageParameters::refinerSwitchAt)
                .containsExactly(20, 0.7);
        assertThat(refined.at(0)).extracting(ImageParameters::hiresScale, ImageParameters::depthMap)
                .containsOnlyNulls();
        assertThat(refined.at(0).loras()).isEmpty();
    }

    @Test
    void theModesAxesZipLikeAnyOther() {
        SweepPlan p = plan(aSweep().withPrompts("a", "b").withLora("grain", 0.0, 1.0).withCfgScales(4.0, 8.0)
                .withControlNet("canny", KEY_A, List.of(0.5, 1.0), null, List.of(0.9, 1.0))
                .withZip(List.of("cfg_scales", "loras[0]"),
                        List.of("controlnets[0].scales", "controlnets[0].guidance_end")));
        assertThat(p.count()).isEqualTo(2 * 2 * 2);
        // The group of a LoRA is numbered where the LoRA is: before the prompts.
        assertThat(p.at(0)).extracting(ImageParameters::prompt, ImageParameters::cfgScale).containsExactly("a", 4.0);
        assertThat(p.at(0).loras()).isEmpty();
        assertThat(p.at(0).controlnets().get(0)).extracting(ControlNetUse::scale, ControlNetUse::guidanceEnd)
                .containsExactly(0.5, 0.9);
        assertThat(p.at(1).controlnets().get(0)).extracting(ControlNetUse::scale, ControlNetUse::guidanceEnd)
                .containsExactly(1.0, 1.0);
        assertThat(p.at(4)).extracting(ImageParameters::prompt, ImageParameters::cfgScale).containsExactly("a", 8.0);
        assertThat(p.at(4).loras()).containsExactly(new LoraWeight("grain", 1.0));
    }

    @Test
    void aSpecStoredBeforeTheModesReadsAsWithoutThemAndOneWithoutThemIsStoredAsBefore() {
        String before = "{\"format\":2,\"name\":\"old\",\"model\":\"sd15\",\"priority\":0,\"prompts\":[\"a\"],"
                + "\"negative_prompts\":[\"\"],\"prompt_sr\":[],\"init_images\":[],\"strengths\":[],"
                + "\"sizes\":[[64,64]],\"samplers\":[\"ddim\"],\"steps\":[10],"
                + "\"cfg_scales\":[7.0,8.0],\"seeds\":[1,2],\"images_per_combination\":1,\"zip\":[],"
                + "\"noise_source\":\"torch_cpu\",\"prompt_overflow\":\"TRUNCATE\"}";
        SweepSpec spec = Json.fromString(before, SweepSpec.class);
        assertThat(spec.loras()).isEmpty();
        assertThat(spec.hires()).isNull();
        SweepPlan p = SweepPlan.of(spec);
        assertThat(p.count()).isEqualTo(4);
        assertThat(p.at(3)).extracting(ImageParameters::cfgScale, ImageParameters::seed).containsExactly(8.0, 2L);
        assertThat(Json.toString(spec)).isEqualTo(before);
    }

    @Test
    void valuesListWhatAParameterTakesAcrossEveryBlockThatSetsIt() {
        SweepPlan p = plan(aSweep().withLora("grain", 0.0, 0.5).withLora("ink", 0.0, 1.0).withCfgScales(4.0, 8.0)
                .withSeeds(1L, 2L));
        assertThat(p.values(ImageParam.named("loras").orElseThrow(), 10)).containsExactly(List.of(),
                List.of("ink:1"), List.of("grain:0.5"), List.of("grain:0.5", "ink:1"));
        assertThat(p.values(ImageParam.named("lora").orElseThrow(), 3)).hasSize(3);
        assertThat(p.values(ImageParam.named("cfg_scale").orElseThrow(), 10)).containsExactly(4.0, 8.0);
        assertThat(p.values(ImageParam.named("model").orElseThrow(), 10)).hasSize(1);
    }

    @Test
    void theSeedBoundsSpanEverySeedRenderedWithConsecutiveSeedsPerCombination() {
        assertThat(plan(aSweep().withSeeds(9L, 3L, 7L).withImagesPerCombination(2)).seedBounds())
                .containsExactly(3L, 10L);
        assertThat(plan(aSweep().withSeedCount(100, 5)).seedBounds()).containsExactly(100L, 104L);
        SweepPlan p = plan(aSweep().withSeedCount(4_000_000_000L, 3).withImagesPerCombination(3));
        long[] bounds = p.seedBounds();
        for (long k = 0; k < p.count(); k++) {
            assertThat(p.at(k).seed()).isBetween(bounds[0], bounds[1]);
        }
        assertThat(bounds).containsExactly(4_000_000_000L, 4_000_000_004L);
    }

    @Test
    void anOrdinalOutsideTheSweepIsRejected() {
        SweepPlan p = plan(aSweep());
        assertThatThrownBy(() -> p.at(1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> p.at(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
