package io.sweepfarm.worker.lane;

import io.sweepfarm.common.image.ImageParameters;
import io.sweepfarm.common.messaging.RenderTask;
import io.sweepfarm.common.png.PngText;
import io.sweepfarm.worker.fleet.LaneStats;
import io.sweepfarm.worker.lane.Outages.Dependency;
import io.sweepfarm.worker.render.RenderOutcome;
import io.sweepfarm.worker.render.Renderer;
import io.sweepfarm.worker.storage.ImageStore;
import io.sweepfarm.worker.storage.StorageException;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Renders polled tasks in micro-batches of compatible tasks, on the lane thread. One bad task never fails its
 * neighbours: a batch that throws, or that the renderer rejects as a whole, is rendered again one task at a time, and
 * a render failure of a single task becomes that task's FAILED outcome. Input images are read first; an
 * S3 outage while reading them is reported to the lane ({@link InputsUnavailable}) so that it retries the poll later.
 */
final class BatchRenderer {

    private static final Logger LOG = Logger.getLogger(BatchRenderer.class);

    private final Renderer renderer;
    private final ImageStore store;
    private final String workerId;
    private final int maxBatch;
    private final int maxAttempts;
    private final Outages outages;
    private final LaneStats stats;
    /** Counted failed reads of input keys, to bound their retries (lane thread only). */
    private final Map<String, Attempts> inputFailures = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Attempts> eldest) {
            return size() > 1000;
        }
    };

    BatchRenderer(Renderer renderer, ImageStore store, String workerId, int maxBatch, int maxAttempts,
            Outages outages, LaneStats stats) {
        this.renderer = renderer;
        this.store = store;
        this.workerId = workerId;
        this.maxBatch = Math.max(1, maxBatch);
        this.maxAttempts = Math.max(1, maxAttempts);
        this.outages = outages;
        this.stats = stats;
    }

    String describe() {
        return workerId + " " + renderer.describe();
    }

    String workerId() {
        return workerId;
    }

    /** A task with what rendering it produced, waiting to be stored. */
    record Rendered(RenderTask task, RenderOutcome outcome, long millis) {
    }

    /**
     * The input images of a poll (init images, masks, depth maps, control images), decoded, and the tasks whose
     * inputs cannot be used, with the reason.
     */
    record Inputs(Map<String, BufferedImage> images, Map<String, String> unusable) {

        Optional<String> problemOf(RenderTask t) {
            for (String key : t.params().inputKeys()) {
                if (unusable.containsKey(key)) {
                    return Optional.of(unusable.get(key));
                }
            }
            return Optional.empty();
        }
    }

    /** S3 could not serve an input now; the poll is to be retried later. */
    static final class InputsUnavailable extends RuntimeException {
        InputsUnavailable(StorageException cause) {
            super(cause.getMessage(), cause, false, false);
        }

        StorageException storageFailure() {
            return (StorageException) getCause();
        }
    }

    /**
     * Reads and decodes the inputs the tasks name. A missing, refused or undecodable input makes its tasks
     * unusable; an outage throws {@link InputsUnavailable}; an uncertain failure does too, until it repeated
     * {@code maxAttempts} times for the same key.
     */
    Inputs readInputs(List<RenderTask> tasks) {
        Map<String, BufferedImage> images = new HashMap<>();
        Map<String, String> unusable = new HashMap<>();
        for (RenderTask t : tasks) {
            for (String key : t.params().inputKeys()) { // init image, mask, depth map, control images
                if (images.containsKey(key) || unusable.containsKey(key)) {
                    continue;
                }
                Optional<byte[]> bytes;
                long started = System.nanoTime();
                try {
                    bytes = store.get(key);
                    outages.succeeded(Dependency.S3);
                } catch (StorageException e) {
                    String reason = readFailure(key, e, started);
                    if (reason == null) {
                        throw new InputsUnavailable(e);
                    }
                    unusable.put(key, reason);
                    continue;
                }
                if (bytes.isEmpty()) {
                    unusable.put(key, "input image " + key + " does not exist in bucket '" + store.bucket() + "'");
                    continue;
                }
                try {
                    images.put(key, PngText.readImage(bytes.get()));
                } catch (RuntimeException e) {
                    unusable.put(key, "input image " + key + " cannot be decoded: " + Failures.describe(e));
                }
            }
        }
        return new Inputs(images, unusable);
    }

    /** Why the input cannot be used, or null when reading it should be retried. */
    private String readFailure(String key, StorageException e, long started) {
        if (e.kind() == StorageException.Kind.REFUSED) {
            return "input image " + key + " cannot be read: " + LogText.safe(e.getMessage());
        }
        Attempts attempts = inputFailures.computeIfAbsent(key, k -> new Attempts(maxAttempts));
        Attempts.Outcome outcome = attempts.failed(Failures.of(e), outages.successes(Dependency.S3), store::reachable);
        if (outcome == Attempts.Outcome.OUTAGE) {
            outages.failed(Dependency.S3, e.getMessage(), "reading input images", started);
        }
        if (outcome != Attempts.Outcome.GIVE_UP) {
            return null;
        }
        inputFailures.remove(key);
        return "input image " + key + " could not be read in " + attempts.counted() + " attempts: "
                + LogText.safe(e.getMessage());
    }

    /**
     * Renders the tasks, batch by batch, while {@code keepGoing} holds (checked between batches: a stopping lane
     * finishes the batch in hand and leaves the rest unrendered). Tasks whose inputs are unusable are FAILED without
     * rendering. Returns the outcomes of the tasks it got to, batch by batch.
     */
    List<Rendered> renderAll(List<RenderTask> tasks, Inputs inputs, BooleanSupplier keepGoing) {
        List<Rendered> out = new ArrayList<>(tasks.size());
        List<RenderTask> renderable = new ArrayList<>(tasks.size());
        for (RenderTask t : tasks) {
            Optional<String> problem = inputs.problemOf(t);
            if (problem.isPresent()) {
                out.add(new Rendered(t, new RenderOutcome.Rejected(problem.get()), 0));
            } else {
                renderable.add(t);
            }
        }
        for (List<RenderTask> batch : batches(renderable)) {
            if (!keepGoing.getAsBoolean()) {
                break;
            }
            out.addAll(renderBatch(batch, inputs.images()));
        }
        return out;
    }

    /** Groups tasks by {@link RenderTask#batchKey()} (keeping arrival order) into batches of at most maxBatch. */
    List<List<RenderTask>> batches(List<RenderTask> tasks) {
        Map<ImageParameters.BatchKey, List<RenderTask>> groups = new LinkedHashMap<>();
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

    private List<Rendered> renderBatch(List<RenderTask> batch, Map<String, BufferedImage> inputs) {
        long t0 = System.nanoTime();
        stats.batchStarted(); // fleet heartbeats
        List<RenderOutcome> outcomes;
        try {
            outcomes = renderSafely(batch, inputs);
        } finally {
            stats.batchFinished(batch.size(), scheduledSteps(batch.get(0)), System.nanoTime() - t0);
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        long millisPerImage = millis / Math.max(1, batch.size());
        List<Rendered> results = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            results.add(new Rendered(batch.get(i), outcomes.get(i), millisPerImage));
        }
        long images = outcomes.stream().filter(o -> o instanceof RenderOutcome.Rendered).count();
        stats.imagesRendered(batch.get(0).batchKey().sampler(), (int) images); // metrics
        LOG.infof("lane %s rendered %d of a batch of %d (%s, %d steps) in %d ms: images %s", describe(), images,
                batch.size(), LogText.safe(batch.get(0).batchKey().sampler()), batch.get(0).batchKey().steps(), millis,
                batch.stream().map(t -> t.imageId().toString()).collect(Collectors.joining(",")));
        return results;
    }

    /** Denoising steps a task runs: img2img runs the last {@code strength} of the schedule (as diffusers does). */
    private static int scheduledSteps(RenderTask t) {
        var key = t.batchKey();
        return key.strength() == null ? key.steps()
                : Math.max(1, Math.min(key.steps(), (int) (key.steps() * key.strength())));
    }

    /**
     * A batch that throws, or whose every task the renderer rejects (it may reject a whole batch for one task), is
     * rendered again one task at a time, so one bad task cannot fail its neighbours.
     */
    private List<RenderOutcome> renderSafely(List<RenderTask> batch, Map<String, BufferedImage> inputs) {
        List<RenderOutcome> outcomes;
        try {
            outcomes = renderer.render(batch, inputs);
            if (outcomes.size() != batch.size()) {
                throw new IllegalStateException("the renderer returned " + outcomes.size() + " outcomes for "
                        + batch.size() + " tasks");
            }
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                RenderTask t = batch.get(0);
                stats.error("render failed: " + Failures.describe(e));
                LOG.warnf("rendering image %s of sweep %s failed on %s: %s", t.imageId(), t.sweepId(), describe(),
                        Failures.describe(e));
                LOG.debugf(e, "render failure of image %s", t.imageId());
                return List.of(new RenderOutcome.Rejected("render failed on " + describe() + ": "
                        + Failures.describe(e)));
            }
            LOG.warnf("batch of %d failed on %s (%s); rendering its tasks one by one", batch.size(), describe(),
                    Failures.describe(e));
            return oneByOne(batch, inputs);
        }
        if (batch.size() > 1 && outcomes.stream().allMatch(o -> o instanceof RenderOutcome.Rejected)) {
            LOG.debugf("every task of a batch of %d was rejected; rendering them one by one", batch.size());
            return oneByOne(batch, inputs);
        }
        return outcomes;
    }

    private List<RenderOutcome> oneByOne(List<RenderTask> batch, Map<String, BufferedImage> inputs) {
        List<RenderOutcome> outcomes = new ArrayList<>(batch.size());
        for (RenderTask t : batch) {
            outcomes.addAll(renderSafely(List.of(t), inputs));
        }
        return outcomes;
    }
}
