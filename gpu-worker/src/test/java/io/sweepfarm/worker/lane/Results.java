package io.sweepfarm.worker.lane;

import static org.awaitility.Awaitility.await;

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

/** Reads the results topic from the start until a sweep has enough results. */
final class Results {

    private Results() {
    }

    /** Waits until {@code count} results of {@code sweep} have been published, and returns them. */
    static List<RenderResult> collect(String bootstrap, UUID sweep, int count, Duration timeout) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("group.id", "test-" + UUID.randomUUID());
        p.put("auto.offset.reset", "earliest");
        List<RenderResult> results = new CopyOnWriteArrayList<>();
        try (var consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.RESULTS));
            await().atMost(timeout).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    RenderResult res = Json.fromBytes(r.value(), RenderResult.class);
                    if (res.sweepId().equals(sweep)) {
                        results.add(res);
                    }
                });
                return results.stream().map(RenderResult::imageId).distinct().count() >= count;
            });
        }
        return results;
    }
}
