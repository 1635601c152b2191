package io.sweepfarm.engine.tokenizer;

/** What to do with a prompt longer than the text encoder's 75-token window. */
public enum PromptOverflow {

    /**
     * Keep the first 75 tokens in one chunk, as diffusers' standard pipelines do; a warning recorded on the image says
     * how many tokens were dropped. {@code BREAK} is ignored (with a warning).
     */
    TRUNCATE,

    /**
     * AUTOMATIC1111's behaviour: split into 75-token chunks (preferring to break after a comma near the end of a chunk,
     * and at {@code BREAK}); each chunk is encoded separately and the results are concatenated along the sequence axis.
     */
    CHUNK
}
