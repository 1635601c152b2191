package io.sweepfarm.worker.fleet;

import io.micrometer.core.instrument.MeterRegistry;
import io.sweepfarm.common.api.LaneAddons;
import io.sweepfarm.common.api.LaneState;
import io.sweepfarm.common.messaging.LaneHeartbeat;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What one lane has been doing, as its heartbeats report it. The lane thread calls {@link #batchStarted()} and
 * {@link #batchFinished} around each micro-batch; any thread may report {@link #error}. Thread-safe; every call is
 * cheap (no I/O), so it can sit on the render path.
 */
public final class LaneStats {

    /** One rendered batch, kept while it is inside the window. */
    private record Batch(long endNanos, int images, int steps, long nanos) {
    }

    private final String laneId;
    private final String model;
    private final String device;
    private final LongSupplier nanoClock;
    private final long windowNanos;
    private final long recentNanos;
    private final Deque<Batch> window = new ArrayDeque<>();
    private LaneState phase = LaneState.LOADING;
    private long readySinceNanos;
    private boolean busy;
    private long lastBusyEndNanos = Long.MIN_VALUE;
    private int lastBatchSize;
    private double lastStepMillis;
    private String lastError;
    private volatile LaneMeters meters;
    private volatile Supplier<LaneAddons> addons = () -> null;

    /**
     * @param recent a lane that rendered within this long is reported {@link LaneState#RENDERING} rather than idle
     *               (the heartbeat interval, so that a lane busy between two polls is not shown idle)
     * @param window span of the images/s and mean step time figures
     */
    public LaneStats(String laneId, String model, String device, Duration recent, Duration window,
            LongSupplier nanoClock) {
        this.laneId = laneId;
        this.model = model;
        this.device = device;
        this.nanoClock = nanoClock;
        this.windowNanos = window.toNanos();
        this.recentNanos = recent.toNanos();
    }

    /** Statistics that go nowhere, for a lane run without heartbeats (tests, benches). */
    public static LaneStats detached(String laneId) {
        return new LaneStats(laneId, "", "", Duration.ofSeconds(5), Duration.ofSeconds(60), System::nanoTime);
    }

    public String laneId() {
        return laneId;
    }

    public String model() {
        return model;
    }

    public String device() {
        return device;
    }

    /** Also reports to Prometheus meters in {@code registry} ({@link LaneMeters}); returns this. */
    public LaneStats meteredBy(MeterRegistry registry) {
        meters = new LaneMeters(registry, this);
        return this;
    }

    /**
     * The model is loaded: the lane is ready to render, and from now on its heartbeats announce what {@code addons}
     * says it can use (asked at each heartbeat, off the render path).
     */
    public void loaded(Supplier<LaneAddons> addons) {
        this.addons = addons;
        loaded();
    }

    /** The model is loaded: the lane is ready to render. */
    public synchronized void loaded() {
        if (phase == LaneState.LOADING) {
            phase = LaneState.IDLE;
            readySinceNanos = nanoClock.getAsLong();
        }
    }

    public synchronized void batchStarted() {
        busy = true;
    }

    /**
     * A batch is done.
     *
     * @param images images rendered (0 when none could be, e.g. missing inputs)
     * @param steps  denoising steps the batch ran
     * @param nanos  wall time of the batch
     */
    public synchronized void batchFinished(int images, int steps, long nanos) {
        long now = nanoClock.getAsLong();
        busy = false;
        lastBusyEndNanos = now;
        if (images > 0) {
            window.addLast(new Batch(now, images, Math.max(1, steps), nanos));
            lastBatchSize = images;
            lastStepMillis = nanos / 1e6 / Math.max(1, steps);
            if (meters != null) {
                meters.batch(images, steps, nanos);
            }
        }
        trim(now);
    }

    /** The engine rendered {@code images} images with this sampler (for the metrics). */
    public void imagesRendered(String sampler, int images) {
        LaneMeters m = meters;
        if (m != null && images > 0) {
            m.rendered(sampler, images);
        }
    }

    /** An image with this sampler is reported FAILED (for the metrics). */
    public void imageFailed(String sampler) {
        LaneMeters m = meters;
        if (m != null) {
            m.failed(sampler);
        }
    }

    /** A failure the lane survives (a task that cannot render, storage down); shown until the next one. */
    public synchronized void error(String text) {
        lastError = LaneHeartbeat.operatorText(text);
    }

    /** The lane cannot render any more (its thread died, its model did not load). */
    public synchronized void failed(String reason) {
        error(reason);
        if (phase != LaneState.STOPPED) {
            phase = LaneState.FAILED;
        }
    }

    /** The lane shut down gracefully; a failed lane stays failed. */
    public synchronized void stopped() {
        if (phase != LaneState.FAILED) {
            phase = LaneState.STOPPED;
        }
    }

    /**
     * What the lane can use beyond its model, now; null while loading or when unknown. May list folders: call it
     * from the heartbeat thread, not the render path. A failure to tell is unknown (null), never an exception.
     */
    public LaneAddons addons() {
        try {
            return addons.get();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The figures a heartbeat carries, now. */
    public synchronized Snapshot snapshot() {
        long now = nanoClock.getAsLong();
        trim(now);
        int images = 0;
        long steps = 0;
        long nanos = 0;
        for (Batch b : window) {
            images += b.images;
            steps += b.steps;
            nanos += b.nanos;
        }
        long span = Math.min(windowNanos, Math.max(1_000_000_000L, now - readySinceNanos));
        double imagesPerSecond = phase == LaneState.LOADING ? 0 : images * 1e9 / span;
        double stepMillis = steps == 0 ? lastStepMillis : nanos / 1e6 / steps;
        return new Snapshot(state(now), imagesPerSecond, stepMillis, lastBatchSize, lastError);
    }

    /** The lane's state now. */
    public synchronized LaneState state() {
        return state(nanoClock.getAsLong());
    }

    private LaneState state(long now) {
        if (phase != LaneState.IDLE) {
            return phase;
        }
        boolean recent = lastBusyEndNanos != Long.MIN_VALUE && now - lastBusyEndNanos <= recentNanos;
        return busy || recent ? LaneState.RENDERING : LaneState.IDLE;
    }

    private void trim(long now) {
        while (!window.isEmpty() && now - window.peekFirst().endNanos > windowNanos) {
            window.removeFirst();
        }
    }

    /** A lane's figures at one moment. */
    public record Snapshot(LaneState state, double imagesPerSecond, double meanStepMillis, int batchSize,
            String lastError) {
    }
}
