package io.sweepfarm.worker.lane;

import static org.assertj.core.api.Assertions.assertThat;

import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.minio.StatObjectArgs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sweepfarm.common.image.ImageParameters;
import io.sweepfarm.common.image.LoraWeight;
import io.sweepfarm.common.messaging.RenderResult;
import io.sweepfarm.common.messaging.RenderTask;
import io.sweepfarm.common.png.InfoText;
import io.sweepfarm.common.png.PngText;
import io.sweepfarm.common.storage.ObjectKeys;
import io.sweepfarm.devstack.Endpoints;
import io.sweepfarm.devstack.testing.DevstackTestResource;
import io.sweepfarm.devstack.testing.RequiresInfra;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A LoRA-scale axis through a worker lane: tasks that differ only in the scale of a LoRA from the lane's LoRA folder
 * render different images, each PNG's infotext carries the LoRA tag it was rendered with, and the S3 metadata its
 * label; a task naming a LoRA the lane does not have fails naming it.
 */
@QuarkusTest
@RequiresInfra
@WithTestResource(DevstackTestResource.class)
@WithTestResource(TinyModelTestResource.WithLora.class)
class LoraLaneIntegrationTest {

    private static final String LORA = TinyModelTestResource.WithLora.LORA;
    private final Endpoints infra = DevstackTestResource.endpoints();

    private static RenderTask task(UUID sweep, long ordinal, List<LoraWeight> loras) {
        UUID id = UUID.randomUUID();
        return new RenderTask(id, sweep, ordinal, 1, new ImageParameters(TinyModelTestResource.WithLora.MODEL,
                "a red fox", "blurry", 7.5, 4, "euler", 7, 64, 48, "torch_cpu", null, null, null, null, null, loras,
                List.of(), null, null, null, null, null), ObjectKeys.image(sweep, ordinal, id));
    }

    @Test
    void eachLoraScaleRendersItsOwnImageWithItsTagInTheInfotextAndItsLabelInTheMetadata() throws Exception {
        MinioClient s3 = MinioClient.builder().endpoint(infra.s3Endpoint())
                .credentials(infra.s3AccessKey(), infra.s3SecretKey()).build();
        UUID sweep = UUID.randomUUID();
        RenderTask half = task(sweep, 0, List.of(new LoraWeight(LORA, 0.5)));
        RenderTask full = task(sweep, 1, List.of(new LoraWeight(LORA, 1.0)));
        RenderTask unknown = task(sweep, 2, List.of(new LoraWeight("not-there", 1.0)));
        TaskTopics.send(infra.kafkaBootstrap(), List.of(half, full, unknown), null);

        List<RenderResult> results = Results.collect(infra.kafkaBootstrap(), sweep, 3, Duration.ofMinutes(2));
        RenderResult a = outcome(results, half);
        RenderResult b = outcome(results, full);
        assertThat(a.outcome()).isEqualTo(RenderResult.Outcome.SUCCEEDED);
        assertThat(b.outcome()).isEqualTo(RenderResult.Outcome.SUCCEEDED);
        assertThat(a.sha256()).isNotEqualTo(b.sha256());
        RenderResult missing = outcome(results, unknown);
        assertThat(missing.outcome()).isEqualTo(RenderResult.Outcome.FAILED);
        assertThat(missing.error()).contains("not-there");

        List<String> prompts = new ArrayList<>();
        for (RenderTask t : List.of(half, full)) {
            byte[] png;
            try (var in = s3.getObject(GetObjectArgs.builder().bucket(infra.bucket()).object(t.outputKey()).build())) {
                png = in.readAllBytes();
            }
            prompts.add(InfoText.parse(PngText.readText(png).get("parameters")).prompt());
            assertThat(s3.statObject(StatObjectArgs.builder().bucket(infra.bucket()).object(t.outputKey()).build())
                    .userMetadata()).containsEntry("loras", LORA + ":" + InfoText.number(t.params().loras().get(0)
                            .scale()));
        }
        assertThat(prompts).containsExactly("a red fox <lora:" + LORA + ":0.5>", "a red fox <lora:" + LORA + ":1>");
    }

    private static RenderResult outcome(List<RenderResult> results, RenderTask t) {
        return results.stream().filter(r -> r.imageId().equals(t.imageId())).findFirst().orElseThrow();
    }
}
