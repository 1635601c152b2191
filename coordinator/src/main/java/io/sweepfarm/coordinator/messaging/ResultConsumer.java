package io.sweepfarm.coordinator.messaging;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.sweepfarm.common.json.Json;
import io.sweepfarm.common.messaging.KafkaClients;
import io.sweepfarm.common.messaging.RenderResult;
import io.sweepfarm.common.messaging.Topics;
import io.sweepfarm.coordinator.config.CoordinatorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.hibernate.Session;

/**
 * Consumes {@link RenderResult}s from {@link Topics#RESULTS} in batches (group {@code sweepfarm-coordinator}) and
 * records each poll in one transaction ({@link ResultRecorder}); the offsets are committed only after that
 * transaction commits, so a crash in between redelivers results, which are recorded idempotently.
 *
 * <p>When recording fails (the database is down or restarting) the batch is retried with a growing pause, for as long
 * as it takes, while the consumer keeps its group membership (its partitions are paused and it keeps polling): an
 * outage of any length delays results, it neither loses them nor needs a restart. A rebalance during the wait hands
 * the batch to whichever coordinator now owns the partitions. The outage is logged once, and its end with its
 * duration. A message that is not a result is logged and skipped (retrying cannot fix it). If the consumer thread
 * stops for any other reason, {@link #alive()} turns false and liveness fails, so the process is restarted.
 */
@ApplicationScoped
public class ResultConsumer {

    static final String GROUP = "sweepfarm-coordinator";
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    /** Every {@code kafka.*} setting (TLS, SASL...), which the consumer starts from. */
    @Inject
    @io.smallrye.common.annotation.Identifier("default-kafka-broker")
    java.util.Map<String, Object> kafka;

    @Inject
    CoordinatorConfig config;

    @Inject
    ResultRecorder recorder;

    @Inject
    EntityManager em;

    @Inject
    TaskRelay relay;

    @Inject
    io.sweepfarm.coordinator.metrics.CoordinatorMetrics metrics;

