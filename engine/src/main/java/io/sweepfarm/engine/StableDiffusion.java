package io.sweepfarm.engine;

import io.sweepfarm.engine.model.Closeables;
import io.sweepfarm.engine.model.SessionFactory;
import io.sweepfarm.engine.model.StableDiffusionModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The engine's entry point: one model folder (with its optional refiner, ControlNets and LoRAs) loaded on one
 * device, ready to generate images.
 *
 * <pre>{@code
 * try (StableDiffusion sd = StableDiffusion.open(Path.of("models/sd15"), SessionFactory.cpu(0))) {
 *     GeneratedImage img = sd.generate(List.of(ImageRequest.txt2img("a red fox", "", 7.5, 20,
 *             SamplerType.EULER_A, 42, 512, 512))).get(0);
 * }
 * }</pre>
 *
 * Owns the models' sessions; {@link #close()} releases them. Not thread-safe: one instance per rendering thread.
 */
public final class StableDiffusion implements AutoCloseable {

    private final StableDiffusionModel model;
    private final StableDiffusionModel refiner;
    private final ControlNets controlNets;
    private final Loras loras;
    private final DiffusionPipeline pipeline;

    private StableDiffusion(StableDiffusionModel model, StableDiffusionModel refiner, ControlNets controlNets,
            Loras loras, DiffusionPipeline pipeline) {
        this.model = model;
        this.refiner = refiner;
        this.controlNets = controlNets;
        this.loras = loras;
        this.pipeline = pipeline;
    }

    /** Loads a model folder alone; see {@link #open(EngineConfig, SessionFactory)}. */
    public static StableDiffusion open(Path modelDir, SessionFactory sessions) {
        return open(EngineConfig.of(modelDir), sessions);
    }

    /**
     * Loads the model folder (diffusers/optimum ONNX layout) and its refiner with sessions from {@code sessions};
     * ControlNets load on first use. Fails with a {@link io.sweepfarm.engine.model.ModelLoadException} naming the
     * file that is missing or wrong, or a {@link io.sweepfarm.engine.model.DeviceUnavailableException} naming what
     * the device lacks.
     */
    public static StableDiffusion open(EngineConfig config, SessionFactory sessions) {
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            StableDiffusionModel model = add(opened, StableDiffusionModel.load(config.model(), sessions));
            StableDiffusionModel refiner = config.refiner() == null ? null
                    : add(opened, StableDiffusionModel.load(config.refiner(), sessions));
            if (refiner != null && refiner.family() != StableDiffusionModel.Family.SDXL_REFINER) {
                throw new io.sweepfarm.engine.model.ModelLoadException(config.refiner() + ": not an SDXL refiner "
                        + "folder (it should hold text_encoder_2/ and no text_encoder/)");
            }
            ControlNets nets = config.controlNets() == null ? ControlNets.none()
                    : add(opened, ControlNets.in(config.controlNets(), sessions));
            Loras loras = config.loras() == null ? Loras.none()
                    : add(opened, Loras.in(config.loras(), sessions, config.loraCacheSize()));
            DiffusionPipeline pipeline = new DiffusionPipeline(Stage.of(model),
                    refiner == null ? null : Stage.of(refiner), nets, loras);
            return new StableDiffusion(model, refiner, nets, loras, pipeline);
        } catch (RuntimeException e) {
            throw Closeables.closeAfter(e, opened);
        }
    }

    private static <T extends AutoCloseable> T add(List<AutoCloseable> opened, T c) {
        opened.add(c);
        return c;
    }

    /**
     * One image per request, in order. Requests that can share U-Net calls ({@link ImageRequest#batchKey()}) are
     * rendered together; the others in turn.
     */
    public List<GeneratedImage> generate(List<ImageRequest> requests) {
        Map<ImageRequest.BatchKey, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < requests.size(); i++) {
            groups.computeIfAbsent(requests.get(i).batchKey(), k -> new ArrayList<>()).add(i);
        }
        GeneratedImage[] out = new GeneratedImage[requests.size()];
        for (List<Integer> group : groups.values()) {
            List<GeneratedImage> images = pipeline.generate(group.stream().map(requests::get).toList());
            for (int j = 0; j < group.size(); j++) {
                out[group.get(j)] = images.get(j);
            }
        }
        return Arrays.asList(out);
    }

    public StableDiffusionModel model() {
        return model;
    }

    /**
     * Names of the LoRAs in the LoRA folder, sorted; none without one. Lists the folder on each call (files added
     * later are found); may be called from any thread.
     */
    public List<String> loraNames() {
        return loras.names();
    }

    /**
     * Names of the ControlNets this engine can use, sorted: the ControlNet folder's, or none when there is no folder
     * or the model's U-Net takes no ControlNet residuals. Lists the folder on each call; may be called from any
     * thread.
     */
    public List<String> controlNetNames() {
        return model.unet().residualInputs() == 0 ? List.of() : controlNets.names();
    }

    /** How many LoRA variants (patched weights and their sessions) were built since the engine opened. */
    public int loraVariantsBuilt() {
        return loras.variantsBuilt();
    }

    @Override
    public void close() {
        Closeables.closeAll(loras, controlNets, refiner, model);
    }
}
