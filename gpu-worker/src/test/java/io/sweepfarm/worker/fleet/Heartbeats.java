package io.sweepfarm.worker.fleet;

import io.sweepfarm.common.json.Json;
import io.sweepfarm.common.messaging.LaneHeartbeat;
import io.sweepfarm.common.messaging.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads the heartbeat topic from its beginning; {@link #poll()} is meant for Awaitility conditions. */
public final class Heartbeats implements AutoCloseable {

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<LaneHeartbeat> seen = new CopyOnWriteArrayList<>();

    public Heartbeats(String bootstrapServers) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrapServers);
        consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** Everything read so far, after reading what is new. */
    public List<LaneHeartbeat> poll() {
        if (consumer.assignment().isEmpty()) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.HEARTBEATS).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            if (partitions.isEmpty()) {
                return seen;
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }
        consumer.poll(Duration.ofMillis(200)).forEach(r -> {
            if (r.value() != null) {
                seen.add(Json.fromBytes(r.value(), LaneHeartbeat.class));
            }
        });
        return seen;
    }

    public List<LaneHeartbeat> of(String laneId) {
        return poll().stream().filter(h -> h.laneId().equals(laneId)).toList();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
