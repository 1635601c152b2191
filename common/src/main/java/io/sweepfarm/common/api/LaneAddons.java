package io.sweepfarm.common.api;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What a worker lane can use beyond its model's plain txt2img/img2img, as its heartbeats announce it once the model
 * is loaded ({@link io.sweepfarm.common.messaging.LaneHeartbeat#addons()}) and the fleet view shows it. The
 * coordinator refuses a sweep that names a LoRA, ControlNet or refiner that a live lane of its model lacks, or whose
 * depth maps or mask do not fit the model's U-Net, since every such image would fail on that lane.
 *
 * @param loras       LoRA names in the lane's LoRA folder ({@code <name>.safetensors}), sorted; empty without a
 *                    folder; null when the folder holds more than {@link #MAX_LISTED} (not listed: unknown)
 * @param controlnets ControlNet names in the lane's ControlNet folder ({@code <name>/model.onnx}), sorted; empty
 *                    without a folder or when the model's U-Net was exported without ControlNet residual inputs;
 *                    null when there are more than {@link #MAX_LISTED}
 * @param refiner     the SDXL refiner pinned on the lane, named by its folder (as in infotexts), or null
 * @param depth       the model is a depth-to-image model (5-channel U-Net): every image needs a depth map
 * @param inpainting  the model is an inpainting model (9-channel U-Net): every image needs an init image and a mask
 */
public record LaneAddons(List<String> loras, List<String> controlnets, String refiner, boolean depth,
        boolean inpainting) {

    /** Most names a heartbeat lists of each kind: it must stay far below Kafka's record size limit. */
    public static final int MAX_LISTED = 1000;

    public LaneAddons {
        loras = listed(loras);
        controlnets = listed(controlnets);
    }

    /** The lane offers LoRA {@code name}: true, false, or null when its list is unknown. */
    public Boolean hasLora(String name) {
        return loras == null ? null : loras.contains(name);
    }

    /** The lane offers ControlNet {@code name}: true, false, or null when its list is unknown. */
    public Boolean hasControlNet(String name) {
        return controlnets == null ? null : controlnets.contains(name);
    }

    /** One line for tables: {@code LoRAs: a, b; ControlNets: c; refiner: r; depth model}; empty when none. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        part(sb, "LoRAs", loras);
        part(sb, "ControlNets", controlnets);
        if (refiner != null) {
            sb.append(sb.isEmpty() ? "" : "; ").append("refiner: ").append(refiner);
        }
        if (depth) {
            sb.append(sb.isEmpty() ? "" : "; ").append("depth model");
        }
        if (inpainting) {
            sb.append(sb.isEmpty() ? "" : "; ").append("inpainting model");
        }
        return sb.toString();
    }

    private static void part(StringBuilder sb, String label, List<String> names) {
        if (names != null && names.isEmpty()) {
            return;
        }
        sb.append(sb.isEmpty() ? "" : "; ").append(label).append(": ")
                .append(names == null ? "more than " + MAX_LISTED : String.join(", ", names));
    }

    /** Sorted and without duplicates; more than {@link #MAX_LISTED} names become null (unknown). */
    private static List<String> listed(List<String> names) {
        if (names == null || names.size() > MAX_LISTED) {
            return null;
        }
        return names.stream().filter(java.util.Objects::nonNull).distinct().sorted().collect(Collectors.toUnmodifiableList());
    }
}
