package io.sweepfarm.worker.lane;

import io.quarkus.runtime.ShutdownEvent;
import io.sweepfarm.common.api.SweepState;
import io.sweepfarm.common.json.Json;
import io.sweepfarm.common.messaging.SweepControl;
import io.sweepfarm.common.messaging.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Follows the compacted control topic from its beginning (no consumer group: every worker reads all of it) and keeps
 * the newest announced state of each sweep (by its {@code at}), so lanes can skip the tasks of paused and cancelled
 * sweeps.
 */
@ApplicationScoped
public class SweepControls implements SweepStates {

    private static final Logger LOG = Logger.getLogger(SweepControls.class);

    private final Map<UUID, SweepControl> states = new ConcurrentHashMap<>();
    private final String bootstrapServers;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile boolean running = true;
    private Thread thread;

    SweepControls(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    @Override
    public SweepState stateOf(UUID sweepId) {
        SweepControl c = states.get(sweepId);
        return c == null ? null : c.state();
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

    private void follow() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        consumer = c;
        try (c) {
            List<TopicPartition> partitions = List.of();
            while (running && partitions.isEmpty()) {
                partitions = c.partitionsFor(Topics.CONTROL, Duration.ofSeconds(5)).stream()
                        .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
                if (partitions.isEmpty()) {
                    Thread.sleep(1000); // the coordinator creates the topic at start
                }
            }
            c.assign(partitions);
            c.seekToBeginning(partitions);
            while (running) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                    apply(r);
                }
            }
        } catch (WakeupException | InterruptedException e) {
            // stopping
        } catch (RuntimeException e) {
            LOG.errorf(e, "following %s failed; pauses and cancellations no longer reach this worker's lanes "
                    + "(released tasks will render); restart the worker", Topics.CONTROL);
        }
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
            LOG.warnf("ignoring a malformed control message at offset %d: %s", r.offset(), e.getMessage());
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }
}
