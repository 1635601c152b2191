package io.sweepfarm.worker.lane;

import io.sweepfarm.common.messaging.RenderResult;
import io.sweepfarm.common.messaging.RenderResult.Outcome;
import io.sweepfarm.common.messaging.RenderTask;
import io.sweepfarm.common.png.PngText;
import io.sweepfarm.common.storage.Hashes;
import io.sweepfarm.worker.fleet.LaneStats;
import io.sweepfarm.worker.render.PngOutput;
import io.sweepfarm.worker.render.RenderOutcome;
import io.sweepfarm.worker.render.Renderer;
import io.sweepfarm.worker.storage.ImageStore;
import java.awt.image.BufferedImage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Renders polled tasks in micro-batches of compatible tasks ({@link #renderAll}, on the lane thread), then stores
 * each PNG and builds its result ({@link #store}, on any thread). Storage failures propagate (the lane retries);
 * render failures become FAILED results.
 */
final class BatchRenderer {

    private static final Logger LOG = Logger.getLogger(BatchRenderer.class);

    private final Renderer renderer;
    private final ImageStore store;
    private final String workerId;
    private final int maxBatch;
    private final LaneStats stats;

    BatchRenderer(Renderer renderer, ImageStore store, String workerId, int maxBatch, LaneStats stats) {
        this.renderer = renderer;
        this.store = store;
        this.workerId = workerId;
        this.maxBatch = Math.max(1, maxBatch);
        this.stats = stats;
    }

    String describe() {
        return workerId + " " + renderer.describe();
    }

    /** A task with what rendering it produced, waiting to be stored. */
    record Rendered(RenderTask task, RenderOutcome outcome, long millis) {
    }

    /** Renders every task, batch by batch; the outcomes come in task order within each batch. */
    List<Rendered> renderAll(List<RenderTask> tasks) {
        List<Rendered> out = new ArrayList<>(tasks.size());
        for (List<RenderTask> batch : batches(tasks)) {
            out.addAll(renderBatch(batch));
        }
        return out;
    }

    /** Groups tasks by {@link RenderTask#batchKey()} (keeping arrival order) into batches of at most maxBatch. */
    List<List<RenderTask>> batches(List<RenderTask> tasks) {
        Map<io.sweepfarm.common.image.ImageParameters.BatchKey, List<RenderTask>> groups = new LinkedHashMap<>();
        for (RenderTask t : tasks) {
            groups.computeIfAbsent(t.batchKey(), k -> new ArrayList<>()).add(t);
        }
        List<List<RenderTask>> batches = new ArrayList<>();
        for (List<RenderTask> group : groups.values()) {
            for (int i = 0; i < group.size(); i += maxBatch) {
                batches.add(group.subList(i, Math.min(group.size(), i + maxBatch)));
            }
        }
        return batches;
    }

    private List<Rendered> renderBatch(List<RenderTask> batch) {
        long t0 = System.nanoTime();
        stats.batchStarted(); // fleet heartbeats
        Map<String, BufferedImage> inputs = new HashMap<>();
        Map<RenderTask, String> missing = new HashMap<>();
        for (RenderTask t : batch) {
            for (String key : t.params().inputKeys()) { // init image, mask, depth map, control images
                if (!inputs.containsKey(key)) {
                    Optional<byte[]> bytes = store.get(key);
                    if (bytes.isEmpty()) {
                        missing.put(t, "input image " + key + " does not exist in bucket '" + store.bucket() + "'");
                    } else {
                        try {
                            inputs.put(key, PngText.readImage(bytes.get()));
                        } catch (RuntimeException e) {
                            missing.put(t, "input image " + key + " cannot be decoded: " + e.getMessage());
                        }
                    }
                }
            }
        }
        List<RenderTask> renderable = batch.stream().filter(t -> !missing.containsKey(t)).toList();
        List<RenderOutcome> outcomes;
        try {
            outcomes = renderable.isEmpty() ? List.of() : renderSafely(renderable, inputs);
        } finally {
            stats.batchFinished(renderable.size(), scheduledSteps(batch.get(0)), System.nanoTime() - t0);
        }
        long millisPerImage = (System.nanoTime() - t0) / 1_000_000 / Math.max(1, batch.size());
        List<Rendered> results = new ArrayList<>(batch.size());
        int next = 0;
        for (RenderTask t : batch) {
            RenderOutcome outcome = missing.containsKey(t) ? new RenderOutcome.Rejected(missing.get(t))
                    : outcomes.get(next++);
            results.add(new Rendered(t, outcome, millisPerImage));
        }
        LOG.debugf("rendered batch of %d in %d ms", batch.size(), (System.nanoTime() - t0) / 1_000_000);
        return results;
    }

    /** Denoising steps a task runs: img2img runs the last {@code strength} of the schedule (as diffusers does). */
    private static int scheduledSteps(RenderTask t) {
        var key = t.batchKey();
        return key.strength() == null ? key.steps()
                : Math.max(1, Math.min(key.steps(), (int) (key.steps() * key.strength())));
    }

    /** A batch that throws is retried one task at a time, so one bad task cannot fail its neighbours. */
    private List<RenderOutcome> renderSafely(List<RenderTask> batch, Map<String, BufferedImage> inputs) {
        try {
            return renderer.render(batch, inputs);
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                stats.error("render failed: " + e.getMessage());
                LOG.errorf(e, "rendering image %s of sweep %s failed", batch.get(0).imageId(), batch.get(0).sweepId());
                return List.of(new RenderOutcome.Rejected("render failed on " + describe() + ": " + e.getMessage()));
            }
            LOG.warnf("batch of %d failed (%s); rendering its tasks one by one", batch.size(), e.getMessage());
            List<RenderOutcome> outcomes = new ArrayList<>();
            for (RenderTask t : batch) {
                outcomes.addAll(renderSafely(List.of(t), inputs));
            }
            return outcomes;
        }
    }

    /** Encodes and stores a rendered image (or reports a rejected task) and builds its result. Thread-safe. */
    RenderResult store(Rendered r) {
        RenderTask t = r.task();
        long millis = r.millis();
        if (r.outcome() instanceof RenderOutcome.Rendered rendered) {
            byte[] png = PngOutput.encode(t, rendered);
            store.putPng(t.outputKey(), png, PngOutput.metadata(t, rendered.request()));
            return new RenderResult(t.imageId(), t.sweepId(), t.attempt(), Outcome.SUCCEEDED, t.outputKey(),
                    Hashes.sha256(png), workerId, millis, rendered.warnings(), null, Instant.now());
        }
        if (r.outcome() instanceof RenderOutcome.Skipped skipped) {
            return new RenderResult(t.imageId(), t.sweepId(), t.attempt(), skipped.outcome(), null, null, workerId, 0,
                    List.of(), null, Instant.now());
        }
        String reason = ((RenderOutcome.Rejected) r.outcome()).reason();
        LOG.warnf("image %s of sweep %s failed: %s", t.imageId(), t.sweepId(), reason);
        return new RenderResult(t.imageId(), t.sweepId(), t.attempt(), Outcome.FAILED, null, null, workerId, millis,
                List.of(), reason, Instant.now());
    }

}
