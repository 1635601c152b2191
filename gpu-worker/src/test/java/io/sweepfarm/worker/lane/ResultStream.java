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

/** Collects, in the background, the results one sweep gets on the results topic. */
final class ResultStream implements AutoCloseable {

    private final List<RenderResult> results = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    ResultStream(String bootstrap, UUID sweep) {
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
                    consumer.poll(Duration.ofMillis(100)).forEach(r -> {
                        RenderResult res = Json.fromBytes(r.value(), RenderResult.class);
                        if (res.sweepId().equals(sweep)) {
                            results.add(res);
                        }
                    });
                }
            }
        }, "results-" + sweep);
        thread.start();
    }

    List<RenderResult> results() {
        return List.copyOf(results);
    }

    long distinctImages() {
        return results.stream().map(RenderResult::imageId).distinct().count();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join();
    }
}
