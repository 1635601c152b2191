package io.sweepfarm.worker.lane;

import io.sweepfarm.common.api.SweepState;
import io.sweepfarm.common.messaging.RenderResult;
import io.sweepfarm.common.messaging.RenderTask;
import io.sweepfarm.common.messaging.Topics;
import io.sweepfarm.worker.fleet.LaneStats;
import io.sweepfarm.worker.lane.BatchRenderer.Inputs;
import io.sweepfarm.worker.lane.BatchRenderer.InputsUnavailable;
import io.sweepfarm.worker.lane.BatchRenderer.Rendered;
import io.sweepfarm.worker.lane.Outages.Dependency;
import io.sweepfarm.worker.lane.PendingOffsets.Progress;
import io.sweepfarm.worker.render.RenderOutcome;
import io.sweepfarm.worker.render.Renderer;
import io.sweepfarm.worker.storage.ImageStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * One lane: a model pinned to a device, consuming that model's task topic on its own thread.
 *
 * <p>Delivery is at-least-once and crash-safe: for every polled record the lane renders the image, stores the PNG
 * in S3, publishes the {@link RenderResult} and waits for the broker's ack, and only then commits the record's
 * offset. A crash anywhere before the commit redelivers the task; the repeat overwrites the same object key with the
 * same bytes and the coordinator ignores the repeated result.
 *
 * <p>One task never stops the lane: what S3 or Kafka refuses for one image, a render failure, an unreadable input
 * or message fail that image alone ({@link Delivery}, {@link BatchRenderer}); outages are waited out with growing
 * pauses, image by image, and never drop a task. Offsets are committed per partition up to the first record whose
 * result is not out yet ({@link PendingOffsets}), so a slow image holds back only its own partition's commit.
 *
 * <p>Rebalances are part of normal life: a commit refused because the group is rebalancing is retried after the
 * next poll; the finished work of partitions being revoked is committed in the rebalance callback and the rest of
 * their work forgotten (their new owner redoes it; repeated results are ignored by the coordinator).
 *
 * <p>Tasks of sweeps the control topic says are paused or cancelled are not rendered: they are reported DEFERRED
 * (the coordinator releases them again on resume) or CANCELLED.
 *
 * <p>I/O overlaps compute: the lane thread renders while an I/O pool encodes PNGs, uploads them and publishes the
 * results. At most {@code pipelineDepth * maxBatch} tasks are rendered and unsettled; beyond that the lane waits for
 * results to come out, and if that takes long (an outage) polls with fetching paused, so it stays in the group.
 * Routine commits are asynchronous, one at a time; the commits of revoked partitions and at stop are synchronous.
 *
 * <p>{@link #stop()} finishes the batch being rendered, hands back the rest of the poll (not committed, so
 * redelivered), waits up to the shutdown timeout for the results in flight, commits what is done and closes the
 * consumer, which leaves the group at once so the partitions move to the other lanes without waiting for the
 * session timeout.
 */
public final class TaskLane implements Runnable {

    private static final Logger LOG = Logger.getLogger(TaskLane.class);
    private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration FULL_WAIT = Duration.ofMillis(500);

