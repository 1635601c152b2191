package io.sweepfarm.worker.lane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sweepfarm.common.json.Json;
import io.sweepfarm.common.messaging.RenderResult;
import io.sweepfarm.common.messaging.RenderTask;
import io.sweepfarm.common.messaging.Topics;
import io.sweepfarm.devstack.Endpoints;
import io.sweepfarm.devstack.modelgen.Options;
import io.sweepfarm.devstack.modelgen.TinyStableDiffusion;
import io.sweepfarm.devstack.testing.DevstackTestResource;
import io.sweepfarm.devstack.testing.RequiresInfra;
import io.sweepfarm.worker.config.S3Config;
import io.sweepfarm.worker.render.EngineRenderer;
import io.sweepfarm.engine.model.DeviceSpec;
import io.sweepfarm.worker.storage.ImageStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The overlapped lane against real Kafka and S3 when uploads fail for a while: it rewinds to the first unfinished
 * poll, retries, and ends with every task rendered, stored and reported, and every offset committed.
 */
@RequiresInfra
class TaskLaneRecoveryTest {

    @TempDir
    Path dir;

    /** An image store whose first uploads fail, as during an S3 outage. */
    static final class FlakyStore extends ImageStore {
        final AtomicInteger failuresLeft;
        final Set<String> stored = ConcurrentHashMap.newKeySet();

        FlakyStore(S3Config config, int failures) {
            super(config);
            this.failuresLeft = new AtomicInteger(failures);
        }

        @Override
        public void putPng(String key, byte[] png, Map<String, String> metadata) {
            if (failuresLeft.getAndDecrement() > 0) {
                throw new StorageException("S3 unavailable (simulated) for " + key, null);
            }
            super.putPng(key, png, metadata);
            stored.add(key);
        }
    }

    @Test
    void anS3OutageMidStreamDelaysTasksButLosesNoneAndCommitsEveryOffset() throws Exception {
        Endpoints e = DevstackTestResource.endpoints();
        String model = "recovery-" + UUID.randomUUID().toString().substring(0, 8);
        Path modelDir = TinyStableDiffusion.generate(dir.resolve("model"), Options.defaults());
        FlakyStore store = new FlakyStore(DevstackS3.config(e), 5);
        store.ensureBucket();
        Properties p = new Properties();
        p.put("bootstrap.servers", e.kafkaBootstrap());
        UUID sweep = UUID.randomUUID();
        List<RenderTask> tasks = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            tasks.add(TaskLaneIntegrationTest.task(model, sweep, i, i, null, null, null));
        }
        try (var producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (RenderTask t : tasks) {
                producer.send(new ProducerRecord<>(Topics.tasks(model), t.imageId().toString(), Json.toBytes(t))).get();
            }
        }
        Properties lc = new Properties();
        lc.putAll(p);
        lc.put("group.id", "sweepfarm-workers." + model);
        lc.put("enable.auto.commit", "false");
        lc.put("auto.offset.reset", "earliest");
        lc.put("max.poll.records", "2");
        List<RenderResult> results;
        try (EngineRenderer renderer = EngineRenderer.open(model, modelDir, DeviceSpec.CPU, 1);
                var laneProducer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            TaskLane lane = new TaskLane(model, new KafkaConsumer<>(lc, new StringDeserializer(),
                    new ByteArrayDeserializer()), laneProducer, renderer, store, "recovery",
                    new LaneSettings(2, Duration.ofMillis(100), 3, 3), SweepStates.NONE);
            Thread thread = new Thread(lane, "recovery-lane");
            thread.start();
            try {
                results = Results.collect(e.kafkaBootstrap(), sweep, tasks.size(), Duration.ofMinutes(2));
                await().atMost(Duration.ofSeconds(30)).until(() -> lag(p, model) == 0);
            } finally {
                lane.stop();
                thread.join();
            }
        }
        assertThat(store.failuresLeft.get()).isNegative();
        assertThat(results).allMatch(r -> r.outcome() == RenderResult.Outcome.SUCCEEDED);
        assertThat(store.stored).containsExactlyInAnyOrderElementsOf(tasks.stream().map(RenderTask::outputKey).toList());
    }

    private static long lag(Properties p, String model) throws Exception {
        try (Admin admin = Admin.create(p)) {
            String topic = Topics.tasks(model);
            var committed = admin.listConsumerGroupOffsets("sweepfarm-workers." + model).partitionsToOffsetAndMetadata()
                    .get();
            var partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions();
            Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
            partitions.forEach(pi -> latest.put(new TopicPartition(topic, pi.partition()), OffsetSpec.latest()));
            long lag = 0;
            for (var end : admin.listOffsets(latest).all().get().entrySet()) {
                var c = committed.get(end.getKey());
                lag += end.getValue().offset() - (c == null ? 0 : c.offset());
            }
            return lag;
        }
    }
}
