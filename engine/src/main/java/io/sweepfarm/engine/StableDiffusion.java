package io.sweepfarm.engine;

import io.sweepfarm.engine.model.SessionFactory;
import io.sweepfarm.engine.model.StableDiffusionModel;
import io.sweepfarm.engine.scheduler.SchedulerConfig;
import io.sweepfarm.engine.scheduler.SchedulerConfig;
import io.sweepfarm.engine.tokenizer.ClipTokenizer;
import io.sweepfarm.engine.tokenizer.PromptTokenizer;
import java.nio.file.Path;
import java.util.List;

/**
 * The engine's entry point: one model folder loaded on one device, ready to generate images.
 *
 * <pre>{@code
 * try (StableDiffusion sd = StableDiffusion.open(Path.of("models/sd15"), SessionFactory.cpu(0))) {
 *     GeneratedImage img = sd.generate(List.of(ImageRequest.txt2img("a red fox", "", 7.5, 20,
 *             SamplerType.EULER_A, 42, 512, 512))).get(0);
 * }
 * }</pre>
 *
 * Owns the model's sessions; {@link #close()} releases them. Not thread-safe: one instance per rendering thread.
 */
public final class StableDiffusion implements AutoCloseable {

    private final StableDiffusionModel model;
    private final DiffusionPipeline pipeline;

    private StableDiffusion(StableDiffusionModel model, DiffusionPipeline pipeline) {
        this.model = model;
        this.pipeline = pipeline;
    }

    /**
     * Loads the model folder (diffusers/optimum ONNX layout) with sessions from {@code sessions}. Fails with a
     * {@link io.sweepfarm.engine.model.ModelLoadException} naming the file that is missing or wrong, or a
     * {@link io.sweepfarm.engine.model.DeviceUnavailableException} naming what the device lacks.
     */
    public static StableDiffusion open(Path modelDir, SessionFactory sessions) {
        StableDiffusionModel model = StableDiffusionModel.load(modelDir, sessions);
        try {
            PromptTokenizer tokenizer = new PromptTokenizer(ClipTokenizer.load(model.directory()));
            SchedulerConfig config = SchedulerConfig.read(model.schedulerConfig());
            return new StableDiffusion(model, new DiffusionPipeline(model, tokenizer, config));
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** One image per request, in order; see {@link DiffusionPipeline#generate} for what a batch must share. */
    public List<GeneratedImage> generate(List<ImageRequest> requests) {
        return pipeline.generate(requests);
    }

    public StableDiffusionModel model() {
        return model;
    }

    @Override
    public void close() {
        model.close();
    }
}
