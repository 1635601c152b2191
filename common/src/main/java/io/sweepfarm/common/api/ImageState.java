package io.sweepfarm.common.api;

/** Where one image of a sweep stands. Terminal states: {@link #SUCCEEDED}, {@link #FAILED}, {@link #CANCELLED}. */
public enum ImageState {
    /** Stored, not yet released to a worker (waiting for capacity, or its sweep is paused). */
    PENDING,
    /** Released to Kafka as a task; a worker will render it. */
    QUEUED,
    /** Rendered and stored in S3. */
    SUCCEEDED,
    /** Rendering failed for good (the error says why). */
    FAILED,
    /** Its sweep was cancelled before it was rendered. */
    CANCELLED;

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
