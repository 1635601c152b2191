package io.sweepfarm.common.messaging;

import java.util.UUID;

/**
 * Everything a worker needs to render one image; workers never read the coordinator's database.
 * Keyed in Kafka by {@code imageId}. A task may be delivered more than once; the worker's writes are idempotent
 * (same object key, same bytes) and the coordinator records one result per image.
 *
 * @param imageId        identity of the image row
 * @param sweepId        the sweep it belongs to
 * @param ordinal        position of the image in its sweep's expansion (0-based)
 * @param attempt        1 for the first release, incremented on each re-release
 * @param model          model name (selects the topic)
 * @param prompt         prompt text, A1111 emphasis syntax allowed
 * @param negativePrompt negative prompt, may be empty
 * @param cfgScale       guidance scale; ≤ 1 disables classifier-free guidance
 * @param steps          denoising steps
 * @param sampler        sampler id ({@link io.sweepfarm.common.sampler.SamplerId#id()})
 * @param seed           seed of the image's noise, 0 … 2³²−1
 * @param width          pixels, multiple of 8
 * @param height         pixels, multiple of 8
 * @param noiseSource    noise generator id, e.g. {@code torch_cpu}
 * @param promptOverflow {@code TRUNCATE} or {@code CHUNK}
 * @param initImageKey   img2img/inpaint: object key of the init image, else null
 * @param strength       img2img: denoising strength in (0, 1], else null
 * @param maskKey        inpainting: object key of the mask (white = repaint), else null
 * @param outputKey      object key the PNG must be written to
 */
public record RenderTask(
        UUID imageId,
        UUID sweepId,
        long ordinal,
        int attempt,
        String model,
        String prompt,
        String negativePrompt,
        double cfgScale,
        int steps,
        String sampler,
        long seed,
        int width,
        int height,
        String noiseSource,
        String promptOverflow,
        String initImageKey,
        Double strength,
        String maskKey,
        String outputKey) {

    /** The parameters that must be equal for two tasks to share one batched U-Net call. */
    public BatchKey batchKey() {
        return new BatchKey(model, steps, sampler, width, height, initImageKey != null, strength, maskKey != null);
    }

    /** Compatibility class for micro-batching: same model, schedule, latent size and mode. */
    public record BatchKey(String model, int steps, String sampler, int width, int height, boolean img2img,
            Double strength, boolean inpaint) {
    }
}