    private volatile boolean running = true;
    private volatile boolean alive = true;
    private volatile Instant outageSince;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    void onStart(@Observes StartupEvent event) {
        thread = new Thread(this::run, "results-consumer");
        thread.setDaemon(true);
        thread.start();
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            thread.join(10_000);
        }
    }

    /** False once the consumer thread has stopped unexpectedly: liveness fails. */
    public boolean alive() {
        return alive;
    }

    /** Since when results cannot be recorded (the database is unreachable), or null. */
    public Instant outageSince() {
        return outageSince;
    }

    private void run() {
        var p = KafkaClients.settings(kafka, java.util.Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, GROUP,
                ConsumerConfig.CLIENT_ID_CONFIG, "sweepfarm-coordinator-results",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(config.resultBatchSize()),
                ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                "org.apache.kafka.clients.consumer.CooperativeStickyAssignor"));
        // Records the batches, one at a time, while this thread polls and decodes the next.
        java.util.concurrent.ExecutorService recorderThread = java.util.concurrent.Executors
                .newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "results-recorder");
                    t.setDaemon(true);
                    return t;
                });
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer = c;
            metrics.watchResultConsumer(c);
            AtomicBoolean revoked = new AtomicBoolean();
            c.subscribe(List.of(Topics.RESULTS), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    revoked.set(true);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    revoked.set(true);
                }
            });
            // A batch handed to the recorder thread, its offsets not committed yet; at a stop it is not waited for:
            // its results are delivered again and recorded idempotently.
            Batch recording = null;
            while (running) {
                ConsumerRecords<String, byte[]> records = c.poll(Duration.ofMillis(recording == null ? 500 : 20));
                Batch polled = records.isEmpty() ? null : decode(records);
                if (recording != null) {
                    if (!settle(c, recording, polled, revoked)) {
                        polled = null; // both batches were rewound: they are read again
                    }
                    recording = null;
                }
                if (polled != null) {
                    revoked.set(false);
                    List<RenderResult> results = polled.results;
                    polled.recorded = recorderThread.submit(() -> record(results));
                    recording = polled;
                }
            }
        } catch (WakeupException e) {
            // stopping
        } catch (RuntimeException e) {
            alive = false;
            Log.errorf(e, "The results consumer stopped: results are no longer recorded. Liveness now fails so that "
                    + "the coordinator is restarted.");
        } finally {
            recorderThread.shutdownNow();
        }
    }

    /**
     * A poll's results and the offsets to commit once they are recorded. Recording runs on a thread of its own, so
     * that the next poll is fetched and decoded while the database records this one; one batch at a time is
     * recorded, and its offsets are committed before the next batch starts.
     */
    private static final class Batch {
        final ConsumerRecords<String, byte[]> records;
        final List<RenderResult> results;
        final Map<TopicPartition, OffsetAndMetadata> next;
        java.util.concurrent.Future<ResultRecorder.Recorded> recorded;

        Batch(ConsumerRecords<String, byte[]> records, List<RenderResult> results,
                Map<TopicPartition, OffsetAndMetadata> next) {
            this.records = records;
            this.results = results;
            this.next = next;
        }
    }

    /** One transaction for the whole batch. */
    private ResultRecorder.Recorded record(List<RenderResult> results) {
        return QuarkusTransaction.requiringNew().call(() -> em.unwrap(Session.class)
                .doReturningWork(conn -> recorder.record(conn, results)));
    }

    /** The poll's results (a message that is not a result is logged and skipped) and its offsets. */
    private static Batch decode(ConsumerRecords<String, byte[]> records) {
        List<RenderResult> results = new ArrayList<>(records.count());
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> polled = records.records(tp);
            next.put(tp, new OffsetAndMetadata(polled.get(polled.size() - 1).offset() + 1));
        }
        for (ConsumerRecord<String, byte[]> r : records) {
            try {
                RenderResult result = Json.fromBytes(r.value(), RenderResult.class);
                if (result == null || result.imageId() == null || result.outcome() == null) {
                    throw new IllegalArgumentException("no image_id or outcome");
                }
                results.add(result);
            } catch (RuntimeException e) {
                Log.warnf("Skipping the message at %s-%d@%d on the results topic: it is not a RenderResult (%s)",
                        r.topic(), r.partition(), r.offset(), e.getMessage());
            }
        }
        return new Batch(records, results, next);
    }

    /**
     * Waits until the batch is recorded, retrying through outages, and commits its offsets. Returns false when its
     * partitions moved to another coordinator while it waited: then it and {@code held} (polled meanwhile, not
     * recorded) are rewound, to be read again by whoever owns their partitions.
     */
    private boolean settle(KafkaConsumer<String, byte[]> c, Batch batch, Batch held, AtomicBoolean revoked) {
        ResultRecorder.Recorded recorded;
        try {
            recorded = batch.recorded.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WakeupException();
        } catch (java.util.concurrent.ExecutionException e) {
            recorded = retry(c, batch, held, revoked, e.getCause() instanceof RuntimeException r ? r
                    : new IllegalStateException(e.getCause()));
            if (recorded == null) {
                return false;
            }
        }
        metrics.recorded(batch.results);
        commit(c, batch.next);
        if (recorded.finished() > 0 || recorded.handedBack() > 0) {
            relay.nudge(); // capacity was freed
        }
        return true;
    }

    /** Retries a batch whose recording failed, as long as it takes; null when its partitions were revoked. */
    private ResultRecorder.Recorded retry(KafkaConsumer<String, byte[]> c, Batch batch, Batch held,
            AtomicBoolean revoked, RuntimeException failure) {
        Duration backoff = Duration.ofMillis(250);
        RuntimeException e = failure;
        while (running) {
            if (outageSince == null) {
                outageSince = Instant.now();
                Log.warnf("Recording results failed: %s. The database is probably unreachable; results wait in "
                        + "Kafka (nothing is lost) and are retried every few seconds until it is back.",
                        TaskRelay.rootMessage(e));
            }
            // Every partition waits, not only the batch's: a record polled meanwhile would be skipped.
            c.pause(c.assignment());
            long until = System.nanoTime() + backoff.toNanos();
            while (running && System.nanoTime() < until) {
                // Keeps the group membership; paused partitions return nothing. Partitions assigned meanwhile
                // are not paused yet: what they return is read again later.
                ConsumerRecords<String, byte[]> stray = c.poll(Duration.ofMillis(100));
                for (TopicPartition tp : stray.partitions()) {
                    c.seek(tp, stray.records(tp).get(0).offset());
                }
                c.pause(c.assignment());
                if (revoked.get()) {
                    Log.infof("Partitions moved to another coordinator while results waited; it records them");
                    rewind(c, batch, held);
                    return null;
                }
            }
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            try {
                ResultRecorder.Recorded recorded = record(batch.results);
                Log.infof("Results are recorded again; the database was unreachable for %d s",
                        Duration.between(outageSince, Instant.now()).toSeconds());
                outageSince = null;
                c.resume(c.paused());
                return recorded;
            } catch (RuntimeException again) {
                e = again;
            }
        }
        throw new WakeupException();
    }

    private static void commit(KafkaConsumer<String, byte[]> c, Map<TopicPartition, OffsetAndMetadata> next) {
        Map<TopicPartition, OffsetAndMetadata> owned = new HashMap<>(next);
        owned.keySet().retainAll(c.assignment());
        try {
            c.commitSync(owned);
        } catch (KafkaException e) {
            // A rebalance took the partitions: the results are recorded; their redelivery changes nothing.
            Log.debugf("Offsets of recorded results not committed (%s); they will be redelivered and ignored",
                    e.getMessage());
        }
    }

    /**
     * Seeks the partitions still owned back to the first offsets of {@code batch} and {@code held} (either may lack
     * a partition the other has), so both are read again.
     */
    private static void rewind(KafkaConsumer<String, byte[]> c, Batch batch, Batch held) {
        c.resume(c.paused());
        Map<TopicPartition, Long> first = new HashMap<>();
        for (Batch b : new Batch[] {batch, held}) {
            if (b != null) {
                for (TopicPartition tp : b.records.partitions()) {
                    first.merge(tp, b.records.records(tp).get(0).offset(), Math::min);
                }
            }
        }
        first.forEach((tp, offset) -> {
            if (c.assignment().contains(tp)) {
                c.seek(tp, offset);
            }
        });
    }
}
