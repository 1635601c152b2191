package io.sweepfarm.engine;

import io.sweepfarm.engine.model.StableDiffusionModel;
import io.sweepfarm.engine.model.TextEncoder;
import io.sweepfarm.engine.model.UNet;
import io.sweepfarm.engine.scheduler.SchedulerConfig;
import io.sweepfarm.engine.tokenizer.ClipTokenizer;
import io.sweepfarm.engine.tokenizer.PromptTokenizer;

/**
 * One model as a stage of a render: its weights, its text conditioning and its scheduler config. A render has a
 * base stage and, for SDXL's refiner hand-off, a refiner stage.
 */
record Stage(StableDiffusionModel model, TextConditioner text, SchedulerConfig scheduler, UNet unet) {

    /** The stage of a loaded model folder, with the tokenizers its family uses. */
    static Stage of(StableDiffusionModel model) {
        PromptTokenizer first = model.family() == StableDiffusionModel.Family.SDXL_REFINER ? null
                : new PromptTokenizer(ClipTokenizer.load(model.directory(), "tokenizer"));
        PromptTokenizer second = model.family() == StableDiffusionModel.Family.SD ? null
                : new PromptTokenizer(ClipTokenizer.load(model.directory(), "tokenizer_2"));
        return of(model, first, second, SchedulerConfig.read(model.schedulerConfig()));
    }

    /** The stage of a loaded model with the given tokenizers and scheduler config. */
    static Stage of(StableDiffusionModel model, PromptTokenizer first, PromptTokenizer second,
            SchedulerConfig scheduler) {
        return new Stage(model, new TextConditioner(model.family(), model.textEncoder(), model.textEncoder2(), first,
                second), scheduler, model.unet());
    }

    /** This stage with other weights (LoRA-patched sessions); a null argument keeps the model's own. */
    Stage withWeights(UNet patchedUnet, TextEncoder first, TextEncoder second) {
        return new Stage(model, text.withEncoders(first != null ? first : model.textEncoder(),
                second != null ? second : model.textEncoder2()), scheduler,
                patchedUnet != null ? patchedUnet : model.unet());
    }

    boolean sdxl() {
        return model.family() != StableDiffusionModel.Family.SD;
    }
}
