package io.sweepfarm.coordinator.plan;

import static io.sweepfarm.coordinator.plan.SweepPlanTest.plan;
import static io.sweepfarm.coordinator.support.Sweeps.aSweep;
import static org.assertj.core.api.Assertions.assertThat;

import io.sweepfarm.common.image.ImageParameters;
import io.sweepfarm.coordinator.support.Sweeps;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** Filters compiled to ordinal sets agree with testing every image, and stay arithmetic on huge sweeps. */
class SweepPlanMatchTest {

    private static ImageParam param(String name) {
        return ImageParam.named(name).orElseThrow();
    }

    private static Condition anyOf(String name, Object... values) {
        return new Condition.AnyOf(param(name), Set.of(values));
    }

    /** Every ordinal the set yields, walking it with next(). */
    private static List<Long> walk(OrdinalSet set) {
        List<Long> out = new ArrayList<>();
        for (long k = set.next(0); k >= 0; k = set.next(k + 1)) {
            out.add(k);
        }
        return out;
    }

    /** The ordinals whose parameters satisfy {@code test}, by brute force. */
    private static List<Long> brute(SweepPlan p, Predicate<ImageParameters> test) {
        List<Long> out = new ArrayList<>();
        for (long k = 0; k < p.count(); k++) {
            if (test.test(p.at(k))) {
                out.add(k);
            }
        }
        return out;
    }

    private static Sweeps rich() {
        return aSweep().withPrompts("a red fox", "a grey cat", "a fox cub").withNegativePrompts("", "blurry")
                .withCfgScales(3.0, 5.0, 7.5).withSteps(10, 20, 30).withSamplers("euler", "ddim", "heun")
                .withSeeds(5L, 7L, 9L).withImagesPerCombination(2).withZip(List.of("steps", "samplers"));
    }

    @Test
    void everyKindOfConditionAgreesWithBruteForce() {
        SweepPlan p = plan(rich());
        List<List<Condition>> filters = List.of(
                List.of(),
                List.of(anyOf("cfg_scale", 7.5)),
                List.of(anyOf("cfg_scale", 3.0, 7.5), anyOf("steps", 20)),
                List.of(new Condition.Between(param("cfg_scale"), 4.0, 8.0)),
                List.of(new Condition.Contains(param("prompt"), "FOX")),
                List.of(anyOf("negative_prompt", "")),
                List.of(anyOf("sampler", "ddim"), anyOf("seed", 8L)),
                List.of(anyOf("seed", 6L, 10L)),
                List.of(new Condition.Between(param("seed"), 6.0, 8.0)),
                List.of(anyOf("model", "another-model")),
                List.of(anyOf("model", "another-model"), anyOf("cfg_scale", 7.5)),
                List.of(anyOf("model", p.at(0).model()), anyOf("cfg_scale", 7.5)),
                List.of(anyOf("model", p.at(0).model()), anyOf("seed", 999_999L)), // seeds miss: empty at once
                List.of(anyOf("cfg_scale", 7.5), new Condition.Between(param("seed"), 1e9, 2e9)),
                List.of(anyOf("width", 512), anyOf("height", 512)),
                List.of(anyOf("steps", 20), anyOf("sampler", "euler"))); // zipped: never together
        agreesWithBruteForce(p, filters);
    }

    @Test
    void aSeedFilterOnAHundredMillionImageSweepIsSolvedByArithmetic() {
        SweepPlan p = plan(aSweep().withPrompts("a", "b").withCfgScales(5.0, 7.0).withSeedCount(0, 25_000_000));
        OrdinalSet set = p.match(List.of(anyOf("seed", 24_999_999L), anyOf("prompt", "b")));
        assertThat(set.count()).isEqualTo(2);
        long first = set.next(0);
        assertThat(p.at(first)).extracting(ImageParameters::prompt, ImageParameters::seed, ImageParameters::cfgScale)
                .containsExactly("b", 24_999_999L, 5.0);
        long second = set.next(first + 1);
        assertThat(p.at(second).cfgScale()).isEqualTo(7.0);
        assertThat(set.next(second + 1)).isEqualTo(-1);

        OrdinalSet range = p.match(List.of(new Condition.Between(param("seed"), 1000.0, 1999.0)));
        assertThat(range.count()).isEqualTo(2 * 2 * 1000);
        assertThat(p.at(range.next(60_000_000L)).seed()).isEqualTo(1000);
    }

    @Test
    void seedRangesWithSeveralImagesPerCombinationMatchLikeBruteForce() {
        SweepPlan p = plan(aSweep().withSeedCount(10, 50).withImagesPerCombination(4).withCfgScales(1.0, 2.0));
        List<List<Condition>> filters = List.of(List.of(anyOf("seed", 12L)),
                List.of(new Condition.Between(param("seed"), 20.0, 31.0)),
                List.of(new Condition.Between(param("seed"), null, 11.0), anyOf("cfg_scale", 2.0)));
        for (List<Condition> f : filters) {
            assertThat(walk(p.match(f))).as("filter %s", f)
                    .isEqualTo(brute(p, i -> f.stream().allMatch(c -> c.test(i))));
        }
    }

