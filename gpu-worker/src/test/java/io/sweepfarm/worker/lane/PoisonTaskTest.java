package io.sweepfarm.worker.lane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.sweepfarm.common.image.ImageParameters;
import io.sweepfarm.common.json.Json;
import io.sweepfarm.common.messaging.RenderResult;
import io.sweepfarm.common.messaging.RenderResult.Outcome;
import io.sweepfarm.common.messaging.RenderTask;
import io.sweepfarm.common.storage.ObjectKeys;
import io.sweepfarm.devstack.Endpoints;
import io.sweepfarm.devstack.modelgen.Options;
import io.sweepfarm.devstack.modelgen.TinyStableDiffusion;
import io.sweepfarm.devstack.testing.DevstackTestResource;
import io.sweepfarm.devstack.testing.RequiresInfra;
import io.sweepfarm.engine.model.DeviceSpec;
import io.sweepfarm.worker.render.EngineRenderer;
import io.sweepfarm.worker.storage.ImageStore;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One poisoned task among 50 good ones on the same partition, against the real engine, Kafka and S3: the poisoned
 * image is FAILED with a reason an operator can read, the 50 others SUCCEED, and the lane goes on to commit every
 * offset. Each poison is something S3, the renderer or the message format refuses for good.
 */
@RequiresInfra
class PoisonTaskTest {

    private static final Endpoints INFRA = DevstackTestResource.endpoints();
    private static final String UNDECODABLE = ObjectKeys.input("ef".repeat(32));

    @TempDir
    static Path dir;
    private static Path modelDir;

    /** How the poisoned task differs from a good one, and what its error must say. */
    enum Poison {
        /** s3proxy answers 400 InvalidURI for a key with a NUL character. */
        S3_REFUSES_THE_OBJECT_KEY((t, raw) -> Tasks.with(t, t.params(), t.outputKey().replace(".png", "\u0000.png")),
                "HTTP 400"),
        /** Longer than S3's 1024-byte limit: refused before it is sent. */
        OBJECT_KEY_TOO_LONG((t, raw) -> Tasks.with(t, t.params(),
                ObjectKeys.sweepPrefix(t.sweepId()) + "x".repeat(1100) + ".png"), "1024 bytes"),
        /** s3proxy answers 500 for a 300-character path segment (too long a file name) while storing others. */
        S3_FAILS_THIS_OBJECT_ONLY((t, raw) -> Tasks.with(t, t.params(),
                ObjectKeys.sweepPrefix(t.sweepId()) + "y".repeat(300) + ".png"), "attempts"),
        /** The renderer rejects the whole batch it is in for this one task. */
        RENDERER_REJECTS_ITS_BATCH((t, raw) -> Tasks.with(t, params(t.params(), "no-such-noise", null), t.outputKey()),
                "no-such-noise"),
        /** The init image in S3 is not an image. */
        UNDECODABLE_INIT_IMAGE((t, raw) -> Tasks.with(t, params(t.params(), t.params().noiseSource(), UNDECODABLE),
                t.outputKey()), "cannot be decoded"),
        /** The task message has a field of the wrong type. */
        UNREADABLE_TASK_MESSAGE((t, raw) -> null, "field 'steps' is invalid");

        final BiFunction<RenderTask, byte[], RenderTask> poison;
        final String errorSays;

        Poison(BiFunction<RenderTask, byte[], RenderTask> poison, String errorSays) {
            this.poison = poison;
            this.errorSays = errorSays;
        }
    }

    @BeforeAll
    static void loadModel() throws Exception {
        modelDir = TinyStableDiffusion.generate(dir.resolve("model"), Options.defaults());
        MinioClient s3 = MinioClient.builder().endpoint(INFRA.s3Endpoint())
                .credentials(INFRA.s3AccessKey(), INFRA.s3SecretKey()).build();
        new ImageStore(DevstackS3.config(INFRA)).ensureBucket();
        byte[] garbage = "not an image".getBytes(StandardCharsets.US_ASCII);
        s3.putObject(PutObjectArgs.builder().bucket(INFRA.bucket()).object(UNDECODABLE)
                .stream(new ByteArrayInputStream(garbage), garbage.length, -1).build());
    }

    private static ImageParameters params(ImageParameters p, String noise, String init) {
        return new ImageParameters(p.model(), p.prompt(), p.negativePrompt(), p.cfgScale(), p.steps(), p.sampler(),
                p.seed(), p.width(), p.height(), noise, p.promptOverflow(), init, init == null ? null : 0.75, p.mask());
    }

    @ParameterizedTest
    @EnumSource(Poison.class)
    void aPoisonedTaskFailsAloneWithAReadableReasonAndTheLaneGoesOn(Poison poison) throws Exception {
        String model = "poison-" + UUID.randomUUID().toString().substring(0, 8);
        UUID sweep = UUID.randomUUID();
        List<Map.Entry<RenderTask, byte[]>> records = new ArrayList<>();
        RenderTask poisoned = null;
        for (int i = 0; i < 51; i++) {
            RenderTask t = Tasks.aTask(model, sweep, i);
            if (i == 25) {
                poisoned = t;
                RenderTask p = poison.poison.apply(t, null);
                records.add(Map.entry(t, p != null ? Json.toBytes(p)
                        : Json.toString(t).replace("\"steps\":2", "\"steps\":\"many\"").getBytes(StandardCharsets.UTF_8)));
            } else {
                records.add(Map.entry(t, Json.toBytes(t)));
            }
        }
        TaskTopics.sendRaw(INFRA.kafkaBootstrap(), records, 0);

        try (EngineRenderer renderer = EngineRenderer.open(model, modelDir, DeviceSpec.CPU, 1);
                LaneRunner lane = new LaneRunner(INFRA.kafkaBootstrap(), model, "poison/cpu", renderer,
                new ImageStore(DevstackS3.config(INFRA)), Lanes.settings(4, 4, 2), SweepStates.NONE, new Outages(),
                Map.of())) {
            List<RenderResult> results = Results.collect(INFRA.kafkaBootstrap(), sweep, 51, Duration.ofMinutes(2));
            await().atMost(Duration.ofSeconds(30)).until(() -> TaskTopics.lag(INFRA.kafkaBootstrap(), model) == 0);
            assertThat(lane.died.get()).isNull();
            assertThat(lane.thread.isAlive()).isTrue();

            UUID poisonedId = poisoned.imageId();
            Map<Outcome, Long> outcomes = results.stream().collect(Collectors.toMap(RenderResult::imageId,
                    RenderResult::outcome, (a, b) -> a)).values().stream()
                    .collect(Collectors.groupingBy(o -> o, Collectors.counting()));
            assertThat(outcomes).containsEntry(Outcome.SUCCEEDED, 50L).containsEntry(Outcome.FAILED, 1L);
            assertThat(results).filteredOn(r -> r.imageId().equals(poisonedId))
                    .allSatisfy(r -> {
                        assertThat(r.outcome()).isEqualTo(Outcome.FAILED);
                        assertThat(r.error()).contains(poison.errorSays).doesNotContain("\u0000");
                    });
            assertThat(results).filteredOn(r -> !r.imageId().equals(poisonedId))
                    .allMatch(r -> r.outcome() == Outcome.SUCCEEDED);
        }
    }
}
