package io.sweepfarm.engine.lora;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A LoRA read from a {@code .safetensors} file: its modules, each a low-rank update {@code up · down} of one weight,
 * with the module named as the file names it. Two key styles are read:
 * <ul>
 *   <li>kohya (sd-scripts, A1111): {@code lora_unet_<path>.lora_down.weight}, {@code .lora_up.weight},
 *       {@code .alpha}, the module path with {@code _} for {@code .}; text encoders {@code lora_te_} (SD 1.x/2.x),
 *       {@code lora_te1_} and {@code lora_te2_} (SDXL);</li>
 *   <li>diffusers / PEFT: {@code unet.<path>.lora_A.weight} and {@code .lora_B.weight} (older diffusers:
 *       {@code .lora.down.weight}, {@code .lora.up.weight}), optionally {@code .alpha}; text encoders
 *       {@code text_encoder.} and {@code text_encoder_2.}; a bare PEFT adapter's {@code base_model.model.} prefix is
 *       read as the U-Net.</li>
 * </ul>
 * A module without alpha has {@code alpha = rank} (scale 1), as both tools save it.
 */
public final class LoraFile {

    /** Which model a module patches. */
    public enum Target {
        UNET("unet/model.onnx"), TEXT_ENCODER("text_encoder/model.onnx"), TEXT_ENCODER_2("text_encoder_2/model.onnx");

        private final String file;

        Target(String file) {
            this.file = file;
        }

        /** The model file relative to the model folder. */
        public String file() {
            return file;
        }
    }

    /**
     * One low-rank update.
     *
     * @param key    the module's key as the file spells it (without the weight suffixes), for messages
     * @param target the model it patches
     * @param path   the module path: dotted ({@code down_blocks.0.attentions.0...}) or, for kohya, underscored
     * @param kohya  true when {@code path} is underscored
     * @param down   [rank, in...] ({@code lora_down} / {@code lora_A})
     * @param up     [out, rank...] ({@code lora_up} / {@code lora_B})
     * @param alpha  the file's alpha, or the rank when it has none
     */
    public record Module(String key, Target target, String path, boolean kohya, SafeTensors.Tensor down,
            SafeTensors.Tensor up, float alpha) {

        public int rank() {
            return down.dim(0);
        }
    }

    private final String name;
    private final List<Module> modules;

    private LoraFile(String name, List<Module> modules) {
        this.name = name;
        this.modules = List.copyOf(modules);
    }

    public String name() {
        return name;
    }

    public List<Module> modules() {
        return modules;
    }

    /** Reads {@code file}; fails naming the first key that fits neither style. */
    public static LoraFile read(String name, Path file) {
        Map<String, SafeTensors.Tensor> tensors = SafeTensors.read(file);
        Map<String, SafeTensors.Tensor[]> parts = new LinkedHashMap<>();
        Map<String, Float> alphas = new LinkedHashMap<>();
        for (Map.Entry<String, SafeTensors.Tensor> e : tensors.entrySet()) {
            String key = e.getKey();
            String module;
            int slot;
            if ((module = strip(key, ".lora_down.weight", ".lora_A.weight", ".lora.down.weight")) != null) {
                slot = 0;
            } else if ((module = strip(key, ".lora_up.weight", ".lora_B.weight", ".lora.up.weight")) != null) {
                slot = 1;
            } else if ((module = strip(key, ".alpha")) != null) {
                alphas.put(module, e.getValue().values()[0]);
                continue;
            } else {
                throw new IllegalArgumentException("LoRA '" + name + "': key '" + key + "' is neither a kohya "
                        + "(lora_down/lora_up/alpha) nor a diffusers/PEFT (lora_A/lora_B) LoRA key");
            }
            parts.computeIfAbsent(module, k -> new SafeTensors.Tensor[2])[slot] = e.getValue();
        }
        List<Module> modules = new ArrayList<>();
        for (Map.Entry<String, SafeTensors.Tensor[]> e : parts.entrySet()) {
            String key = e.getKey();
            SafeTensors.Tensor down = e.getValue()[0];
            SafeTensors.Tensor up = e.getValue()[1];
            if (down == null || up == null) {
                throw new IllegalArgumentException("LoRA '" + name + "': module '" + key + "' lacks its "
                        + (down == null ? "down (lora_A)" : "up (lora_B)") + " weight");
            }
            if (up.shape().length < 2 || up.dim(1) != down.dim(0)) {
                throw new IllegalArgumentException("LoRA '" + name + "': module '" + key + "' has up "
                        + java.util.Arrays.toString(up.shape()) + " and down " + java.util.Arrays.toString(down.shape())
                        + " of different ranks");
            }
            modules.add(module(name, key, down, up, alphas.getOrDefault(key, (float) down.dim(0))));
        }
        return new LoraFile(name, modules);
    }

    private static Module module(String name, String key, SafeTensors.Tensor down, SafeTensors.Tensor up,
            float alpha) {
        String[][] kohya = {{"lora_unet_", "UNET"}, {"lora_te1_", "TEXT_ENCODER"}, {"lora_te2_", "TEXT_ENCODER_2"},
            {"lora_te_", "TEXT_ENCODER"}};
        for (String[] k : kohya) {
            if (key.startsWith(k[0])) {
                return new Module(key, Target.valueOf(k[1]), key.substring(k[0].length()), true, down, up, alpha);
            }
        }
        String[][] dotted = {{"unet.", "UNET"}, {"text_encoder_2.", "TEXT_ENCODER_2"},
            {"text_encoder.", "TEXT_ENCODER"}, {"base_model.model.", "UNET"}};
        for (String[] d : dotted) {
            if (key.startsWith(d[0])) {
                return new Module(key, Target.valueOf(d[1]), key.substring(d[0].length()), false, down, up, alpha);
            }
        }
        throw new IllegalArgumentException("LoRA '" + name + "': key '" + key + "' names no model (expected a "
                + "lora_unet_/lora_te_ or unet./text_encoder. prefix)");
    }

    private static String strip(String key, String... suffixes) {
        for (String s : suffixes) {
            if (key.endsWith(s)) {
                return key.substring(0, key.length() - s.length());
            }
        }
        return null;
    }
}
