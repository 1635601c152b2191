package io.sweepfarm.coordinator.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Tuning of the coordinator, under {@code sweepfarm.coordinator.*}. */
@ConfigMapping(prefix = "sweepfarm.coordinator")
public interface CoordinatorConfig {

    /**
     * Back-pressure: the most images of one model that may be QUEUED (released to Kafka, no result yet) at once.
     * The relay releases more only as results come back.
     */
    @WithDefault("256")
    int inFlightPerModel();

    /**
     * Pause between two relay runs looking for PENDING images to release. The relay is also nudged right after a
     * sweep is created or resumed and after a result frees capacity, so this mostly bounds retry latency.
     */
    @WithDefault("250ms")
    Duration relayInterval();

    /**
     * How often the state of paused and cancelled sweeps that still have released tasks is announced again on the
     * control topic, so a worker that missed the first announcement (Kafka briefly down) still skips them.
     */
    @WithDefault("30s")
    Duration controlReannounceInterval();

    /** The most tasks the relay publishes for one model in one round (one DB transaction, one wait for acks). */
    @WithDefault("2000")
    int relayBatchSize();

    /** How long the relay waits for the broker to acknowledge a round's tasks before it rolls the round back. */
    @WithDefault("30s")
    Duration publishTimeout();

    /**
     * A QUEUED image without a result this long after its release is considered lost (e.g. its result was never
     * published) and is released again. Kafka already redelivers the tasks of a crashed worker, so this is a safety
     * net and should exceed the longest expected queueing plus render time.
     */
    @WithDefault("30m")
    Duration stallTimeout();

    /** Releases of one image before a stalled one is marked FAILED instead of being released again. */
    @WithDefault("3")
    int maxAttempts();

    /**
     * The largest sweep accepted, in images (the product of every axis' size). A sweep is stored as its spec, so
     * size costs nothing until images are rendered; the limit keeps object keys (9-digit ordinals) in order.
     */
    @WithDefault("1000000000")
    long maxImagesPerSweep();

    /** Threads releasing models in parallel, so that one model's Kafka trouble never delays another's release. */
    @WithDefault("4")
    int relayThreads();

    /** How often released tasks are checked for stalls ({@link #stallTimeout()}). */
    @WithDefault("30s")
    Duration stallCheckInterval();

    /** The most results recorded in one transaction (Kafka {@code max.poll.records} of the results consumer). */
    @WithDefault("5000")
    int resultBatchSize();

    /** How often the progress counters of active sweeps are sampled for their images/s and ETA. */
    @WithDefault("2s")
    Duration paceSampleInterval();

    /**
     * Refuse a sweep for a model no live worker lane serves (422 listing the served models), unless the request says
     * {@code "wait_for_model": true}. Off, any model is accepted and waits for a worker.
     */
    @WithDefault("true")
    boolean requireServedModel();

    /** Page size of {@code GET /api/v1/images} and {@code GET /api/v1/sweeps} when no {@code limit} is given. */
    @WithDefault("100")
    int defaultPageSize();

    /** The largest {@code limit} a query may ask for. */
    @WithDefault("1000")
    int maxPageSize();

    /**
     * The largest request body: an uploaded image or a sweep, e.g. {@code 32M}. The same value is Quarkus'
     * {@code quarkus.http.limits.max-body-size} (application.properties sets one from the other), so a body over it
     * is refused with a 413 problem before it is read, whether it is sent with a length or chunked.
     */
    @WithDefault("32M")
    MemorySize maxBodySize();

    /** The longest request URI (path and query) accepted, in characters; longer ones get a 414 problem. */
    @WithDefault("8192")
    int maxUriLength();

    /** The most bytes of request headers accepted (names and values); more get a 431 problem. */
    @WithDefault("16384")
    int maxHeaderBytes();

    /** The largest width or height of an uploaded init image or mask, read from its header before decoding. */
    @WithDefault("8192")
    int maxInputSide();

    /**
     * Pixels that uploads may be decoding at once (about 4 bytes of heap each): an upload waits for its share, up to
     * {@link #decodeWait()}, then gets a 503 problem with {@code Retry-After}. Never less than one image of
     * {@link #maxInputSide()} squared.
     */
    @WithDefault("67108864")
    long decodeBudgetPixels();

    /** How long an upload waits for decoding capacity before it is refused with 503. */
    @WithDefault("2s")
    Duration decodeWait();

    /** API keys, under {@code sweepfarm.coordinator.auth.*}. */
    Auth auth();

    /** Who may write (and, optionally, read): see docs/operations.md, "API keys". */
    interface Auth {

        /**
         * Whether writes (every method other than GET, HEAD and OPTIONS) need an API key. On by default; the
         * one-machine mode and the dev and test profiles turn it off.
         */
        @WithDefault("true")
        boolean enabled();

        /**
         * The keys accepted, each as {@code name:sha256hex} (the SHA-256 of the key, in hex; the name appears in logs,
         * never the key). Mint one with {@code io.sweepfarm.coordinator.auth.MintKey}.
         */
        Optional<List<String>> keyHashes();

        /** Whether reads of {@code /api/**} need a key too (the health checks and static pages stay open). */
        @WithDefault("false")
        boolean protectReads();

        /** How long the browser session cookie set by {@code POST /api/v1/session} lasts. */
        @WithDefault("12h")
        Duration sessionMaxAge();
    }
}
