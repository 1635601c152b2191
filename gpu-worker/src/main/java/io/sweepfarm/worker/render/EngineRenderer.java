package io.sweepfarm.worker.render;

import io.sweepfarm.common.api.LaneAddons;
import io.sweepfarm.common.messaging.RenderTask;
import io.sweepfarm.engine.EngineConfig;
import io.sweepfarm.engine.GeneratedImage;
import io.sweepfarm.engine.ImageRequest;
import io.sweepfarm.engine.StableDiffusion;
import io.sweepfarm.engine.model.DeviceSpec;
import io.sweepfarm.engine.model.SessionFactory;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The worker's {@link Renderer}: adapts tasks into engine requests ({@link TaskRequests}) and runs them on one model
 * loaded on one device. Each rendered outcome carries the engine request it was rendered from, which is what the PNG
 * infotext and the S3 metadata are built from.
 */
public final class EngineRenderer implements Renderer {

    private final String name;
    private final DeviceSpec device;
    private final StableDiffusion engine;
    private final String refinerName;

    private EngineRenderer(String name, DeviceSpec device, StableDiffusion engine, String refinerName) {
        this.name = name;
        this.device = device;
        this.engine = engine;
        this.refinerName = refinerName;
    }

    /** Loads a model folder alone on the device; see {@link #open(String, EngineConfig, DeviceSpec, int)}. */
    public static EngineRenderer open(String name, Path modelDir, DeviceSpec device, int intraOpThreads) {
        return open(name, EngineConfig.of(modelDir), device, intraOpThreads);
    }

    /**
     * Loads the model folder, with its refiner, ControlNet and LoRA folders when configured, on the device. Fails,
     * naming the file or the missing library, when a model or the device cannot be used. The refiner is named in
     * infotexts by its folder's name.
     */
    public static EngineRenderer open(String name, EngineConfig config, DeviceSpec device, int intraOpThreads) {
        return new EngineRenderer(name, device,
                StableDiffusion.open(config, new SessionFactory(device, intraOpThreads)),
                config.refiner() == null ? null : String.valueOf(config.refiner().getFileName()));
    }

    @Override
    public List<RenderOutcome> render(List<RenderTask> batch, Map<String, BufferedImage> inputs) {
        List<ImageRequest> requests = new ArrayList<>(batch.size());
        for (RenderTask t : batch) {
            if (!name.equalsIgnoreCase(t.model())) {
                return rejectAll(batch, "task for model '" + t.model() + "' reached a lane serving '" + name
                        + "'; check the workers' sweepfarm.worker.model");
            }
            TaskRequests.Mapped mapped = TaskRequests.toRequest(t, inputs);
            if (mapped.rejection() != null) {
                return rejectAll(batch, mapped.rejection());
            }
            requests.add(mapped.request());
        }
        try {
            List<GeneratedImage> images = engine.generate(requests);
            List<RenderOutcome> out = new ArrayList<>(images.size());
            for (GeneratedImage g : images) {
                out.add(new RenderOutcome.Rendered(g.image(), g.request(), g.warnings(),
                        g.request().refiner() == null ? null : refinerName));
            }
            return out;
        } catch (IllegalArgumentException e) {
            return rejectAll(batch, e.getMessage());
        }
    }

    private static List<RenderOutcome> rejectAll(List<RenderTask> batch, String reason) {
        List<RenderOutcome> out = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            out.add(new RenderOutcome.Rejected(reason));
        }
        return out;
    }

    /** A folder that cannot be listed is announced as unknown (null), not as empty. */
    @Override
    public LaneAddons addons() {
        return new LaneAddons(listed(engine::loraNames), listed(engine::controlNetNames), refinerName,
                engine.model().isDepth(), engine.model().isInpainting());
    }

    private static List<String> listed(java.util.function.Supplier<List<String>> names) {
        try {
            return names.get();
        } catch (java.io.UncheckedIOException e) {
            return null;
        }
    }

    @Override
    public String describe() {
        return name + " on " + device;
    }

    @Override
    public void close() {
        engine.close();
    }
}
