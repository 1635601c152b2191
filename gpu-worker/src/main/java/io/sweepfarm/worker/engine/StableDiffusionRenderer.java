package io.sweepfarm.worker.engine;

import io.sweepfarm.common.messaging.RenderTask;
import io.sweepfarm.common.sampler.SamplerId;
import io.sweepfarm.worker.engine.model.DeviceSpec;
import io.sweepfarm.worker.engine.model.SessionFactory;
import io.sweepfarm.worker.engine.model.StableDiffusionModel;
import io.sweepfarm.worker.engine.scheduler.SchedulerConfig;
import io.sweepfarm.worker.engine.scheduler.SchedulerConfigJson;
import io.sweepfarm.worker.engine.tokenizer.ClipTokenizer;
import io.sweepfarm.common.api.PromptOverflow;
import io.sweepfarm.worker.engine.tokenizer.PromptTokenizer;
import io.sweepfarm.worker.render.RenderOutcome;
import io.sweepfarm.worker.render.Renderer;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The worker's {@link Renderer}: maps tasks to engine requests and runs them through the {@link DiffusionPipeline}
 * of one model loaded on one device.
 */
public final class StableDiffusionRenderer implements Renderer {

    private final String name;
    private final DeviceSpec device;
    private final StableDiffusionModel model;
    private final DiffusionPipeline pipeline;

    private StableDiffusionRenderer(String name, DeviceSpec device, StableDiffusionModel model,
            DiffusionPipeline pipeline) {
        this.name = name;
        this.device = device;
        this.model = model;
        this.pipeline = pipeline;
    }

    /**
     * Loads the model folder on the device. Fails, naming the file or the missing library, when the model or the
     * device cannot be used.
     */
    public static StableDiffusionRenderer open(String name, Path modelDir, DeviceSpec device, int intraOpThreads) {
        SessionFactory sessions = new SessionFactory(device, intraOpThreads);
        StableDiffusionModel model = StableDiffusionModel.load(modelDir, sessions);
        try {
            PromptTokenizer tokenizer = new PromptTokenizer(ClipTokenizer.load(modelDir));
            SchedulerConfig config = SchedulerConfigJson.parse(java.nio.file.Files.readString(model.schedulerConfig()));
            return new StableDiffusionRenderer(name, device, model, new DiffusionPipeline(model, tokenizer, config));
        } catch (java.io.IOException e) {
            model.close();
            throw new java.io.UncheckedIOException("cannot read " + model.schedulerConfig() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    @Override
    public List<RenderOutcome> render(List<RenderTask> batch, Map<String, BufferedImage> inputs) {
        List<ImageRequest> requests = new ArrayList<>(batch.size());
        for (RenderTask t : batch) {
            if (!name.equalsIgnoreCase(t.model())) {
                return rejectAll(batch, "task for model '" + t.model() + "' reached a lane serving '" + name
                        + "'; check the workers' sweepfarm.worker.model");
            }
            SamplerId sampler = SamplerId.fromId(t.params().sampler()).orElse(null);
            if (sampler == null) {
                return rejectAll(batch, "unknown sampler '" + t.params().sampler() + "'; this worker knows: "
                        + SamplerId.allIds());
            }
            requests.add(toRequest(t, sampler, inputs));
        }
        try {
            List<GeneratedImage> images = pipeline.generate(requests);
            List<RenderOutcome> out = new ArrayList<>(images.size());
            for (GeneratedImage g : images) {
                out.add(new RenderOutcome.Rendered(g.image(), g.warnings()));
            }
            return out;
        } catch (IllegalArgumentException e) {
            return rejectAll(batch, e.getMessage());
        }
    }

    static ImageRequest toRequest(RenderTask task, SamplerId sampler, Map<String, BufferedImage> inputs) {
        var t = task.params();
        PromptOverflow mode = t.promptOverflow() == null ? PromptOverflow.TRUNCATE : t.promptOverflow();
        BufferedImage init = t.initImage() == null ? null : inputs.get(t.initImage());
        BufferedImage mask = t.mask() == null ? null : inputs.get(t.mask());
        Double strength = t.strength() != null ? t.strength() : (init != null ? Double.valueOf(1.0) : null);
        return new ImageRequest(t.prompt(), t.negativePrompt() == null ? "" : t.negativePrompt(), t.cfgScale(),
                t.steps(), sampler, t.seed(), t.width(), t.height(), t.noiseSource(), mode, init, strength, mask);
    }

    private static List<RenderOutcome> rejectAll(List<RenderTask> batch, String reason) {
        List<RenderOutcome> out = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            out.add(new RenderOutcome.Rejected(reason));
        }
        return out;
    }

    @Override
    public String describe() {
        return name + " on " + device;
    }

    @Override
    public void close() {
        model.close();
    }
}
