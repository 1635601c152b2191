package io.sweepfarm.worker.lane;

import io.sweepfarm.common.json.Json;
import io.sweepfarm.common.messaging.RenderResult;
import io.sweepfarm.common.api.PromptOverflow;
import io.sweepfarm.common.image.ImageParameters;
import io.sweepfarm.common.messaging.RenderTask;
import io.sweepfarm.common.messaging.Topics;
import io.sweepfarm.common.storage.ObjectKeys;
import io.sweepfarm.devstack.Devstack;
import io.sweepfarm.devstack.Endpoints;
import io.sweepfarm.devstack.modelgen.Options;
import io.sweepfarm.devstack.modelgen.TinyStableDiffusion;
import io.sweepfarm.worker.render.EngineRenderer;
import io.sweepfarm.engine.model.DeviceSpec;
import io.sweepfarm.worker.storage.ImageStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Images per second through one lane — poll, render, PNG encode, S3 upload, result publish, offset commit — with the
 * lane sequential (1 I/O thread, pipeline depth 1) and overlapped (4 I/O threads, depth 2), side by side in one JVM
 * against devstack's real Kafka and S3. Rounds alternate between the two; medians are reported.
 *
 * <p>Run: {@code ./mvnw -q -pl gpu-worker -am -Pbench verify -DskipTests
 * -Dbench.main=io.sweepfarm.worker.lane.LaneThroughputBench} (system properties {@code bench.rounds},
 * {@code bench.images}, {@code bench.size}).
 */
public final class LaneThroughputBench {

    public static void main(String[] args) throws Exception {
        int rounds = Integer.getInteger("bench.rounds", 3);
        int images = Integer.getInteger("bench.images", 48);
        int size = Integer.getInteger("bench.size", 256);
        Path state = Files.createTempDirectory("sweepfarm-lane-bench-");
        Path model = TinyStableDiffusion.generate(state.resolve("model"),
                Options.defaults().toBuilder().unetChannels(32).unetBlocks(2).build());
        try (Devstack devstack = Devstack.start(state.resolve("infra"), false);
                EngineRenderer renderer = EngineRenderer.open("bench", model, DeviceSpec.CPU, 1)) {
            Endpoints e = devstack.endpoints();
            ImageStore store = new ImageStore(DevstackS3.config(e));
            store.ensureBucket();
            double[] sequential = new double[rounds];
            double[] overlapped = new double[rounds];
            run(e, renderer, store, "warmup", 8, size, 1, 1);
            for (int r = 0; r < rounds; r++) {
                sequential[r] = run(e, renderer, store, "seq" + r, images, size, 1, 1);
                overlapped[r] = run(e, renderer, store, "ovl" + r, images, size, 4, 2);
            }
            double s = median(sequential);
            double o = median(overlapped);
            System.out.printf("lane throughput, %d images of %dx%d per round (euler_a, 12 steps, CFG, batch 4), "
                    + "%d rounds, CPU device, devstack Kafka + S3%n", images, size, size, rounds);
            System.out.printf("sequential (1 I/O thread, depth 1): %6.2f img/s  %s%n", s, Arrays.toString(sequential));
            System.out.printf("overlapped (4 I/O threads, depth 2): %6.2f img/s  %s%n", o, Arrays.toString(overlapped));
            System.out.printf("overlapped / sequential            : %6.3f%n", o / s);
        }
    }

    /** Images per second for one round on a fresh model name (own topic and group). */
    private static double run(Endpoints e, EngineRenderer renderer, ImageStore store, String tag, int images,
            int size, int ioThreads, int depth) throws Exception {
        String model = "bench";
        String topic = Topics.tasks(model);
        UUID sweep = UUID.randomUUID();
        Properties p = new Properties();
        p.put("bootstrap.servers", e.kafkaBootstrap());
        try (var producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < images; i++) {
                UUID id = UUID.randomUUID();
                RenderTask t = new RenderTask(id, sweep, i, 1, new ImageParameters(model, "a lighthouse at dusk",
                        "blurry", 7.5, 12, "euler_a", i, size, size, "torch_cpu", PromptOverflow.TRUNCATE, null, null,
                        null), ObjectKeys.image(sweep, i, id));
                producer.send(new ProducerRecord<>(topic, id.toString(), Json.toBytes(t))).get();
            }
        }
        Properties c = new Properties();
        c.put("bootstrap.servers", e.kafkaBootstrap());
        c.put("group.id", "bench-results-" + tag);
        c.put("auto.offset.reset", "latest");
        Properties lc = new Properties();
        lc.put("bootstrap.servers", e.kafkaBootstrap());
        lc.put("group.id", "sweepfarm-workers.bench");
        lc.put("enable.auto.commit", "false");
        lc.put("auto.offset.reset", "earliest");
        lc.put("max.poll.records", "4");
        try (var results = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
                var laneProducer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            results.subscribe(List.of(Topics.RESULTS));
            while (results.assignment().isEmpty()) {
                results.poll(Duration.ofMillis(100));
            }
            KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(lc, new StringDeserializer(),
                    new ByteArrayDeserializer());
            TaskLane lane = new TaskLane(model, consumer, laneProducer, renderer, store, "bench/" + tag,
                    Lanes.settings(4, ioThreads, depth), SweepStates.NONE, new Outages());
            long t0 = System.nanoTime();
            Thread thread = new Thread(lane, "bench-lane");
            thread.start();
            Set<UUID> seen = new HashSet<>();
            while (seen.size() < images) {
                results.poll(Duration.ofMillis(50)).forEach(r -> {
                    RenderResult res = Json.fromBytes(r.value(), RenderResult.class);
                    if (res.sweepId().equals(sweep)) {
                        seen.add(res.imageId());
                    }
                });
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            lane.stop();
            thread.join();
            return images / seconds;
        }
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
