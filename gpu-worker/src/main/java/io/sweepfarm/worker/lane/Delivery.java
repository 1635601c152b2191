package io.sweepfarm.worker.lane;

import io.sweepfarm.common.json.Json;
import io.sweepfarm.common.messaging.RenderResult;
import io.sweepfarm.common.messaging.RenderResult.Outcome;
import io.sweepfarm.common.messaging.RenderTask;
import io.sweepfarm.common.messaging.Topics;
import io.sweepfarm.common.storage.Hashes;
import io.sweepfarm.worker.fleet.LaneStats;
import io.sweepfarm.worker.lane.BatchRenderer.Rendered;
import io.sweepfarm.worker.lane.Failures.Verdict;
import io.sweepfarm.worker.lane.Outages.Dependency;
import io.sweepfarm.worker.render.PngOutput;
import io.sweepfarm.worker.render.RenderOutcome;
import io.sweepfarm.worker.storage.ImageStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Stores a rendered image and publishes its result, retrying what may pass: on the lane's I/O threads, one image at
 * a time, so a slow or failing image never holds back the others; no thread waits for a broker acknowledgement unless
 * a send failed.
 *
 * <ul>
 * <li>Refused for good (an S3 4xx for this object, an object key S3 cannot take, a result Kafka will not accept):
 * the image is FAILED with the reason (or its result sent in its smallest form) and the lane goes on.</li>
 * <li>An outage (S3 or Kafka unreachable, 5xx, timeouts, throttling, refused credentials): retried with exponential
 * backoff, without end, until the dependency is back; reported once by {@link Outages}.</li>
 * <li>Anything else: retried at most {@code maxAttempts} times, then the image is FAILED with the reason.</li>
 * </ul>
 * Retrying stops, with {@link Abandoned}, as soon as {@code keepTrying} turns false (the lane stops or lost the
 * task's partition): the task is then not committed and is redelivered. Thread-safe.
 */
final class Delivery {

    private static final Logger LOG = Logger.getLogger(Delivery.class);

    private final ImageStore store;
    private final Executor io;
    private final KafkaProducer<String, byte[]> producer;
    private final String workerId;
    private final Backoff backoff;
    private final int maxAttempts;
    private final Outages outages;
    private final LaneStats stats;

    Delivery(ImageStore store, KafkaProducer<String, byte[]> producer, Executor io, String workerId, Backoff backoff,
            int maxAttempts, Outages outages, LaneStats stats) {
        this.stats = stats;
        this.store = store;
        this.io = io;
        this.producer = producer;
        this.workerId = workerId;
        this.backoff = backoff;
        this.maxAttempts = Math.max(1, maxAttempts);
        this.outages = outages;
    }

    /** The task is left to be redelivered: the lane is stopping or no longer owns its partition. */
    static final class Abandoned extends RuntimeException {
        Abandoned() {
            super("abandoned: the lane is stopping or lost the task's partition", null, false, false);
        }
    }

    /** An operation that may fail. */
    @FunctionalInterface
    private interface Attempt<T> {
        T run() throws Exception;
    }

    /**
     * Stores the image (if it was rendered) on the I/O pool, then publishes its result; the future completes once
     * the result is acknowledged (or given up), or fails with {@link Abandoned}.
     */
    CompletableFuture<Void> deliver(Rendered r, BooleanSupplier keepTrying) {
        return CompletableFuture.supplyAsync(() -> {
            MDC.put("sweepId", String.valueOf(r.task().sweepId()));
            MDC.put("imageId", String.valueOf(r.task().imageId()));
            try {
                return store(r, keepTrying);
            } finally {
                MDC.remove("sweepId");
                MDC.remove("imageId");
            }
        }, io).thenCompose(result -> publishAsync(result, keepTrying));
    }

    /**
     * Publishes a result without holding a thread while the broker acknowledges it: the I/O thread goes on with the
     * next upload. Only a failed send falls back to {@link #publish}, with its retries, on the I/O pool.
     */
    CompletableFuture<Void> publishAsync(RenderResult result, BooleanSupplier keepTrying) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Runnable slowPath = () -> {
            try {
                io.execute(() -> {
                    try {
                        publish(result, keepTrying);
                        done.complete(null);
                    } catch (Throwable t) {
                        done.completeExceptionally(t);
                    }
                });
            } catch (RejectedExecutionException e) {
                done.completeExceptionally(new Abandoned()); // the lane is stopping
            }
        };
        try {
            producer.send(record(BoundedResults.bound(result)), (metadata, e) -> {
                if (e == null) {
                    outages.succeeded(Dependency.KAFKA);
                    done.complete(null);
                } else {
                    slowPath.run();
                }
            });
        } catch (RuntimeException e) {
            slowPath.run();
        }
        return done;
    }

    /** Encodes and stores a rendered image (or reports a rejected or skipped task) and builds its result. */
    RenderResult store(Rendered r, BooleanSupplier keepTrying) {
        RenderTask t = r.task();
        if (r.outcome() instanceof RenderOutcome.Skipped skipped) {
            return new RenderResult(t.imageId(), t.sweepId(), t.attempt(), skipped.outcome(), null, null, workerId, 0,
                    List.of(), null, Instant.now());
        }
        if (r.outcome() instanceof RenderOutcome.Rejected rejected) {
            return failed(t, r.millis(), rejected.reason());
        }
        RenderOutcome.Rendered rendered = (RenderOutcome.Rendered) r.outcome();
        byte[] png;
        try {
            png = PngOutput.encode(t, rendered);
        } catch (RuntimeException e) {
            return failed(t, r.millis(), "the PNG could not be encoded: " + Failures.describe(e));
        }
        String sha256 = Hashes.sha256(png);
        return retrying(Dependency.S3, "storing PNGs", keepTrying, store::reachable, () -> {
            store.putPng(t.outputKey(), png, PngOutput.metadata(t, rendered.request()));
            return new RenderResult(t.imageId(), t.sweepId(), t.attempt(), Outcome.SUCCEEDED, t.outputKey(), sha256,
                    workerId, r.millis(), rendered.warnings(), null, Instant.now());
        }, reason -> failed(t, r.millis(), "the PNG could not be stored in S3: " + reason));
    }

    /**
     * Publishes a result and waits for the broker's acknowledgement, retrying as above. A result the broker refuses
     * for good is sent again in its smallest form; if that is refused too, the task goes without a result (the coordinator re-releases
     * it after its stall timeout).
     */
    void publish(RenderResult result, BooleanSupplier keepTrying) {
        RenderResult bounded = BoundedResults.bound(result);
        String refused = retrying(Dependency.KAFKA, "publishing results", keepTrying, () -> false, () -> send(bounded),
                reason -> reason);
        if (refused == null) {
            return;
        }
        RenderResult minimal = BoundedResults.minimal(result);
        String refusedAgain = retrying(Dependency.KAFKA, "publishing results", keepTrying, () -> false,
                () -> send(minimal), reason -> reason);
        if (refusedAgain == null) {
            LOG.warnf("the result of image %s of sweep %s was refused by Kafka (%s); it was published without its "
                    + "warnings", result.imageId(), result.sweepId(), refused);
        } else {
            LOG.errorf("the result of image %s of sweep %s cannot be published (%s); its task is committed without a "
                    + "result and the coordinator releases it again after its stall timeout", result.imageId(),
                    result.sweepId(), refusedAgain);
        }
    }

    /**
     * Sends a result and waits for its acknowledgement (the producer gives up after its delivery timeout); null on
     * success (for {@link #retrying}). A stopping lane waits for it too, so that what it finished is committed.
     */
    private String send(RenderResult r) throws Exception {
        Future<RecordMetadata> ack = producer.send(record(r));
        try {
            ack.get();
            return null;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /**
     * Runs {@code attempt} until it succeeds (its value), fails for good ({@code giveUp} of the reason), uses up its
     * bounded attempts (the same), or {@code keepTrying} turns false ({@link Abandoned}). {@code probe} asks the
     * dependency whether it answers, to tell a fault of this request from an outage.
     */
    private <T> T retrying(Dependency dependency, String doing, BooleanSupplier keepTrying, BooleanSupplier probe,
            Attempt<T> attempt, Function<String, T> giveUp) {
        Attempts attempts = new Attempts(maxAttempts);
        for (int retry = 1;; retry++) {
            long started = System.nanoTime();
            try {
                T value = attempt.run();
                outages.succeeded(dependency);
                return value;
            } catch (Abandoned e) {
                throw e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Abandoned();
            } catch (Exception e) {
                Verdict verdict = Failures.of(e);
                String reason = Failures.describe(e);
                stats.error(doing + " failed: " + reason); // fleet heartbeats
                if (verdict == Verdict.PERMANENT) {
                    return giveUp.apply(reason);
                }
                Attempts.Outcome outcome = attempts.failed(verdict, outages.successes(dependency), probe);
                if (outcome == Attempts.Outcome.OUTAGE) {
                    outages.failed(dependency, reason, doing, started);
                } else if (outcome == Attempts.Outcome.GIVE_UP) {
                    return giveUp.apply(reason + " (" + attempts.counted() + " attempts)");
                }
                Duration pause = backoff.delay(retry);
                LOG.debugf("%s failed (%s); retry %d in %d ms", doing, reason, retry, pause.toMillis());
                sleep(pause, keepTrying);
            }
        }
    }

    /** Sleeps, waking early to give up when {@code keepTrying} turns false. */
    static void sleep(Duration pause, BooleanSupplier keepTrying) {
        long end = System.nanoTime() + pause.toNanos();
        try {
            for (long left = pause.toNanos(); left > 0; left = end - System.nanoTime()) {
                if (!keepTrying.getAsBoolean()) {
                    throw new Abandoned();
                }
                Thread.sleep(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 100)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Abandoned();
        }
        if (!keepTrying.getAsBoolean()) {
            throw new Abandoned();
        }
    }

    private static ProducerRecord<String, byte[]> record(RenderResult r) {
        return new ProducerRecord<>(Topics.RESULTS, r.imageId().toString(), Json.toBytes(r));
    }

    private RenderResult failed(RenderTask t, long millis, String reason) {
        stats.error("image FAILED: " + LogText.safe(reason));
        stats.imageFailed(t.batchKey().sampler()); // metrics
        LOG.warnf("image %s of sweep %s FAILED: %s", t.imageId(), t.sweepId(), LogText.safe(reason));
        return new RenderResult(t.imageId(), t.sweepId(), t.attempt(), Outcome.FAILED, null, null, workerId, millis,
                List.of(), reason, Instant.now());
    }
}
