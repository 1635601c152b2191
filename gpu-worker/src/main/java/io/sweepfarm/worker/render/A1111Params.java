package io.sweepfarm.worker.render;

import io.sweepfarm.common.png.InfoText;
import io.sweepfarm.engine.ControlNetUnit;
import io.sweepfarm.engine.HiresFix;
import io.sweepfarm.engine.ImageRequest;
import io.sweepfarm.engine.LoraWeight;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What AUTOMATIC1111 writes for the modes beyond txt2img/img2img, from the engine request that was rendered: LoRAs as
 * {@code <lora:name:scale>} tags after the prompt (A1111 keeps the tags the user typed; reading them back applies the
 * LoRAs), and, after the core parameters, "Hires upscale", "Hires steps" (when set), "Hires upscaler", "Refiner",
 * "Refiner switch at" and one "ControlNet N" entry per unit (sd-webui-controlnet's keys: Module, Model, Weight,
 * Guidance Start, Guidance End). SDXL itself adds no key: A1111 writes an SDXL image's size and model like any
 * other's. The hires fix's strength is A1111's "Denoising strength".
 */
final class A1111Params {

    private A1111Params() {
    }

    /** The prompt as A1111 records it: with a {@code <lora:name:scale>} tag per LoRA. */
    static String prompt(ImageRequest r) {
        StringBuilder sb = new StringBuilder(r.prompt());
        for (LoraWeight l : r.loras()) {
            sb.append(sb.length() == 0 ? "" : " ").append("<lora:").append(l.name()).append(':')
                    .append(InfoText.number(l.scale())).append('>');
        }
        return sb.toString();
    }

    /** The "Denoising strength": img2img's, or the hires pass's. */
    static Double denoisingStrength(ImageRequest r) {
        return r.hires() != null ? Double.valueOf(r.hires().strength()) : r.strength();
    }

    /**
     * @param refinerName the refiner model's name as the worker serves it, or null when unknown
     */
    static Map<String, String> extra(ImageRequest r, String refinerName) {
        Map<String, String> m = new LinkedHashMap<>();
        HiresFix h = r.hires();
        if (h != null) {
            m.put("Hires upscale", InfoText.number(h.scale()));
            if (h.steps() > 0) {
                m.put("Hires steps", Integer.toString(h.steps()));
            }
            m.put("Hires upscaler", h.upscaler().infotextName());
        }
        if (r.refiner() != null) {
            if (refinerName != null) {
                m.put("Refiner", refinerName);
            }
            m.put("Refiner switch at", InfoText.number(r.refiner().switchAt()));
        }
        for (int i = 0; i < r.controlNets().size(); i++) {
            ControlNetUnit u = r.controlNets().get(i);
            m.put("ControlNet " + i, "Module: none, Model: " + u.name() + ", Weight: " + InfoText.number(u.scale())
                    + ", Guidance Start: " + InfoText.number(u.guidanceStart()) + ", Guidance End: "
                    + InfoText.number(u.guidanceEnd()));
        }
        return m;
    }
}
