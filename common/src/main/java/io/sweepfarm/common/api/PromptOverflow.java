package io.sweepfarm.common.api;

/** What to do with a prompt longer than the text encoder's 75-token window. */
public enum PromptOverflow {
    /** Keep the first 75 tokens and record a warning on the image (diffusers' behaviour). */
    TRUNCATE,
    /** Encode 75-token chunks separately and concatenate them (AUTOMATIC1111's behaviour). */
    CHUNK
}
