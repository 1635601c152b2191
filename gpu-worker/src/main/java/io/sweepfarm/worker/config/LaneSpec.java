package io.sweepfarm.worker.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One lane of a worker: a model, the folder it is loaded from, and the device it is pinned to.
 *
 * @param index     1-based position among the worker's lanes (part of the lane's id in results)
 * @param model     model name (its task topic)
 * @param modelPath model folder
 * @param device    {@code cpu} or {@code cuda:N}
 */
public record LaneSpec(int index, String model, Path modelPath, String device) {

    /** The lanes a configuration asks for, or an exception that says which setting to fix. */
    public static List<LaneSpec> of(WorkerConfig c) {
        return of(c.model(), c.modelPath(), c.device(), c.lanes(), c.modelPaths());
    }

    static List<LaneSpec> of(Optional<String> model, Optional<Path> modelPath, Optional<String> device,
            Optional<List<String>> lanes, Map<String, Path> modelPaths) {
        if (lanes.isEmpty() || lanes.get().isEmpty()) {
            String m = model.filter(v -> !v.isBlank()).orElseThrow(() -> new IllegalStateException(
                    "sweepfarm.worker.model is not set: name the model this worker serves (SWEEPFARM_WORKER_MODEL), "
                            + "or list lanes in sweepfarm.worker.lanes"));
            Path p = modelPath.orElseThrow(() -> new IllegalStateException("sweepfarm.worker.model-path is not set: "
                    + "point it at the model folder in the diffusers/optimum ONNX layout (SWEEPFARM_WORKER_MODEL_PATH)"));
            String d = device.filter(v -> !v.isBlank()).orElseThrow(() -> new IllegalStateException(
                    "sweepfarm.worker.device is not set: set it to cuda:N to render on GPU N, or to cpu to render "
                            + "on the CPU deliberately (SWEEPFARM_WORKER_DEVICE)"));
            return List.of(new LaneSpec(1, m, p, d));
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
            Path path = modelPaths.get(laneModel);
            if (path == null && model.filter(laneModel::equals).isPresent()) {
                path = modelPath.orElse(null);
            }
            if (path == null) {
                throw new IllegalStateException("lane " + entry + " has no model folder: set sweepfarm.worker."
                        + "model-paths." + laneModel + " to the folder of model " + laneModel);
            }
            out.add(new LaneSpec(out.size() + 1, laneModel, path, laneDevice));
        }
        return out;
    }

    /** The lane's id in results and logs: {@code <worker id>/<device>} and, with several lanes, {@code #index}. */
    public String id(String workerId, int laneCount) {
        return workerId + "/" + device + (laneCount > 1 ? "#" + index : "");
    }
}
