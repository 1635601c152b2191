package io.sweepfarm.engine;

import io.sweepfarm.engine.model.StableDiffusionModel;
import io.sweepfarm.engine.scheduler.SchedulerConfig;
import io.sweepfarm.engine.tokenizer.ClipTokenizer;
import io.sweepfarm.engine.tokenizer.PromptTokenizer;

/**
 * One model as a stage of a render: its weights, its text conditioning and its scheduler config. A render has a
 * base stage and, for SDXL's refiner hand-off, a refiner stage.
 */
record Stage(StableDiffusionModel model, TextConditioner text, SchedulerConfig scheduler) {

    /** The stage of a loaded model folder, with the tokenizers its family uses. */
    static Stage of(StableDiffusionModel model) {
        PromptTokenizer first = model.family() == StableDiffusionModel.Family.SDXL_REFINER ? null
                : new PromptTokenizer(ClipTokenizer.load(model.directory(), "tokenizer"));
        PromptTokenizer second = model.family() == StableDiffusionModel.Family.SD ? null
                : new PromptTokenizer(ClipTokenizer.load(model.directory(), "tokenizer_2"));
        return new Stage(model, new TextConditioner(model, first, second), SchedulerConfig.read(model.schedulerConfig()));
    }

    boolean sdxl() {
        return model.family() != StableDiffusionModel.Family.SD;
    }
}
