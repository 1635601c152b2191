package io.sweepfarm.engine;

import java.nio.file.Path;

/**
 * What an engine loads: a model folder and, optionally, an SDXL refiner folder pinned beside it, a folder of
 * ControlNets ({@code <name>/model.onnx}) and a folder of LoRAs ({@code <name>.safetensors}).
 *
 * @param model          the model folder (diffusers/optimum ONNX layout)
 * @param refiner        an SDXL refiner folder for the refiner hand-off, or null
 * @param controlNets    the ControlNet folder, or null
 * @param loras          the LoRA folder, or null
 * @param loraCacheSize  model variants with LoRAs applied kept loaded at once (each holds its own U-Net and text
 *                       encoder sessions), at least 1
 */
public record EngineConfig(Path model, Path refiner, Path controlNets, Path loras, int loraCacheSize) {

    public EngineConfig {
        if (model == null) {
            throw new IllegalArgumentException("an engine needs a model folder");
        }
        if (loraCacheSize < 1) {
            throw new IllegalArgumentException("loraCacheSize must be at least 1, got " + loraCacheSize);
        }
    }

    /** Just a model folder. */
    public static EngineConfig of(Path model) {
        return new EngineConfig(model, null, null, null, 1);
    }

    public EngineConfig withRefiner(Path dir) {
        return new EngineConfig(model, dir, controlNets, loras, loraCacheSize);
    }

    public EngineConfig withControlNets(Path dir) {
        return new EngineConfig(model, refiner, dir, loras, loraCacheSize);
    }

    public EngineConfig withLoras(Path dir, int cacheSize) {
        return new EngineConfig(model, refiner, controlNets, dir, cacheSize);
    }
}
