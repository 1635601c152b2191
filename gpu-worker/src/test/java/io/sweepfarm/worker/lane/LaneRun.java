package io.sweepfarm.worker.lane;

import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.StatObjectArgs;
import io.sweepfarm.common.messaging.RenderResult;
import io.sweepfarm.common.messaging.RenderTask;
import io.sweepfarm.common.png.InfoText;
import io.sweepfarm.common.png.PngText;
import io.sweepfarm.common.storage.ObjectKeys;
import io.sweepfarm.devstack.Endpoints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.imageio.ImageIO;

/**
 * A running worker's lanes seen from outside, as the coordinator and users see them: inputs uploaded to S3, tasks
 * sent to the task topics, results read from the results topic, and the stored PNGs (image, infotext, S3 metadata).
 */
final class LaneRun {

    private final Endpoints infra;
    private final MinioClient s3;

    LaneRun(Endpoints infra) {
        this.infra = infra;
        this.s3 = MinioClient.builder().endpoint(infra.s3Endpoint())
                .credentials(infra.s3AccessKey(), infra.s3SecretKey()).build();
    }

    /** Uploads an input image as a PNG under the input key of a fake content hash ({@code hexByte} × 32). */
    String upload(BufferedImage image, String hexByte) throws Exception {
        byte[] png = PngText.write(image, Map.of());
        String key = ObjectKeys.input(hexByte.repeat(32));
        s3.putObject(PutObjectArgs.builder().bucket(infra.bucket()).object(key)
                .stream(new ByteArrayInputStream(png), png.length, -1).build());
        return key;
    }

    /** Sends the tasks of one sweep and waits (up to two minutes) for a result of each. */
    Outcomes render(List<RenderTask> tasks) throws Exception {
        UUID sweep = tasks.get(0).sweepId();
        TaskTopics.send(infra.kafkaBootstrap(), tasks, null);
        return new Outcomes(Results.collect(infra.kafkaBootstrap(), sweep, tasks.size(), Duration.ofMinutes(2)));
    }

    /** The stored PNG of a rendered task. */
    byte[] png(RenderTask t) throws Exception {
        try (var in = s3.getObject(GetObjectArgs.builder().bucket(infra.bucket()).object(t.outputKey()).build())) {
            return in.readAllBytes();
        }
    }

    /** The stored image of a rendered task, decoded. */
    BufferedImage image(RenderTask t) throws Exception {
        return ImageIO.read(new ByteArrayInputStream(png(t)));
    }

    /** The A1111 infotext of a rendered task's PNG, parsed. */
    InfoText.Parsed infotext(RenderTask t) throws Exception {
        return InfoText.parse(PngText.readText(png(t)).get("parameters"));
    }

    /** The S3 user metadata of a rendered task's PNG (keys lower-cased, as S3 returns them). */
    Map<String, String> metadata(RenderTask t) throws Exception {
        return s3.statObject(StatObjectArgs.builder().bucket(infra.bucket()).object(t.outputKey()).build())
                .userMetadata();
    }

    /** The results of one sweep. */
    record Outcomes(List<RenderResult> results) {

        RenderResult of(RenderTask t) {
            return results.stream().filter(r -> r.imageId().equals(t.imageId())).findFirst().orElseThrow();
        }
    }
}
