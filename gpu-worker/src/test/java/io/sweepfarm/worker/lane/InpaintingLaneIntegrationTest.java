package io.sweepfarm.worker.lane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sweepfarm.common.json.Json;
import io.sweepfarm.common.messaging.RenderResult;
import io.sweepfarm.common.messaging.RenderTask;
import io.sweepfarm.common.messaging.Topics;
import io.sweepfarm.common.png.PngText;
import io.sweepfarm.common.storage.ObjectKeys;
import io.sweepfarm.devstack.Endpoints;
import io.sweepfarm.devstack.testing.DevstackTestResource;
import io.sweepfarm.devstack.testing.RequiresInfra;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** A worker serving a 9-channel inpainting U-Net renders tasks that carry an init image, a strength and a mask. */
@QuarkusTest
@RequiresInfra
@WithTestResource(DevstackTestResource.class)
@WithTestResource(TinyModelTestResource.Inpainting.class)
class InpaintingLaneIntegrationTest {

    private final Endpoints infra = DevstackTestResource.endpoints();

    private String upload(MinioClient s3, BufferedImage image, String hexByte) throws Exception {
        byte[] png = PngText.write(image, Map.of());
        String key = ObjectKeys.input(hexByte.repeat(32));
        s3.putObject(PutObjectArgs.builder().bucket(infra.bucket()).object(key)
                .stream(new ByteArrayInputStream(png), png.length, -1).build());
        return key;
    }

    @Test
    void anInpaintingTaskWithInitImageStrengthAndMaskSucceeds_andATaskWithoutAMaskIsRefusedWithTheReason()
            throws Exception {
        MinioClient s3 = MinioClient.builder().endpoint(infra.s3Endpoint())
                .credentials(infra.s3AccessKey(), infra.s3SecretKey()).build();
        BufferedImage init = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        BufferedImage mask = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = mask.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(16, 8, 32, 32);
        g.dispose();
        String initKey = upload(s3, init, "12");
        String maskKey = upload(s3, mask, "34");
        UUID sweep = UUID.randomUUID();
        String model = TinyModelTestResource.Inpainting.MODEL;
        RenderTask inpaint = TaskLaneIntegrationTest.task(model, sweep, 0, 5, initKey, 1.0, maskKey);
        RenderTask partial = TaskLaneIntegrationTest.task(model, sweep, 1, 5, initKey, 0.5, maskKey);
        RenderTask noMask = TaskLaneIntegrationTest.task(model, sweep, 2, 5, null, null, null);

        Properties p = new Properties();
        p.put("bootstrap.servers", infra.kafkaBootstrap());
        try (var producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            for (RenderTask t : List.of(inpaint, partial, noMask)) {
                producer.send(new ProducerRecord<>(Topics.tasks(model), t.imageId().toString(), Json.toBytes(t))).get();
            }
        }
        List<RenderResult> results = Results.collect(infra.kafkaBootstrap(), sweep, 3, Duration.ofMinutes(2));
        assertThat(outcome(results, inpaint).outcome()).isEqualTo(RenderResult.Outcome.SUCCEEDED);
        assertThat(outcome(results, partial).outcome()).isEqualTo(RenderResult.Outcome.SUCCEEDED);
        assertThat(outcome(results, partial).sha256()).isNotEqualTo(outcome(results, inpaint).sha256());
        RenderResult refused = outcome(results, noMask);
        assertThat(refused.outcome()).isEqualTo(RenderResult.Outcome.FAILED);
        assertThat(refused.error()).contains("inpainting U-Net");
    }

    private static RenderResult outcome(List<RenderResult> results, RenderTask t) {
        return results.stream().filter(r -> r.imageId().equals(t.imageId())).findFirst().orElseThrow();
    }
}
