package io.sweepfarm.worker.engine.tokenizer;

/** What to do with a prompt longer than one encoder context (75 tokens between start and end token). */
public enum LongPromptMode {

    /**
     * Keep the first 75 tokens in one chunk, like diffusers' standard pipelines; a warning says how many tokens were
     * dropped. {@code BREAK} is ignored (with a warning).
     */
    TRUNCATE,

    /**
     * AUTOMATIC1111's behaviour: split into 75-token chunks (preferring to break after a comma near the end of a
     * chunk, and at {@code BREAK}); each chunk is encoded separately and the results are concatenated along the
     * sequence axis.
     */
    CHUNK
}
