package io.sweepfarm.coordinator.sweep;

import static io.sweepfarm.coordinator.support.Sweeps.aSweep;
import static org.assertj.core.api.Assertions.assertThat;

import io.sweepfarm.common.api.LaneAddons;
import io.sweepfarm.common.api.LaneState;
import io.sweepfarm.common.api.LaneView;
import io.sweepfarm.coordinator.problem.Problem.FieldError;
import io.sweepfarm.coordinator.support.Sweeps;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A sweep's LoRAs, ControlNets, refiner, depth maps and mask against what its model's live lanes announce. */
class AddonRequirementsTest {

    private static final String KEY = "inputs/" + "a".repeat(64) + ".png";
    private final SweepValidator validator = new SweepValidator(1_000_000_000L);

    private static LaneView lane(String id, LaneAddons addons) {
        return new LaneView(id, id.split("/")[0], "host", "m", "cuda:0", LaneState.IDLE, 0, 0, 0, null, "0.1.0",
                Instant.parse("2026-11-30T12:00:00Z"), 1, addons);
    }

    private static LaneAddons offering(List<String> loras, List<String> controlnets) {
        return new LaneAddons(loras, controlnets, null, false, false);
    }

    private List<FieldError> unmet(Sweeps sweep, LaneView... lanes) {
        return AddonRequirements.unmet(validator.validate(sweep.build()), List.of(lanes));
    }

    @Test
    void aLoraNoLaneHasIsRefusedNamingItsFieldAndListingTheLorasOffered() {
        List<FieldError> errors = unmet(aSweep().withLora("film-grain", 0.5).withLora("missing", 0.0, 1.0),
                lane("a/cuda:0", offering(List.of("film-grain", "ink"), List.of())));
        assertThat(errors).extracting(FieldError::field).containsExactly("loras[1].name");
        assertThat(errors.get(0).message()).contains("'missing'").contains("film-grain, ink");
    }

    @Test
    void aLoraAppliedOnlyAtScaleZeroIsNeverLoadedAndNeedsNoLane() {
        assertThat(unmet(aSweep().withLora("missing", 0.0), lane("a/cuda:0", offering(List.of(), List.of()))))
                .isEmpty();
    }

    @Test
    void aLoraMissingOnOneOfTwoLanesIsRefusedNamingThatLaneSinceItWouldFailItsShare() {
        List<FieldError> errors = unmet(aSweep().withLora("ink", 1.0),
                lane("a/cuda:0", offering(List.of("film-grain", "ink"), List.of())),
                lane("b/cuda:0", offering(List.of("film-grain"), List.of())));
        assertThat(errors).extracting(FieldError::field).containsExactly("loras[0].name");
        assertThat(errors.get(0).message()).contains("b/cuda:0").doesNotContain("a/cuda:0")
                .endsWith("LoRAs on every live lane: film-grain");
    }

    @Test
    void aControlNetNoLaneHasIsRefusedByItsIndex() {
        List<FieldError> errors = unmet(aSweep().withControlNet("canny", KEY, null, null, null)
                .withControlNet("pose", KEY, null, null, null), lane("a/cuda:0", offering(List.of(),
                List.of("canny", "depth"))));
        assertThat(errors).extracting(FieldError::field).containsExactly("controlnets[1].model");
        assertThat(errors.get(0).message()).contains("'pose'").contains("canny, depth");
    }

    @Test
    void theRefinerHandOffNeedsARefinerOnEveryLane() {
        LaneView with = lane("a/cuda:0", new LaneAddons(List.of(), List.of(), "sdxl-refiner", false, false));
        LaneView without = lane("b/cuda:0", offering(List.of(), List.of()));
        assertThat(unmet(aSweep().withRefinerSwitchAt(0.8), with)).isEmpty();
        List<FieldError> errors = unmet(aSweep().withRefinerSwitchAt(0.8), with, without);
        assertThat(errors).extracting(FieldError::field).containsExactly("refiner_switch_at");
        assertThat(errors.get(0).message()).contains("b/cuda:0").contains("refiner-paths");
    }

    @Test
    void depthMapsNeedADepthModelAndADepthModelNeedsDepthMaps() {
        LaneView depth = lane("a/cuda:0", new LaneAddons(List.of(), List.of(), null, true, false));
        LaneView plain = lane("b/cuda:0", offering(List.of(), List.of()));
        Sweeps withMaps = aSweep().withInitImages(KEY).withStrengths(0.8).withDepthMaps(KEY);
        assertThat(unmet(withMaps, depth)).isEmpty();
        assertThat(unmet(withMaps, plain)).extracting(FieldError::field).containsExactly("depth_maps");
        assertThat(unmet(withMaps, plain).get(0).message()).contains("not a depth-to-image model");
        assertThat(unmet(aSweep(), depth)).extracting(FieldError::field).containsExactly("depth_maps");
        assertThat(unmet(aSweep(), plain)).isEmpty();
    }

    @Test
    void anInpaintingModelNeedsAMask() {
        LaneView inpainting = lane("a/cuda:0", new LaneAddons(List.of(), List.of(), null, false, true));
        assertThat(unmet(aSweep(), inpainting)).extracting(FieldError::field).containsExactly("mask");
        assertThat(unmet(aSweep().withInitImages(KEY).withStrengths(1.0).withMask(KEY), inpainting)).isEmpty();
    }

    @Test
    void lanesThatAnnounceNothingOrTooManyNamesAreNotHeldAgainstASweep() {
        assertThat(unmet(aSweep().withLora("anything", 1.0).withRefinerSwitchAt(0.5), lane("old/cuda:0", null)))
                .isEmpty();
        assertThat(unmet(aSweep().withControlNet("canny", KEY, null, null, null), lane("old/cuda:0", null)))
                .isEmpty();
        assertThat(unmet(aSweep().withLora("anything", 1.0), lane("old/cuda:0", null),
                lane("many/cuda:0", new LaneAddons(null, List.of(), null, false, false)))).isEmpty();
        assertThat(unmet(aSweep().withLora("anything", 1.0), lane("old/cuda:0", null),
                lane("new/cuda:0", offering(List.of(), List.of())))).extracting(FieldError::field)
                .containsExactly("loras[0].name");
    }

    @Test
    void aLongListOfOfferedNamesIsCutInTheMessage() {
        List<String> many = IntStream.range(0, 100).mapToObj(i -> String.format("lora-%03d", i)).toList();
        String message = unmet(aSweep().withLora("missing", 1.0), lane("a/cuda:0", offering(many, List.of())))
                .get(0).message();
        assertThat(message).contains("lora-019").doesNotContain("lora-020").endsWith("and 80 more");
    }
}
