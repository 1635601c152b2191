package io.sweepfarm.coordinator.fleet;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.sweepfarm.common.json.Json;
import io.sweepfarm.common.messaging.LaneHeartbeat;
import io.sweepfarm.common.messaging.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the compacted heartbeat topic from its beginning into the {@link Fleet}, on its own thread.
 *
 * <p>A plain consumer with assigned partitions and no consumer group rather than a SmallRye channel: every
 * coordinator replica needs every lane's heartbeat (a group would split the partitions between replicas), and the
 * view is rebuilt from the compacted topic at each start, so there are no offsets to commit. The consumer takes its
 * settings from Quarkus' Kafka configuration, so TLS and SASL reach it.
 */
@ApplicationScoped
public class HeartbeatFollower {

    private final Fleet fleet;
    private final Map<String, Object> kafka;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile boolean running = true;
    private Thread thread;

    @Inject
    HeartbeatFollower(Fleet fleet, @Identifier("default-kafka-broker") Map<String, Object> kafka) {
        this.fleet = fleet;
        this.kafka = kafka;
    }

    synchronized void onStart(@Observes StartupEvent event) {
        if (thread == null) {
            thread = new Thread(this::follow, "heartbeat-follower");
            thread.setDaemon(true);
            thread.start();
        }
    }

    private void follow() {
        Map<String, Object> p = new HashMap<>(kafka);
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "sweepfarm-coordinator-heartbeats");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        consumer = c;
        try (c) {
            List<TopicPartition> partitions = List.of();
            while (running && partitions.isEmpty()) {
                partitions = c.partitionsFor(Topics.HEARTBEATS, Duration.ofSeconds(5)).stream()
                        .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
                if (partitions.isEmpty()) {
                    Thread.sleep(1000); // TopicAdmin creates it at start
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
            Log.errorf(e, "Following %s failed; GET /api/v1/workers and /api/v1/models no longer change and will "
                    + "show every lane as lost. Restart the coordinator", Topics.HEARTBEATS);
        }
    }

    private void apply(ConsumerRecord<String, byte[]> r) {
        if (r.key() == null) {
            return;
        }
        try {
            LaneHeartbeat h = r.value() == null ? null : Json.fromBytes(r.value(), LaneHeartbeat.class);
            if (h != null && !r.key().equals(h.laneId())) {
                Log.warnf("Ignoring a heartbeat at offset %d whose key is not its lane id", r.offset());
                return;
            }
            fleet.apply(r.key(), h, Instant.ofEpochMilli(r.timestamp()));
        } catch (RuntimeException e) {
            Log.warnf("Ignoring a malformed heartbeat at offset %d: %s", r.offset(), e.getMessage());
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
