package io.sweepfarm.worker.lane;

import io.sweepfarm.common.json.Json;
import io.sweepfarm.common.messaging.RenderResult;
import io.sweepfarm.common.messaging.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Collects, in the background, the results published on the results topic (from its beginning). */
final class ResultStream implements AutoCloseable {

    private final List<RenderResult> results = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    ResultStream(String bootstrap) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("group.id", "test-" + UUID.randomUUID());
        p.put("auto.offset.reset", "earliest");
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer());
        consumer.subscribe(List.of(Topics.RESULTS));
        thread = new Thread(() -> {
            try (consumer) {
                while (running) {
                    consumer.poll(Duration.ofMillis(100))
                            .forEach(r -> results.add(Json.fromBytes(r.value(), RenderResult.class)));
                }
            }
        }, "results");
        thread.start();
    }

    /** The results of {@code sweep} so far. */
    List<RenderResult> of(UUID sweep) {
        return results.stream().filter(r -> r.sweepId().equals(sweep)).toList();
    }

    /** The images of {@code sweep} that have a result so far. */
    long distinctImages(UUID sweep) {
        return of(sweep).stream().map(RenderResult::imageId).distinct().count();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join();
    }
}
