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
            while (running) {
                ConsumerRecords<String, byte[]> records = c.poll(Duration.ofMillis(500));
                if (!records.isEmpty()) {
                    revoked.set(false);
                    handle(c, records, revoked);
                }
            }
        } catch (WakeupException e) {
            // stopping
        } catch (RuntimeException e) {
            alive = false;
            Log.errorf(e, "The results consumer stopped: results are no longer recorded. Liveness now fails so that "
                    + "the coordinator is restarted.");
        }
    }

    /** Records one poll, retrying through outages; commits its offsets once recorded. */
    private void handle(KafkaConsumer<String, byte[]> c, ConsumerRecords<String, byte[]> records,
            AtomicBoolean revoked) {
        List<RenderResult> results = new ArrayList<>(records.count());
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            next.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
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
        Duration backoff = Duration.ofMillis(250);
        while (running) {
            try {
                ResultRecorder.Recorded recorded = QuarkusTransaction.requiringNew().call(() -> em
                        .unwrap(Session.class).doReturningWork(conn -> recorder.record(conn, results)));
                if (outageSince != null) {
                    Log.infof("Results are recorded again; the database was unreachable for %d s",
                            Duration.between(outageSince, Instant.now()).toSeconds());
                    outageSince = null;
                }
                metrics.recorded(results);
                c.resume(c.paused());
                commit(c, next);
                if (recorded.finished() > 0 || recorded.handedBack() > 0) {
                    relay.nudge(); // capacity was freed
                }
                return;
            } catch (RuntimeException e) {
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
                        rewind(c, records);
                        return;
                    }
                }
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
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

    /** Seeks the partitions still owned back to the batch's first offsets, so the batch is read again. */
    private static void rewind(KafkaConsumer<String, byte[]> c, ConsumerRecords<String, byte[]> records) {
        c.resume(c.paused());
        for (TopicPartition tp : records.partitions()) {
            if (c.assignment().contains(tp)) {
                c.seek(tp, records.records(tp).get(0).offset());
            }
        }
    }
}
