package io.sweepfarm.coordinator.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sweepfarm.common.api.ControlNetAxis;
import io.sweepfarm.common.api.CreateSweepRequest;
import io.sweepfarm.common.api.LoraAxis;
import io.sweepfarm.coordinator.plan.SweepPlan;
import io.sweepfarm.coordinator.problem.Problem.FieldError;
import io.sweepfarm.coordinator.problem.ProblemException;
import io.sweepfarm.coordinator.sweep.SweepValidator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SweepFormTest {

    private static final String CANNY = "inputs/" + "c".repeat(64) + ".png";
    private static final String POSE = "inputs/" + "d".repeat(64) + ".png";
    private static final String INIT = "inputs/" + "a".repeat(64) + ".png";
    private static final String DEPTH_1 = "inputs/" + "1".repeat(64) + ".png";
    private static final String DEPTH_2 = "inputs/" + "2".repeat(64) + ".png";

    /** The form with ControlNet units as the browser posts them: one value per unit in each repeated field. */
    private static SweepForm withUnits(String[]... units) {
        SweepForm f = SweepForm.defaults("sd15");
        for (String[] u : units) {
            f.controlnetModels.add(u[0]);
            f.controlnetImages.add(u[1]);
            f.controlnetScales.add(u[2]);
            f.controlnetGuidanceStarts.add(u[3]);
            f.controlnetGuidanceEnds.add(u[4]);
        }
        return f;
    }

    /** The refusal of the request by the API's validator, by form field as the form shows it. */
    private static Map<String, String> refusal(SweepForm f) {
        SweepForm.Parsed parsed = f.toRequest(true);
        assertThat(parsed.errors()).as("the form itself parses").isEmpty();
        ProblemException e = catchThrowableOfType(ProblemException.class,
                () -> new SweepValidator(100_000).validate(parsed.request()));
        assertThat(e).as("the API refuses the request").isNotNull();
        return Composer.byField(e);
    }

    @Test
    void controlNetUnitsAndDepthMapsBecomeTheRequestsAxesAndTheirImagesArePreviewed() {
        SweepForm f = withUnits(new String[] {" canny ", CANNY, "0.5-1 (+0.5)", "", ""},
                new String[] {"openpose", POSE, "", "0, 0.2", "0.8, 1"});
        f.initImages = new ArrayList<>(List.of(INIT));
        f.strengths = "0.6";
        f.depthMaps = new ArrayList<>(List.of(DEPTH_1, DEPTH_2));

        SweepForm.Parsed parsed = f.toRequest(true);

        assertThat(parsed.errors()).isEmpty();
        CreateSweepRequest r = parsed.request();
        assertThat(r.controlnets()).containsExactly(new ControlNetAxis("canny", CANNY, List.of(0.5, 1.0), null, null),
                new ControlNetAxis("openpose", POSE, null, List.of(0.0, 0.2), List.of(0.8, 1.0)));
        assertThat(r.depthMaps()).containsExactly(DEPTH_1, DEPTH_2);
        // 3 CFG scales × 4 seeds (the defaults) × 2 depth maps × 2 scales × 2 starts × 2 ends, counted as the API does.
        SweepPlan plan = SweepPlan.of(new SweepValidator(100_000).validate(r));
        assertThat(plan.count()).isEqualTo(3 * 4 * 2 * 2 * 2 * 2);
        List<Pages.Mode> modes = Pages.PreviewRow.of(0, plan.at(0)).modes();
        assertThat(modes).extracting(Pages.Mode::text).containsExactly("init, strength 0.6", "depth map",
                "ControlNet canny:0.5:0:1", "ControlNet openpose:1:0:0.8");
        assertThat(modes).extracting(Pages.Mode::image).containsExactly("a".repeat(64) + ".png",
                "1".repeat(64) + ".png", "c".repeat(64) + ".png", "d".repeat(64) + ".png");
    }

    @Test
    void aSweepWithoutUnitsOrDepthMapsHasNoneAndItsPreviewNoModes() {
        SweepForm.Parsed parsed = SweepForm.defaults("sd15").toRequest(true);
        assertThat(parsed.request().controlnets()).isNull();
        assertThat(parsed.request().depthMaps()).isNull();
        SweepPlan plan = SweepPlan.of(new SweepValidator(100_000).validate(parsed.request()));
        assertThat(new Pages.Preview(plan.count(), List.of(Pages.PreviewRow.of(0, plan.at(0))), Map.of()).hasModes())
                .isFalse();
    }

    @Test
    void addingAUnitAppendsABlankOneToFocusAndRemovingOneRenumbersTheRest() {
        SweepForm f = withUnits(new String[] {"canny", CANNY, "0.5", "", ""},
                new String[] {"openpose", POSE, "1, 2", "0.1", "0.9"});
        f.controlnetAdd = "true";
        f.applyUnitButtons();
        assertThat(f.controlnetUnits()).hasSize(3);
        assertThat(f.controlnetUnits().get(2)).isEqualTo(new ControlNetUnit(2, "", "", "1", "", ""));
        assertThat(f.focus).isEqualTo("controlnets[2].model");

        f.controlnetRemove = "0";
        f.applyUnitButtons();
        assertThat(f.controlnetUnits()).containsExactly(new ControlNetUnit(0, "openpose", POSE, "1, 2", "0.1", "0.9"),
                new ControlNetUnit(1, "", "", "1", "", ""));
        assertThat(f.focus).isEqualTo("controlnet_add");
        assertThat(f.controlnetScales).containsExactly("1, 2", "1");
    }

    @Test
    void aUnitsMistakesAreNamedByItsOwnFieldsAsTheApiNamesThem() {
        SweepForm f = withUnits(new String[] {"canny", "", "0.5", "", ""},
                new String[] {"openpose", POSE, "lots", "0", "1"});
        assertThat(f.toRequest(true).errors()).containsOnlyKeys("controlnets[0].image", "controlnets[1].scales");
        assertThat(f.toRequest(true).errors().get("controlnets[1].scales")).contains("lots");

        Map<String, String> refused = refusal(withUnits(new String[] {"../canny", CANNY, "0.5", "", ""},
                new String[] {"openpose", POSE, "1", "0.2, 1.5", "0.1"}));
        assertThat(refused).containsOnlyKeys("controlnets[0].model", "controlnets[1].guidance_start");
        assertThat(refused.get("controlnets[1].guidance_start")).startsWith("controlnets[1].guidance_start[1]: ");

        // A window that closes before it opens is refused on the end, once the values pass on their own.
        assertThat(refusal(withUnits(new String[] {"canny", CANNY, "1", "0.5", "0.4"})))
                .containsOnlyKeys("controlnets[0].guidance_end");
        assertThat(SweepForm.field(new FieldError("controlnets[3]", "must be {...}"))).isEqualTo("controlnets[3].model");
        assertThat(SweepForm.field(new FieldError("controlnets", "lists 5 ControlNets"))).isEqualTo("controlnets");
    }

    @Test
    void depthMapsWithoutInitImagesAreRefusedOnTheDepthMapsField() {
        SweepForm f = SweepForm.defaults("sd15");
        f.depthMaps = new ArrayList<>(List.of(DEPTH_1));
        assertThat(refusal(f)).containsOnlyKeys("depth_maps");
        f.depthMaps = new ArrayList<>(List.of("depth.png"));
        f.initImages = new ArrayList<>(List.of(INIT));
        f.strengths = "0.5";
        assertThat(refusal(f)).containsOnlyKeys("depth_maps").hasEntrySatisfying("depth_maps",
                m -> assertThat(m).startsWith("depth_maps[0]: ").contains("POST /api/v1/inputs"));
    }

    @Test
    void loraHiresAndRefinerFieldsBecomeTheRequestsAxes() {
        SweepForm f = SweepForm.defaults("sdxl");
        f.loras = "add_detail: 0-1 (+0.5)\n\n  ink : 0.8, 1.2  ";
        f.hiresScales = "1.5, 2";
        f.hiresStrengths = "0.5-0.7 (+0.1)";
        f.hiresUpscaler = "lanczos";
        f.refinerSwitchAt = "0.8";

        SweepForm.Parsed parsed = f.toRequest(true);

        assertThat(parsed.errors()).isEmpty();
        CreateSweepRequest r = parsed.request();
        assertThat(r.loras()).containsExactly(new LoraAxis("add_detail", List.of(0.0, 0.5, 1.0)),
                new LoraAxis("ink", List.of(0.8, 1.2)));
        assertThat(r.hires().scales()).containsExactly(1.5, 2.0);
        assertThat(r.hires().strengths()).containsExactly(0.5, 0.6, 0.7);
        assertThat(r.hires().upscaler()).isEqualTo("lanczos");
        assertThat(r.refinerSwitchAt()).containsExactly(0.8);
    }

    @Test
    void aSweepWithoutThemHasNone() {
        CreateSweepRequest r = SweepForm.defaults("sd15").toRequest(true).request();
        assertThat(r.loras()).isNull();
        assertThat(r.hires()).isNull();
        assertThat(r.refinerSwitchAt()).isNull();
    }

    @Test
    void aLoraLineWithoutScalesIsAMistakeOnTheLorasField() {
        SweepForm f = SweepForm.defaults("sd15");
        f.loras = "add_detail";
        assertThat(f.toRequest(true).errors()).containsKey("loras");
        f.loras = "add_detail: lots";
        assertThat(f.toRequest(true).errors()).containsKey("loras");
    }
}
