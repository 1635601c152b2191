package io.sweepfarm.coordinator.sweep;

import static io.sweepfarm.coordinator.sweep.SweepValidator.quoted;

import io.sweepfarm.common.api.LaneAddons;
import io.sweepfarm.common.api.LaneView;
import io.sweepfarm.common.messaging.LaneHeartbeat;
import io.sweepfarm.coordinator.plan.SweepSpec;
import io.sweepfarm.coordinator.problem.Problem.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What a sweep needs from the lanes of its model beyond the model itself, checked against what the live lanes
 * announce ({@link LaneAddons}): every LoRA it applies (a scale other than 0), every ControlNet, the refiner for
 * {@code refiner_switch_at}, a depth model exactly when it has depth maps, and a mask when the model is an inpainting
 * one. The tasks of a model are shared among all its lanes, so a lane that lacks one would fail its share of the
 * images: each need must be met by every live lane that announces its add-ons. Lanes that announce nothing (still
 * loading, or older workers) and lists too long to announce are not held against a sweep. Pure.
 */
final class AddonRequirements {

    /** Names listed in a refusal before "and N more". */
    static final int MAX_NAMED = 20;

    private AddonRequirements() {
    }

    /**
     * The needs of {@code spec} that its model's lanes do not meet, each naming the field and what the lanes offer.
     *
     * @param lanes the live lanes of the sweep's model
     */
    static List<FieldError> unmet(SweepSpec spec, List<LaneView> lanes) {
        List<LaneView> known = lanes.stream().filter(l -> l.addons() != null).toList();
        List<FieldError> errors = new ArrayList<>();
        if (known.isEmpty()) {
            return errors;
        }
        String model = quoted(spec.model());
        for (int i = 0; i < spec.loras().size(); i++) {
            String name = spec.loras().get(i).name();
            if (spec.loras().get(i).scales().stream().allMatch(s -> s == 0)) {
                continue; // never applied
            }
            need(errors, "loras[" + i + "].name", known, a -> a.hasLora(name), "LoRA " + quoted(name), model,
                    "LoRAs", LaneAddons::loras);
        }
        for (int i = 0; i < spec.controlnets().size(); i++) {
            String name = spec.controlnets().get(i).model();
            need(errors, "controlnets[" + i + "].model", known, a -> a.hasControlNet(name),
                    "ControlNet " + quoted(name), model, "ControlNets", LaneAddons::controlnets);
        }
        if (!spec.refinerSwitchAt().isEmpty()) {
            List<LaneView> without = lacking(known, a -> a.refiner() != null);
            if (!without.isEmpty()) {
                errors.add(new FieldError("refiner_switch_at", (without.size() == known.size()
                        ? "no live lane of model " + model + " has a refiner" : "lanes " + lanes(without)
                        + " of model " + model + " have no refiner") + "; the refiner hand-off needs one pinned on "
                        + "every lane of the model (sweepfarm.worker.refiner-paths.<model>)"));
            }
        }
        boolean depthMaps = !spec.depthMaps().isEmpty();
        List<LaneView> mismatched = lacking(known, a -> a.depth() == depthMaps);
        if (!mismatched.isEmpty()) {
            String which = mismatched.size() == known.size() ? "model " + model + " is"
                    : "lanes " + lanes(mismatched) + " of model " + model + " serve";
            errors.add(new FieldError("depth_maps", depthMaps
                    ? which + " not a depth-to-image model (a U-Net with 5 input channels): depth maps need one"
                    : which + " a depth-to-image model: each image needs depth_maps (with init_images)"));
        }
        if (spec.mask() == null) {
            List<LaneView> inpainting = lacking(known, a -> !a.inpainting());
            if (!inpainting.isEmpty()) {
                errors.add(new FieldError("mask", (inpainting.size() == known.size() ? "model " + model + " is"
                        : "lanes " + lanes(inpainting) + " of model " + model + " serve")
                        + " an inpainting model (a U-Net with 9 input channels): each image needs init_images and "
                        + "a mask"));
            }
        }
        return errors;
    }

    /**
     * Adds an error for {@code field} when a lane lacks {@code what}: none has it (listing what they offer), or some
     * lack it (naming them and listing what every lane offers).
     */
    private static void need(List<FieldError> errors, String field, List<LaneView> known,
            Function<LaneAddons, Boolean> has, String what, String model, String kind,
            Function<LaneAddons, List<String>> offered) {
        List<LaneView> without = lacking(known, a -> !Boolean.FALSE.equals(has.apply(a)));
        if (without.isEmpty()) {
            return;
        }
        List<String> common = offeredByAll(known, offered);
        String offer = common.isEmpty() ? "none" : names(common);
        errors.add(new FieldError(field, without.size() == known.size()
                ? "no live lane of model " + model + " has " + what + "; " + kind + " on its lanes: " + offer
                : what + " is missing on lanes " + lanes(without) + " of model " + model + ", which would fail "
                + "their share of the images; " + kind + " on every live lane: " + offer));
    }

    /** The known lanes whose add-ons do not satisfy {@code ok}. */
    private static List<LaneView> lacking(List<LaneView> known, Predicate<LaneAddons> ok) {
        return known.stream().filter(l -> !ok.test(l.addons())).toList();
    }

    /** The names every lane that lists them offers, in order. */
    private static List<String> offeredByAll(List<LaneView> known, Function<LaneAddons, List<String>> offered) {
        List<List<String>> lists = known.stream().map(l -> offered.apply(l.addons())).filter(Objects::nonNull)
                .toList();
        if (lists.isEmpty()) {
            return List.of();
        }
        return lists.get(0).stream().filter(n -> lists.stream().allMatch(l -> l.contains(n))).toList();
    }

    private static String lanes(List<LaneView> lanes) {
        return names(lanes.stream().map(LaneView::laneId).toList());
    }

    /** Up to {@link #MAX_NAMED} names, comma-separated, safe to show (control characters escaped). */
    private static String names(List<String> names) {
        String shown = String.join(", ", names.subList(0, Math.min(MAX_NAMED, names.size())));
        return LaneHeartbeat.operatorText(shown) + (names.size() > MAX_NAMED ? " and " + (names.size() - MAX_NAMED)
                + " more" : "");
    }
}
