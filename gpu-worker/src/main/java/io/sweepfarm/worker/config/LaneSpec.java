package io.sweepfarm.worker.config;

import io.sweepfarm.engine.EngineConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One lane of a worker: a model, the folders it is loaded from, and the device it is pinned to.
 *
 * @param index          1-based position among the worker's lanes (part of the lane's id in results)
 * @param model          model name (its task topic)
 * @param modelPath      model folder
 * @param device         {@code cpu} or {@code cuda:N}
 * @param refinerPath    SDXL refiner folder, or null
 * @param controlNetPath ControlNet folder, or null
 * @param loraPath       LoRA folder, or null
 * @param loraCacheSize  LoRA variants kept loaded, at least 1
 */
public record LaneSpec(int index, String model, Path modelPath, String device, Path refinerPath,
        Path controlNetPath, Path loraPath, int loraCacheSize) {

    /** A lane of a model folder alone. */
    public LaneSpec(int index, String model, Path modelPath, String device) {
        this(index, model, modelPath, device, null, null, null, 1);
    }

    /** Folders beside a lane's model folder: refiner, ControlNets, LoRAs. */
    record Extras(Optional<Path> refinerPath, Map<String, Path> refinerPaths, Optional<Path> controlnetPath,
            Map<String, Path> controlnetPaths, Optional<Path> loraPath, Map<String, Path> loraPaths,
            int loraCacheSize) {

        static final Extras NONE = new Extras(Optional.empty(), Map.of(), Optional.empty(), Map.of(),
                Optional.empty(), Map.of(), 1);
    }

    /** What the engine loads for this lane. */
    public EngineConfig engine() {
        return EngineConfig.of(modelPath).withRefiner(refinerPath).withControlNets(controlNetPath)
                .withLoras(loraPath, loraCacheSize);
    }

    /** The lanes a configuration asks for, or an exception that says which setting to fix. */
    public static List<LaneSpec> of(WorkerConfig c) {
        return of(c.model(), c.modelPath(), c.device(), c.lanes(), c.modelPaths(), new Extras(c.refinerPath(),
                c.refinerPaths(), c.controlnetPath(), c.controlnetPaths(), c.loraPath(), c.loraPaths(),
                c.loraCacheSize()));
    }

    static List<LaneSpec> of(Optional<String> model, Optional<Path> modelPath, Optional<String> device,
            Optional<List<String>> lanes, Map<String, Path> modelPaths) {
        return of(model, modelPath, device, lanes, modelPaths, Extras.NONE);
    }

    /**
     * Each lane's extra folders are {@code <setting>-paths.<model>}, or the single-lane {@code <setting>-path} for the
     * lane of {@code sweepfarm.worker.model}, as for model folders.
     */
    static List<LaneSpec> of(Optional<String> model, Optional<Path> modelPath, Optional<String> device,
            Optional<List<String>> lanes, Map<String, Path> modelPaths, Extras x) {
        if (x.loraCacheSize() < 1) {
            throw new IllegalStateException("sweepfarm.worker.lora-cache-size must be at least 1, not "
                    + x.loraCacheSize());
        }
        if (lanes.isEmpty() || lanes.get().isEmpty()) {
            String m = model.filter(v -> !v.isBlank()).orElseThrow(() -> new IllegalStateException(
                    "sweepfarm.worker.model is not set: name the model this worker serves (SWEEPFARM_WORKER_MODEL), "
                            + "or list lanes in sweepfarm.worker.lanes"));
            Path p = modelPath.orElseThrow(() -> new IllegalStateException("sweepfarm.worker.model-path is not set: "
                    + "point it at the model folder in the diffusers/optimum ONNX layout (SWEEPFARM_WORKER_MODEL_PATH)"));
            String d = device.filter(v -> !v.isBlank()).orElseThrow(() -> new IllegalStateException(
                    "sweepfarm.worker.device is not set: set it to cuda:N to render on GPU N, or to cpu to render "
                            + "on the CPU deliberately (SWEEPFARM_WORKER_DEVICE)"));
            return List.of(lane(1, m, p, d, model, x));
        }
        List<LaneSpec> out = new ArrayList<>();
        for (String entry : lanes.get()) {
            int at = entry.indexOf('@');
            if (at <= 0 || at == entry.length() - 1) {
                throw new IllegalStateException("sweepfarm.worker.lanes entry '" + entry
                        + "' is not model@device (e.g. sd15@cuda:0 or tiny@cpu)");
            }
            String laneModel = entry.substring(0, at).trim();
            String laneDevice = entry.substring(at + 1).trim();
            Path path = folder(laneModel, modelPaths, modelPath, model);
            if (path == null) {
                throw new IllegalStateException("lane " + entry + " has no model folder: set sweepfarm.worker."
                        + "model-paths." + laneModel + " to the folder of model " + laneModel);
            }
            out.add(lane(out.size() + 1, laneModel, path, laneDevice, model, x));
        }
        return out;
    }

    private static LaneSpec lane(int index, String laneModel, Path path, String device, Optional<String> model,
            Extras x) {
        return new LaneSpec(index, laneModel, path, device, folder(laneModel, x.refinerPaths(), x.refinerPath(), model),
                folder(laneModel, x.controlnetPaths(), x.controlnetPath(), model),
                folder(laneModel, x.loraPaths(), x.loraPath(), model), x.loraCacheSize());
    }

    /** The lane model's folder in {@code byModel}, else {@code single} when the lane serves the single-lane model. */
    private static Path folder(String laneModel, Map<String, Path> byModel, Optional<Path> single,
            Optional<String> model) {
        Path p = byModel.get(laneModel);
        if (p == null && model.filter(laneModel::equals).isPresent()) {
            p = single.orElse(null);
        }
        return p;
    }

    /** The lane's id in results and logs: {@code <worker id>/<device>} and, with several lanes, {@code #index}. */
    public String id(String workerId, int laneCount) {
        return workerId + "/" + device + (laneCount > 1 ? "#" + index : "");
    }
}
