package io.sweepfarm.worker.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Worker settings ({@code sweepfarm.worker.*}). A worker runs one or more lanes; a lane is one model pinned to one
 * device, consuming that model's task topic on its own thread. Without {@link #lanes()} the worker runs the single
 * lane {@code model@device}.
 */
@ConfigMapping(prefix = "sweepfarm.worker")
public interface WorkerConfig {

    /** Worker id reported with every result; defaults to the host name. */
    Optional<String> id();

    /** Name of the model the (single) lane serves; selects the task topic {@code sweepfarm.tasks.v2.<model>}. */
    Optional<String> model();

    /** Folder holding the model in the diffusers/optimum ONNX layout ({@code model_index.json}, {@code unet/}, ...). */
    Optional<Path> modelPath();

    /**
     * Where the model runs: {@code cuda:N} for the CUDA execution provider on GPU N, or {@code cpu}. There is no
     * default and no fallback: running on the CPU must be asked for.
     */
    Optional<String> device();

    /**
     * Several lanes, as {@code model@device} entries, e.g. {@code sd15@cuda:0,sd15@cuda:1,sd21@cuda:2}. Each lane's
     * model folder is {@code model-paths.<model>}, or {@link #modelPath()} for {@link #model()}.
     */
    Optional<List<String>> lanes();

    /** Model folders by model name, for {@link #lanes()}. */
    Map<String, Path> modelPaths();

    /**
     * SDXL refiner folder (optimum's {@code image-to-image} export of the refiner) pinned beside {@link #model()}'s
     * lane, for sweeps with {@code refiner_switch_at}; without it such images fail naming the missing refiner.
     */
    Optional<Path> refinerPath();

    /** Refiner folders by model name, for {@link #lanes()}. */
    Map<String, Path> refinerPaths();

    /**
     * ControlNet folder of {@link #model()}'s lane: one ControlNet per subfolder, {@code <name>/model.onnx}, named by
     * the sweeps' {@code controlnets[].model}. A U-Net exported with ControlNet residual inputs needs it.
     */
    Optional<Path> controlnetPath();

    /** ControlNet folders by model name, for {@link #lanes()}. */
    Map<String, Path> controlnetPaths();

    /** LoRA folder of {@link #model()}'s lane: {@code <name>.safetensors}, named by the sweeps' {@code loras[].name}. */
    Optional<Path> loraPath();

    /** LoRA folders by model name, for {@link #lanes()}. */
    Map<String, Path> loraPaths();

    /**
     * Model variants with LoRAs applied that a lane keeps loaded (least recently used out); each holds its own
     * U-Net (and text encoder, when a LoRA targets it) sessions: on a GPU, another copy of those weights.
     */
    @WithDefault("2")
    int loraCacheSize();

    /** Most tasks rendered together in one batched U-Net call (they must share model, steps, sampler and size). */
    @WithDefault("4")
    int maxBatch();

    /** ONNX Runtime intra-op threads on the CPU provider; 0 lets ONNX Runtime choose. */
    @WithDefault("0")
    int intraOpThreads();

    /**
     * Kafka {@code metadata.max.age.ms} of the lanes' consumers: how soon a lane sees the task topic once the
     * coordinator created it, and partitions added to it.
     */
    @WithDefault("PT10S")
    Duration metadataMaxAge();

    /** Kafka {@code max.poll.interval.ms}: the longest a batch may take before the group rebalances it away. */
    @WithDefault("PT30M")
    Duration maxPollInterval();

    /**
     * Kafka {@code session.timeout.ms}: how soon the group notices a worker that died without leaving (SIGKILL, power
     * loss) and hands its partitions, and so its unfinished tasks, to the others.
     */
    @WithDefault("PT45S")
    Duration sessionTimeout();

    /** Threads per lane that encode PNGs, upload them and publish results while the lane renders the next poll. */
    @WithDefault("4")
    int ioThreads();

    /**
     * Polls a lane may have in flight: rendered, with their storing and publishing under way. 1 makes the lane fully
     * sequential; 2 overlaps one poll's I/O with the next poll's rendering.
     */
    @WithDefault("2")
    int pipelineDepth();

    /**
     * First pause before retrying what failed for a reason that may pass (S3 or Kafka unreachable, a 5xx, a
     * timeout). Each further failure in a row doubles the pause, up to {@link #retryBackoffMax()}.
     */
    @WithDefault("PT1S")
    Duration retryBackoff();

    /** Longest pause between two retries during an outage; retries go on, at this pace, until the outage ends. */
    @WithDefault("PT30S")
    Duration retryBackoffMax();

    /**
     * Randomness of each pause, as a fraction: 0.2 draws it in ±20% of its nominal value, so that workers that failed
     * together do not all retry in the same instant.
     */
    @WithDefault("0.2")
    double retryJitter();

    /**
     * Attempts per image for failures that are neither clearly an outage nor clearly permanent (a damaged upload, an
     * unexpected error, an object S3 keeps failing while storing others); the image is then FAILED with the reason.
     */
    @WithDefault("5")
    int maxAttempts();

    /**
     * How long a stopping lane waits for the results of the batch it rendered last to be stored and published
     * before it commits what is done and leaves the group; what is not done then is redelivered to another lane.
     */
    @WithDefault("PT30S")
    Duration shutdownTimeout();
}