    private final KafkaConsumer<String, byte[]> consumer;
    private final BatchRenderer batchRenderer;
    private final Delivery delivery;
    private final String topic;
    private final LaneSettings settings;
    private final ExecutorService io;
    private final SweepStates sweeps;
    private final Outages outages;
    private final LaneStats stats;
    private final PendingOffsets pending = new PendingOffsets();
    private final LaneCommits commits;
    private final Set<TopicPartition> owned = ConcurrentHashMap.newKeySet();
    private volatile boolean running = true;
    private int pollFailures;
    private int inputFailures;
    /** How often each record ({@code partition@offset}) failed unexpectedly, to skip it in the end. */
    private final Map<String, Integer> unhandled = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
            return size() > 1000;
        }
    };

    public TaskLane(String model, KafkaConsumer<String, byte[]> consumer, KafkaProducer<String, byte[]> producer,
            Renderer renderer, ImageStore store, String laneId, LaneSettings settings, SweepStates sweeps,
            Outages outages) {
        this(model, consumer, producer, renderer, store, laneId, settings, sweeps, outages,
                LaneStats.detached(laneId));
    }

    /** With {@code stats}, the lane reports its batches and failures to the fleet heartbeats. */
    public TaskLane(String model, KafkaConsumer<String, byte[]> consumer, KafkaProducer<String, byte[]> producer,
            Renderer renderer, ImageStore store, String laneId, LaneSettings settings, SweepStates sweeps,
            Outages outages, LaneStats stats) {
        this.consumer = consumer;
        this.stats = stats;
        this.commits = new LaneCommits(consumer, owned, outages, settings.backoff(), laneId);
        this.topic = Topics.tasks(model);
        this.settings = settings;
        this.sweeps = sweeps;
        this.outages = outages;
        this.batchRenderer = new BatchRenderer(renderer, store, laneId, settings.maxBatch(), settings.maxAttempts(),
                outages, stats);
        this.io = Executors.newFixedThreadPool(Math.max(1, settings.ioThreads()), r -> {
            Thread t = new Thread(r, "io-" + laneId);
            t.setDaemon(true);
            return t;
        });
        this.delivery = new Delivery(store, producer, io, laneId, settings.backoff(), settings.maxAttempts(),
                outages, stats);
    }

    @Override
    public void run() {
        consumer.subscribe(List.of(topic), new Rebalance());
        LOG.infof("lane %s consuming %s (up to %d tasks in flight)", batchRenderer.describe(), topic,
                settings.maxUnsettled());
        try {
            while (running) {
                try {
                    step();
                    pollFailures = 0;
                } catch (WakeupException e) {
                    // stop() woke the consumer: the loop ends
                } catch (InterruptException e) {
                    running = false;
                } catch (KafkaException e) {
                    stats.error("polling tasks failed: " + Failures.describe(e));
                    outages.failed(Dependency.KAFKA, Failures.describe(e), "polling tasks");
                    pause(settings.backoff().delay(++pollFailures));
                }
            }
        } finally {
            shutdown();
        }
    }

    /** Commits what is settled, then polls and starts the records, fetching none while the lane is full. */
    private void step() {
        absorb(pending.drain());
        commits.commitAsync();
        if (pending.unsettled() >= settings.maxUnsettled()) {
            // Full: wait for a result to come out, as long as a poll may wait; polling meanwhile would fetch what
            // cannot be started. Still full after that (an outage): poll with fetching paused, to stay in the group.
            pending.awaitProgress(FULL_WAIT);
            absorb(pending.drain());
            commits.commitAsync();
            if (pending.unsettled() >= settings.maxUnsettled()) {
                holdFetching(true);
                ConsumerRecords<String, byte[]> assignedMeanwhile = consumer.poll(Duration.ZERO);
                if (!assignedMeanwhile.isEmpty()) {
                    start(assignedMeanwhile); // partitions assigned by this very poll were not paused yet
                }
                return;
            }
        }
        holdFetching(false);
        ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(pending.size() > 0 ? 20 : 500));
        if (!records.isEmpty()) {
            start(records);
        }
    }

    private void holdFetching(boolean full) {
        if (full) {
            Set<TopicPartition> toPause = new HashSet<>(consumer.assignment());
            toPause.removeAll(consumer.paused());
            if (!toPause.isEmpty()) {
                consumer.pause(toPause);
            }
        } else if (!consumer.paused().isEmpty()) {
            consumer.resume(consumer.paused());
        }
    }

    /** Renders a poll on this thread and hands each task's storing and publishing to the I/O pool. */
    private void start(ConsumerRecords<String, byte[]> records) {
        List<ConsumerRecord<String, byte[]>> polled = new ArrayList<>(records.count());
        records.forEach(polled::add);
        Map<ConsumerRecord<String, byte[]>, TaskReader.Read> read = new IdentityHashMap<>();
        Map<ConsumerRecord<String, byte[]>, RenderResult.Outcome> skipped = new IdentityHashMap<>();
        List<RenderTask> toRender = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : polled) {
            TaskReader.Read t = TaskReader.read(r, batchRenderer.workerId());
            read.put(r, t);
            RenderResult.Outcome skip = t.task() == null ? null : skipOutcome(t.task());
            if (skip != null) {
                skipped.put(r, skip);
            } else if (t.task() != null) {
                toRender.add(t.task());
            }
        }
        Inputs inputs;
        try {
            inputs = batchRenderer.readInputs(toRender);
            inputFailures = 0;
        } catch (InputsUnavailable e) {
            rewindTo(polled);
            pause(settings.backoff().delay(++inputFailures));
            return;
        }
        Map<RenderTask, Rendered> rendered = new IdentityHashMap<>();
        for (Rendered r : batchRenderer.renderAll(toRender, inputs, () -> running)) {
            rendered.put(r.task(), r);
        }
        for (ConsumerRecord<String, byte[]> r : polled) {
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            TaskReader.Read t = read.get(r);
            CompletableFuture<Void> settled;
            if (t.task() == null) {
                settled = t.failure() == null ? CompletableFuture.completedFuture(null)
                        : delivery.publishAsync(t.failure(), keepTrying(tp));
            } else if (skipped.containsKey(r)) {
                settled = delivery.deliver(new Rendered(t.task(), new RenderOutcome.Skipped(skipped.get(r)), 0),
                        keepTrying(tp));
            } else if (rendered.containsKey(t.task())) {
                settled = delivery.deliver(rendered.get(t.task()), keepTrying(tp));
            } else {
                settled = CompletableFuture.failedFuture(new Delivery.Abandoned()); // not rendered: handed back
            }
            settled.whenComplete((v, e) -> {
                if (e != null && !(Failures.unwrap(e) instanceof Delivery.Abandoned)) {
                    LOG.errorf(Failures.unwrap(e), "lane %s: the task at %s@%d failed unexpectedly",
                            batchRenderer.describe(), tp, r.offset());
                }
            });
            pending.add(tp, r.offset(), settled);
        }
    }

    /** DEFERRED or CANCELLED for tasks of paused or cancelled sweeps; null for tasks to render. */
    private RenderResult.Outcome skipOutcome(RenderTask t) {
        SweepState state = sweeps.stateOf(t.sweepId());
        return state == SweepState.PAUSED ? RenderResult.Outcome.DEFERRED
                : state == SweepState.CANCELLED ? RenderResult.Outcome.CANCELLED : null;
    }

    /** Keep retrying a task's I/O while the lane runs and owns its partition. */
    private BooleanSupplier keepTrying(TopicPartition tp) {
        return () -> running && owned.contains(tp);
    }

    /** Seeks each partition of a poll back to its first record, so that the poll is fetched again. */
    private void rewindTo(List<ConsumerRecord<String, byte[]>> polled) {
        Map<TopicPartition, Long> first = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : polled) {
            first.merge(new TopicPartition(r.topic(), r.partition()), r.offset(), Math::min);
        }
        first.forEach((tp, offset) -> {
            if (owned.contains(tp)) {
                consumer.seek(tp, offset);
            }
        });
    }

    /**
     * Takes settled offsets in for commit. A record that was not handled (only an unexpected error does that while
     * the lane runs and owns its partition) is read again from it after a pause; after {@code maxAttempts} times the
     * lane skips it, so that it cannot stall its partition (the coordinator releases the task again after its stall
     * timeout).
     */
    private void absorb(Progress progress) {
        commits.add(progress.commit());
        int worst = 0;
        for (var e : progress.rewind().entrySet()) {
            TopicPartition tp = e.getKey();
            long offset = e.getValue();
            if (!running || !owned.contains(tp)) {
                continue;
            }
            int times = unhandled.merge(tp + "@" + offset, 1, Integer::sum);
            worst = Math.max(worst, times);
            if (times >= settings.maxAttempts()) {
                LOG.errorf("lane %s: the task at %s@%d was not handled %d times; skipping it (the coordinator "
                        + "releases it again after its stall timeout)", batchRenderer.describe(), tp, offset, times);
                consumer.seek(tp, offset + 1);
            } else {
                consumer.seek(tp, offset);
            }
        }
        if (worst > 0) {
            pause(settings.backoff().delay(worst));
        }
    }

    /** Pauses the lane thread; returns early when the lane stops. */
    private void pause(Duration pause) {
        try {
            Delivery.sleep(pause, () -> running);
        } catch (Delivery.Abandoned e) {
            // stopping
        }
    }

    /** Waits for the results in flight, commits what is done and leaves the group. */
    private void shutdown() {
        running = false;
        try {
            CompletableFuture<Void> all = pending.all();
            try {
                all.get(settings.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                LOG.warnf("lane %s: %d task(s) still storing or publishing after %d s; they will be redelivered",
                        batchRenderer.describe(), pending.unsettled(), settings.shutdownTimeout().toSeconds());
            } catch (ExecutionException e) {
                // settled
            }
            absorb(pending.drain());
            try {
                commits.commitNow(null, COMMIT_TIMEOUT);
            } catch (WakeupException e) {
                commits.commitNow(null, COMMIT_TIMEOUT); // the wakeup of stop() was not used up
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warnf("lane %s: the last results were not committed (%s); their tasks will be redelivered",
                    batchRenderer.describe(), Failures.describe(e));
        } finally {
            io.shutdownNow();
            try {
                consumer.close(CloseOptions.timeout(Duration.ofSeconds(5))
                        .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
            } catch (RuntimeException e) {
                LOG.debugf("lane %s: closing the consumer: %s", batchRenderer.describe(), Failures.describe(e));
            }
            LOG.infof("lane %s stopped and left the group", batchRenderer.describe());
        }
    }

    /** Asks the lane to stop after the batch in hand; safe from any thread. */
    public void stop() {
        running = false;
        consumer.wakeup();
    }

    /** Commits the finished work of partitions being taken away and forgets the rest of their work. */
    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            owned.addAll(partitions);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            absorb(pending.drain());
            try {
                commits.commitNow(partitions, COMMIT_TIMEOUT);
            } catch (KafkaException e) {
                LOG.debugf("lane %s: finished tasks of revoked partitions not committed (%s); their new owner "
                        + "redoes them", batchRenderer.describe(), e.getClass().getSimpleName());
            }
            forget(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            forget(partitions);
        }

        private void forget(Collection<TopicPartition> partitions) {
            owned.removeAll(partitions);
            pending.forget(partitions);
            commits.forget(partitions);
        }
    }
}
