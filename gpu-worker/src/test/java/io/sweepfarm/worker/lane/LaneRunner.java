package io.sweepfarm.worker.lane;

import io.sweepfarm.worker.render.Renderer;
import io.sweepfarm.worker.storage.ImageStore;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A lane built by hand, as the worker builds it, on its own thread, with its own result producer; remembers whether
 * its thread died of an exception.
 */
final class LaneRunner implements AutoCloseable {

    final TaskLane lane;
    final Thread thread;
    final AtomicReference<Throwable> died = new AtomicReference<>();
    private final KafkaProducer<String, byte[]> producer;

    LaneRunner(String bootstrap, String model, String laneId, Renderer renderer, ImageStore store,
            LaneSettings settings, SweepStates sweeps, Outages outages, Map<String, String> consumerSettings) {
        this(bootstrap, model, laneId, renderer, store, settings, sweeps, outages, consumerSettings, Map.of());
    }

    LaneRunner(String bootstrap, String model, String laneId, Renderer renderer, ImageStore store,
            LaneSettings settings, SweepStates sweeps, Outages outages, Map<String, String> consumerSettings,
            Map<String, String> producerSettings) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        p.putAll(producerSettings);
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        Properties c = new Properties();
        c.put("bootstrap.servers", bootstrap);
        c.put("group.id", "sweepfarm-workers." + model);
        c.put("client.id", laneId + "-tasks");
        c.put("enable.auto.commit", "false");
        c.put("auto.offset.reset", "earliest");
        c.put("max.poll.records", Integer.toString(settings.maxBatch()));
        c.put("partition.assignment.strategy", "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
        c.putAll(consumerSettings);
        lane = new TaskLane(model, new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer()),
                producer, renderer, store, laneId, settings, sweeps, outages);
        thread = new Thread(lane, "lane-" + laneId);
        thread.setUncaughtExceptionHandler((t, e) -> died.set(e));
        thread.start();
    }

    /** Stops the lane and waits for its thread to end. */
    void stop() throws InterruptedException {
        lane.stop();
        thread.join(60_000);
    }

    @Override
    public void close() throws InterruptedException {
        stop();
        producer.close();
    }
}