    private static final String KEY_A = "inputs/" + "a".repeat(64) + ".png";
    private static final String KEY_B = "inputs/" + "b".repeat(64) + ".png";

    private static Condition contains(String name, String needle) {
        return new Condition.Contains(param(name), needle);
    }

    private static void agreesWithBruteForce(SweepPlan p, List<List<Condition>> filters) {
        for (List<Condition> f : filters) {
            OrdinalSet set = p.match(f);
            List<Long> expected = brute(p, i -> f.stream().allMatch(c -> c.test(i)));
            assertThat(walk(set)).as("filter %s", f).isEqualTo(expected);
            assertThat(set.count()).as("count of %s", f).isEqualTo(expected.size());
            for (long k = 0; k < p.count(); k++) {
                assertThat(set.contains(k)).isEqualTo(expected.contains(k));
            }
        }
    }

    @Test
    void conditionsOnTheModesAgreeWithBruteForce() {
        SweepPlan p = plan(aSweep().withPrompts("a red fox", "a grey cat").withLora("grain", 0.0, 0.5, 1.0)
                .withLora("ink", 0.0, 1.0).withSteps(10, 20).withHires(List.of(1.5, 2.0), List.of(0.4, 0.7), null,
                        null)
                .withControlNet("canny", KEY_A, List.of(0.0, 1.0), List.of(0.0, 0.5), null)
                .withControlNet("depth", KEY_B, List.of(0.5), null, List.of(0.8, 1.0))
                .withCfgScales(4.0, 7.0).withSeeds(3L, 4L)
                .withZip(List.of("steps", "controlnets[1].guidance_end")));
        agreesWithBruteForce(p, List.of(
                List.of(anyOf("lora", "grain")),
                List.of(anyOf("lora", "ink", "grain")), // several LoRA blocks at once
                List.of(new Condition.AnyOf(param("lora"), java.util.Collections.singleton(null))), // no LoRA
                List.of(anyOf("loras", "grain:0.5")),
                List.of(contains("loras", "INK"), anyOf("cfg_scale", 7.0)),
                List.of(anyOf("loras", "grain:1", "ink:1"), anyOf("seed", 4L), contains("prompt", "cat")),
                List.of(anyOf("loras", "grain:0.5, ink:1")), // a whole set, as the grid page fixes it
                List.of(anyOf("controlnet", "canny")),
                List.of(anyOf("controlnet", "openpose")),
                List.of(anyOf("controlnets", "canny:1:0.5:1")),
                List.of(contains("controlnets", "depth:0.5:0:0.8"), anyOf("steps", 10)),
                List.of(anyOf("hires_scale", 2.0), new Condition.Between(param("hires_strength"), 0.5, null)),
                List.of(anyOf("hires_upscaler", "latent"), anyOf("hires_steps", 0)),
                List.of(anyOf("refiner_switch_at", 0.8)),
                List.of(new Condition.AnyOf(param("refiner_switch_at"), java.util.Collections.singleton(null)),
                        anyOf("lora", "ink"), anyOf("controlnets", "canny:0:0:1"))));
    }

    @Test
    void refinerAndDepthConditionsAgreeWithBruteForce() {
        SweepPlan refined = plan(aSweep().withRefinerSwitchAt(0.6, 0.8, 0.9).withSteps(10, 20).withSeeds(1L, 2L)
                .withCfgScales(4.0, 6.0, 8.0).withZip(List.of("refiner_switch_at", "cfg_scales")));
        agreesWithBruteForce(refined, List.of(List.of(anyOf("refiner_switch_at", 0.8)),
                List.of(new Condition.Between(param("refiner_switch_at"), 0.7, null), anyOf("seed", 2L)),
                List.of(anyOf("refiner_switch_at", 0.9), anyOf("cfg_scale", 6.0))));
        SweepPlan depth = plan(aSweep().withInitImages(KEY_A, KEY_B).withDepthMaps(KEY_A, KEY_B).withStrengths(0.5)
                .withZip(List.of("init_images", "depth_maps")));
        agreesWithBruteForce(depth, List.of(List.of(anyOf("depth_map", KEY_B)),
                List.of(anyOf("depth_map", KEY_A), anyOf("init_image", KEY_B)), List.of(contains("depth_map", "aaa"))));
    }

    @Test
    void aFilterThatWouldTestTooManyJointCombinationsIsRefusedNamingItsParameter() {
        List<Double> many = java.util.stream.IntStream.range(0, 101).mapToObj(i -> i / 101.0).toList();
        SweepPlan p = plan(aSweep().withControlNet("canny", KEY_A, many, many, null).withControlNet("depth", KEY_B,
                many, null, null));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> p.match(List.of(anyOf("controlnets", "canny:1:0:1"))))
                .isInstanceOfSatisfying(io.sweepfarm.coordinator.problem.ProblemException.Invalid.class,
                        e -> assertThat(e.errors().get(0).field()).isEqualTo("controlnets"));
        assertThat(p.match(List.of(anyOf("controlnet", "canny"))).count()).isEqualTo(p.count()); // one block each
    }
}
