package io.sweepfarm.worker.lane;

import io.sweepfarm.common.api.SweepState;
import io.sweepfarm.common.json.Json;
import io.sweepfarm.common.messaging.RenderResult;
import io.sweepfarm.common.messaging.RenderTask;
import io.sweepfarm.common.messaging.Topics;
import io.sweepfarm.worker.fleet.LaneStats;
import io.sweepfarm.worker.lane.BatchRenderer.Rendered;
import io.sweepfarm.worker.render.RenderOutcome;
import io.sweepfarm.worker.render.Renderer;
import io.sweepfarm.worker.storage.ImageStore;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

/**
 * One lane: a model pinned to a device, consuming that model's task topic on its own thread.
 *
 * <p>Delivery is at-least-once and crash-safe: for every polled record the lane renders the image, stores the PNG
 * in S3, publishes the {@link RenderResult} and waits for the broker's ack, and only then commits the record's
 * offset. A crash anywhere before the commit redelivers the task; the repeat overwrites the same object key with the
 * same bytes and the coordinator ignores the repeated result. If storage or the result topic fails, the lane seeks
 * back and retries from the first unfinished poll after a pause, so nothing is skipped.
 *
 * <p>Tasks of sweeps the control topic says are paused or cancelled are not rendered: they are reported DEFERRED
 * (the coordinator releases them again on resume) or CANCELLED.
 *
 * <p>I/O overlaps compute: the lane thread renders (the device's work) while an I/O pool encodes PNGs, uploads them
 * in parallel and publishes the results of the previous polls. At most {@code pipelineDepth} polls are in flight;
 * their offsets are committed strictly in poll order, each only once its own results are acknowledged. Depth 1 is
 * the fully sequential lane.
 */
public final class TaskLane implements Runnable {

