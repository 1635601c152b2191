package io.sweepfarm.coordinator.sweep;

import static io.sweepfarm.coordinator.support.Sweeps.aSweep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sweepfarm.common.api.ControlNetAxis;
import io.sweepfarm.common.api.HiresAxes;
import io.sweepfarm.common.api.ImageSize;
import io.sweepfarm.coordinator.plan.SweepSpec;
import io.sweepfarm.coordinator.problem.Problem.FieldError;
import io.sweepfarm.coordinator.problem.ProblemException;
import io.sweepfarm.coordinator.support.Sweeps;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The modes' axes are checked at submission: defaults, bounds and the combinations the engine refuses. */
class ModeAxesValidationTest {

    private static final String KEY = "inputs/" + "a".repeat(64) + ".png";
    private final SweepValidator validator = new SweepValidator(1_000_000_000L);

    private static List<Double> scales(int n) {
        return Collections.nCopies(n, 0.5);
    }

    @Test
    void theModesGetTheirDefaults() {
        SweepSpec spec = validator.validate(aSweep().withLora("grain", 0.0, 1.0)
                .withControlNet("canny", KEY, null, null, null)
                .withHires(List.of(2.0), null, "Latent (nearest)", null).build());
        assertThat(spec.controlnets()).containsExactly(new ControlNetAxis("canny", KEY, List.of(1.0), List.of(0.0),
                List.of(1.0)));
        assertThat(spec.hires()).isEqualTo(new HiresAxes(List.of(2.0), List.of(0.7), "latent_nearest", 0));
        assertThat(spec.loras().get(0).scales()).containsExactly(0.0, 1.0);
        assertThat(spec.refinerSwitchAt()).isEmpty();
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                refuse("hires with init images", "hires", aSweep().withInitImages(KEY).withStrengths(0.5)
                        .withHires(List.of(2.0), null, null, null)),
                refuse("hires with the refiner", "refiner_switch_at", aSweep().withRefinerSwitchAt(0.8)
                        .withHires(List.of(2.0), null, null, null)),
                refuse("inpainting with the refiner", "refiner_switch_at", aSweep().withInitImages(KEY)
                        .withStrengths(0.5).withMask(KEY).withRefinerSwitchAt(0.8)),
                refuse("ControlNets with the refiner", "refiner_switch_at", aSweep().withRefinerSwitchAt(0.8)
                        .withControlNet("canny", KEY, null, null, null)),
                refuse("depth maps with the refiner", "refiner_switch_at", aSweep().withInitImages(KEY)
                        .withStrengths(0.5).withDepthMaps(KEY).withRefinerSwitchAt(0.8)),
                refuse("depth maps without init images", "depth_maps", aSweep().withDepthMaps(KEY)),
                refuse("a depth map that is not an input key", "depth_maps[0]", aSweep().withInitImages(KEY)
                        .withStrengths(0.5).withDepthMaps("../etc/depth.png")),
                refuse("a refiner switch of 1", "refiner_switch_at[0]", aSweep().withRefinerSwitchAt(1.0)),
                refuse("a refiner with one step", "steps", aSweep().withSteps(1).withRefinerSwitchAt(0.5)),
                refuse("a LoRA name with a folder", "loras[0].name", aSweep().withLora("../x", 1.0)),
                refuse("a LoRA name with a colon", "loras[0].name", aSweep().withLora("a:b", 1.0)),
                refuse("a LoRA listed twice", "loras[1].name", aSweep().withLora("a", 1.0).withLora("a", 0.5)),
                refuse("a LoRA without scales", "loras[0].scales", aSweep().withLora("a")),
                refuse("a LoRA scale past 10", "loras[0].scales[1]", aSweep().withLora("a", 1.0, 11.0)),
                refuse("too many LoRA combinations", "loras", aSweep().withLora("a", scales(40).toArray(Double[]::new))
                        .withLora("b", scales(30).toArray(Double[]::new))),
                refuse("a control image that is not an input key", "controlnets[0].image",
                        aSweep().withControlNet("canny", "http://x/y.png", null, null, null)),
                refuse("a ControlNet without a model", "controlnets[0].model",
                        aSweep().withControlNet(null, KEY, null, null, null)),
                refuse("a negative ControlNet scale", "controlnets[0].scales[0]",
                        aSweep().withControlNet("canny", KEY, List.of(-1.0), null, null)),
                refuse("a guidance start after its end", "controlnets[0].guidance_end",
                        aSweep().withControlNet("canny", KEY, null, List.of(0.6), List.of(0.5))),
                refuse("a guidance end of 0", "controlnets[0].guidance_end[0]",
                        aSweep().withControlNet("canny", KEY, null, null, List.of(0.0))),
                refuse("five ControlNets", "controlnets", fiveControlNets()),
                refuse("a hires scale of 1", "hires.scales[0]", aSweep().withHires(List.of(1.0), null, null, null)),
                refuse("hires without scales", "hires.scales", aSweep().withHires(null, null, null, null)),
                refuse("a hires pass past 4096 pixels", "hires.scales", aSweep().withSizes(new ImageSize(2048, 512))
                        .withHires(List.of(2.5), null, null, null)),
                refuse("a hires strength without a step", "hires.strengths", aSweep().withSteps(5)
                        .withHires(List.of(2.0), List.of(0.1), null, null)),
                refuse("an unknown upscaler", "hires.upscaler", aSweep().withHires(List.of(2.0), null, "ESRGAN_4x",
                        null)),
                refuse("negative hires steps", "hires.steps", aSweep().withHires(List.of(2.0), null, null, -1)),
                refuse("a zip naming a LoRA the sweep lacks", "zip[0][1]", aSweep().withLora("a", 1.0)
                        .withZip(List.of("cfg_scales", "loras[1]"))),
                refuse("a zip naming hires axes without hires", "zip[0][0]", aSweep()
                        .withZip(List.of("hires.scales", "cfg_scales"))),
                refuse("zipped modes axes of unequal lengths", "zip[0]", aSweep().withLora("a", 0.0, 1.0)
                        .withRefinerSwitchAt(0.5, 0.7, 0.9).withZip(List.of("loras[0]", "refiner_switch_at"))));
    }

    private static Sweeps fiveControlNets() {
        Sweeps s = aSweep();
        for (int i = 0; i < 5; i++) {
            s.withControlNet("cn" + i, KEY, null, null, null);
        }
        return s;
    }

    private static Arguments refuse(String description, String field, Sweeps sweep) {
        return Arguments.of(description, field, sweep);
    }

    @ParameterizedTest(name = "{0} is refused naming {1}")
    @MethodSource("refused")
    void whatTheEngineWouldRefuseIsRefusedAtSubmissionNamingTheField(String description, String field,
            Sweeps sweep) {
        assertThatThrownBy(() -> validator.validate(sweep.build()))
                .isInstanceOfSatisfying(ProblemException.Invalid.class, e -> assertThat(e.errors())
                        .extracting(FieldError::field).contains(field));
    }

    @Test
    void zippedLorasCountAsOneCombinationPerIndex() {
        Double[] many = scales(600).toArray(Double[]::new);
        SweepSpec spec = validator.validate(aSweep().withLora("a", many).withLora("b", many)
                .withZip(List.of("loras[0]", "loras[1]")).build());
        assertThat(spec.zip()).containsExactly(List.of("loras[0]", "loras[1]"));
    }
}
