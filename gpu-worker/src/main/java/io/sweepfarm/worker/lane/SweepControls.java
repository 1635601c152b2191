package io.sweepfarm.worker.lane;

import io.quarkus.runtime.ShutdownEvent;
import io.sweepfarm.common.api.SweepState;
import io.sweepfarm.common.json.Json;
import io.sweepfarm.common.messaging.SweepControl;
import io.sweepfarm.common.messaging.Topics;
import io.sweepfarm.worker.config.WorkerConfig;
import io.sweepfarm.worker.lane.Outages.Dependency;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Follows the compacted control topic from its beginning (no consumer group: every worker reads all of it) and keeps
 * the newest announced state of each sweep (by its {@code at}), so lanes can skip the tasks of paused and cancelled
 * sweeps.
 *
 * <p>It never gives up: while the topic does not exist yet (the coordinator creates it when it starts), Kafka does
 * not answer, or reading fails, it retries with growing pauses, says so once in the log and reports itself not
 * {@link #status() following} (the readiness check is DOWN meanwhile: pauses and cancellations do not reach this
 * worker's lanes).
 */
@ApplicationScoped
public class SweepControls implements SweepStates {

    private static final Logger LOG = Logger.getLogger(SweepControls.class);

    /** Whether the topic is followed, and since when (or why not). */
    public record Status(boolean following, String detail, Instant since) {
    }

    private final Map<UUID, SweepControl> states = new ConcurrentHashMap<>();
    private final String bootstrapServers;
    private final String topic;
    private final Backoff backoff;
    private final Duration metadataTimeout;
    private final Outages outages;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile boolean running = true;
    private volatile Status status = new Status(false, "not started", Instant.now());
    private Thread thread;

    @Inject
    SweepControls(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, WorkerConfig config,
            Outages outages) {
        this(bootstrapServers, Topics.CONTROL, LaneSettings.of(config).backoff(), Duration.ofSeconds(5), outages);
    }

    /**
     * @param metadataTimeout how long one lookup of the topic waits for Kafka
     */
    SweepControls(String bootstrapServers, String topic, Backoff backoff, Duration metadataTimeout, Outages outages) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.backoff = backoff;
        this.metadataTimeout = metadataTimeout;
        this.outages = outages;
    }

    @Override
    public SweepState stateOf(UUID sweepId) {
        SweepControl c = states.get(sweepId);
        return c == null ? null : c.state();
    }

    /** Whether pauses and cancellations currently reach this worker. */
    public Status status() {
        return status;
    }

    /** Whether the following thread is alive (or not started yet): false only if it died. */
    boolean alive() {
        Thread t = thread;
        return t == null || t.isAlive() || !running;
    }

    /** Starts following the topic on a daemon thread; idempotent. */
    synchronized void start() {
        if (thread != null) {
            return;
        }
        thread = new Thread(this::follow, "sweep-controls");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops following; safe from any thread. */
    void stop() {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            try {
                c.wakeup();
            } catch (RuntimeException e) {
                // already closed
            }
        }
    }

    private void follow() {
        int failures = 0;
        while (running) {
            try (KafkaConsumer<String, byte[]> c = newConsumer()) {
                consumer = c;
                List<TopicPartition> partitions = awaitPartitions(c);
                if (partitions.isEmpty()) {
                    break; // stopping
                }
                c.assign(partitions);
                c.seekToBeginning(partitions);
                while (running) {
                    var records = c.poll(Duration.ofMillis(500));
                    if (!status.following()) {
                        report(true, "following " + topic + " (" + partitions.size() + " partition(s))");
                    }
                    failures = 0;
                    for (ConsumerRecord<String, byte[]> r : records) {
                        apply(r);
                    }
                }
            } catch (WakeupException e) {
                // stopping
            } catch (InterruptException e) {
                break;
            } catch (RuntimeException e) {
                report(false, "reading " + topic + " failed: " + Failures.describe(e));
                pause(backoff.delay(++failures));
            }
        }
        status = new Status(false, "stopped", Instant.now());
    }

    /** The topic's partitions, once it exists and Kafka answers; empty only when stopping. */
    private List<TopicPartition> awaitPartitions(KafkaConsumer<String, byte[]> c) {
        for (int retry = 1; running; retry++) {
            long started = System.nanoTime();
            try {
                List<TopicPartition> partitions = c.partitionsFor(topic, metadataTimeout).stream()
                        .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
                outages.succeeded(Dependency.KAFKA);
                if (!partitions.isEmpty()) {
                    return partitions;
                }
                report(false, "the control topic " + topic + " does not exist yet (the coordinator creates it "
                        + "when it starts)");
            } catch (TimeoutException e) {
                outages.failed(Dependency.KAFKA, "no answer to a metadata request within "
                        + metadataTimeout.toMillis() + " ms", "looking up the control topic", started);
                report(false, "Kafka did not answer the lookup of " + topic);
            }
            pause(backoff.delay(retry));
        }
        return List.of();
    }

    /** Records a change of status, logging it once per change. */
    private void report(boolean following, String detail) {
        Status before = status;
        if (before.following() == following && before.detail().equals(detail)) {
            return;
        }
        status = new Status(following, detail, Instant.now());
        if (following) {
            LOG.infof("%s; pauses and cancellations reach this worker's lanes", detail);
        } else {
            LOG.warnf("%s; until it is followed, pauses and cancellations do not reach this worker's lanes (tasks "
                    + "of paused sweeps are rendered); retrying with growing pauses", detail);
        }
    }

    private void pause(Duration pause) {
        try {
            Delivery.sleep(pause, () -> running);
        } catch (Delivery.Abandoned e) {
            // stopping
        }
    }

    private KafkaConsumer<String, byte[]> newConsumer() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }

    void apply(ConsumerRecord<String, byte[]> r) {
        try {
            UUID sweep = UUID.fromString(r.key());
            if (r.value() == null) {
                states.remove(sweep);
                return;
            }
            SweepControl c = Json.fromBytes(r.value(), SweepControl.class);
            // Announcements may repeat or arrive out of order: keep the newest.
            SweepControl kept = states.merge(sweep, c, (old, now) -> now.at() != null && old.at() != null
                    && now.at().isBefore(old.at()) ? old : now);
            LOG.debugf("sweep %s is now %s", sweep, kept.state());
        } catch (RuntimeException e) {
            LOG.warnf("ignoring a malformed control message at offset %d (%s)", r.offset(),
                    e.getClass().getSimpleName());
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }
}