    private static final Logger LOG = Logger.getLogger(TaskLane.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final BatchRenderer batchRenderer;
    private final String topic;
    private final Duration retryBackoff;
    private final int pipelineDepth;
    private final ExecutorService io;
    private final Deque<InFlight> inFlight = new ArrayDeque<>();
    private final SweepStates sweeps;
    private final LaneStats stats;
    private volatile boolean running = true;

    /** One poll whose results are being stored and published. */
    private record InFlight(Map<TopicPartition, Long> firstOffsets, Map<TopicPartition, OffsetAndMetadata> next,
            CompletableFuture<Void> done, int count) {
    }

    public TaskLane(String model, KafkaConsumer<String, byte[]> consumer, KafkaProducer<String, byte[]> producer,
            Renderer renderer, ImageStore store, String laneId, LaneSettings settings, SweepStates sweeps) {
        this(model, consumer, producer, renderer, store, laneId, settings, sweeps, LaneStats.detached(laneId));
    }

    /** With {@code stats}, the lane reports its batches and failures to the fleet heartbeats. */
    public TaskLane(String model, KafkaConsumer<String, byte[]> consumer, KafkaProducer<String, byte[]> producer,
            Renderer renderer, ImageStore store, String laneId, LaneSettings settings, SweepStates sweeps,
            LaneStats stats) {
        this.consumer = consumer;
        this.producer = producer;
        this.topic = Topics.tasks(model);
        this.stats = stats;
        this.batchRenderer = new BatchRenderer(renderer, store, laneId, settings.maxBatch(), stats);
        this.retryBackoff = settings.retryBackoff();
        this.pipelineDepth = Math.max(1, settings.pipelineDepth());
        this.sweeps = sweeps;
        this.io = Executors.newFixedThreadPool(Math.max(1, settings.ioThreads()), r -> {
            Thread t = new Thread(r, "io-" + laneId);
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void run() {
        consumer.subscribe(List.of(topic));
        LOG.infof("lane %s consuming %s (pipeline depth %d)", batchRenderer.describe(), topic, pipelineDepth);
        try {
            while (running) {
                settle(inFlight.size() >= pipelineDepth);
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(inFlight.isEmpty() ? 500 : 20));
                if (!records.isEmpty()) {
                    start(records);
                }
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } finally {
            try {
                while (!inFlight.isEmpty()) {
                    settle(true);
                }
            } catch (RuntimeException e) {
                LOG.warnf("lane %s: last results not committed (%s); their tasks will be redelivered",
                        batchRenderer.describe(), e.getMessage());
            }
            io.shutdown();
            consumer.close(Duration.ofSeconds(5));
            LOG.infof("lane %s stopped", batchRenderer.describe());
        }
    }

    /** Renders a poll on this thread and hands its storing and publishing to the I/O pool. */
    private void start(ConsumerRecords<String, byte[]> records) {
        List<RenderTask> tasks = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            try {
                tasks.add(Json.fromBytes(r.value(), RenderTask.class));
            } catch (RuntimeException e) {
                LOG.errorf("lane %s: skipping malformed task at %s-%d@%d: %s", batchRenderer.describe(), r.topic(),
                        r.partition(), r.offset(), e.getMessage());
            }
        }
        Map<TopicPartition, Long> first = new HashMap<>();
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> rs = records.records(tp);
            first.put(tp, rs.get(0).offset());
            next.put(tp, new OffsetAndMetadata(rs.get(rs.size() - 1).offset() + 1));
        }
        CompletableFuture<Void> done;
        try {
            List<Rendered> rendered = new ArrayList<>(tasks.size());
            List<RenderTask> toRender = new ArrayList<>(tasks.size());
            for (RenderTask t : tasks) {
                SweepState state = sweeps.stateOf(t.sweepId());
                if (state == SweepState.PAUSED || state == SweepState.CANCELLED) {
                    rendered.add(new Rendered(t, new RenderOutcome.Skipped(state == SweepState.PAUSED
                            ? RenderResult.Outcome.DEFERRED : RenderResult.Outcome.CANCELLED), 0));
                } else {
                    toRender.add(t);
                }
            }
            rendered.addAll(batchRenderer.renderAll(toRender));
            List<CompletableFuture<RenderResult>> stored = new ArrayList<>(rendered.size());
            for (Rendered r : rendered) {
                stored.add(CompletableFuture.supplyAsync(() -> batchRenderer.store(r), io));
            }
            done = CompletableFuture.allOf(stored.toArray(CompletableFuture[]::new))
                    .thenAcceptAsync(v -> publish(stored.stream().map(CompletableFuture::join).toList()), io);
        } catch (RuntimeException e) {
            done = CompletableFuture.failedFuture(e);
        }
        inFlight.addLast(new InFlight(first, next, done, records.count()));
    }

    /**
     * Commits the polls at the head of the queue whose results are out, in order; with {@code wait}, waits for the
     * head first. A failed poll rewinds the consumer to it and drops the polls after it (they are redone).
     */
    private void settle(boolean wait) {
        while (!inFlight.isEmpty()) {
            InFlight head = inFlight.peekFirst();
            if (!head.done.isDone()) {
                if (!wait) {
                    return;
                }
                try {
                    head.done.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                    return;
                } catch (ExecutionException e) {
                    // handled below
                }
            }
            wait = false;
            inFlight.removeFirst();
            if (head.done.isCompletedExceptionally()) {
                Throwable cause = cause(head.done);
                stats.error("storing or publishing results failed: " + cause.getMessage());
                LOG.warnf("lane %s: %s; the %d task(s) of this poll and any after it will be retried in %d ms "
                        + "(check S3 and Kafka)", batchRenderer.describe(), cause.getMessage(), head.count,
                        retryBackoff.toMillis());
                rewind(head);
                inFlight.clear();
                pause();
                return;
            }
            try {
                consumer.commitSync(head.next);
            } catch (CommitFailedException e) {
                LOG.warnf("lane %s: offset commit refused after a rebalance (%s); the tasks will be redelivered and "
                        + "their repeated results ignored", batchRenderer.describe(), e.getMessage());
            }
        }
    }

    private static Throwable cause(CompletableFuture<Void> f) {
        try {
            f.join();
            return new IllegalStateException("no failure");
        } catch (CompletionException e) {
            return e.getCause() == null ? e : e.getCause();
        }
    }

    private void publish(List<RenderResult> results) {
        List<Future<RecordMetadata>> acks = new ArrayList<>(results.size());
        for (RenderResult r : results) {
            acks.add(producer.send(new ProducerRecord<>(Topics.RESULTS, r.imageId().toString(), Json.toBytes(r))));
        }
        producer.flush();
        for (int i = 0; i < acks.size(); i++) {
            try {
                acks.get(i).get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new ResultPublishException("result of image " + results.get(i).imageId()
                        + " was not acknowledged by Kafka: " + e.getMessage(), e);
            }
        }
    }

    /** Seeks every partition back to the first record of the failed poll or of any poll after it. */
    private void rewind(InFlight failed) {
        Map<TopicPartition, Long> first = new HashMap<>(failed.firstOffsets);
        for (InFlight later : inFlight) {
            later.firstOffsets.forEach((tp, offset) -> first.merge(tp, offset, Math::min));
        }
        first.forEach((tp, offset) -> {
            if (consumer.assignment().contains(tp)) {
                consumer.seek(tp, offset);
            }
        });
    }

    private void pause() {
        try {
            Thread.sleep(retryBackoff.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Asks the lane to stop after the work in hand; safe from any thread. */
    public void stop() {
        running = false;
        consumer.wakeup();
    }

    static final class ResultPublishException extends RuntimeException {
        ResultPublishException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
