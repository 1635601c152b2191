package io.sweepfarm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.sweepfarm.cli.client.SweepfarmClient;
import io.sweepfarm.common.api.ImagePage;
import io.sweepfarm.common.api.ImageState;
import io.sweepfarm.common.api.ImageView;
import io.sweepfarm.common.api.SweepState;
import io.sweepfarm.common.api.SweepView;
import io.sweepfarm.common.image.ImageParameters;
import io.sweepfarm.common.json.Json;
import io.sweepfarm.common.png.InfoText;
import io.sweepfarm.common.png.PngText;
import io.sweepfarm.common.storage.Hashes;
import io.sweepfarm.common.storage.ObjectKeys;
import io.sweepfarm.devstack.Endpoints;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * What a finished sweep must look like after any fault, read only through the public REST API and S3 (never the
 * coordinator's tables, which change): every image SUCCEEDED exactly once, exactly one object per image under the
 * sweep's prefix and no other, each object the image's own PNG.
 */
final class SweepAudit {

    private final SweepfarmClient api;
    private final MinioClient s3;
    private final String bucket;

    SweepAudit(SweepfarmClient api, Endpoints e) {
        this.api = api;
        this.s3 = MinioClient.builder().endpoint(e.s3Endpoint()).credentials(e.s3AccessKey(), e.s3SecretKey()).build();
        this.bucket = e.bucket();
    }

    /** A txt2img sweep of the tiny model: {@code prompts} × {@code seeds} seeds from {@code firstSeed}, 64×64. */
    static byte[] sweep(String name, List<String> prompts, int steps, long firstSeed, int seeds) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("name", name);
        spec.put("model", "tiny");
        spec.put("prompts", prompts);
        spec.put("cfg_scales", List.of(5.0));
        spec.put("steps", List.of(steps));
        spec.put("samplers", List.of("euler_a"));
        spec.put("seeds", LongStream.range(firstSeed, firstSeed + seeds).boxed().toList());
        spec.put("width", 64);
        spec.put("height", 64);
        return Json.toBytes(spec);
    }

    /** The prompt as A1111 records it in the infotext: the image's, with a {@code <lora:name:scale>} tag per LoRA. */
    static String a1111Prompt(ImageParameters p) {
        StringBuilder sb = new StringBuilder(p.prompt());
        p.loras().forEach(l -> sb.append(" <lora:").append(l.name()).append(':').append(InfoText.number(l.scale()))
                .append('>'));
        return sb.toString();
    }

    /** The ARGB pixels of a PNG, row by row. */
    static int[] pixels(byte[] png) {
        java.awt.image.BufferedImage img = PngText.readImage(png);
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }

    long succeeded(UUID sweep) {
        return api.sweep(sweep).counts().getOrDefault(ImageState.SUCCEEDED, 0L);
    }

    List<ImageView> images(UUID sweep) {
        List<ImageView> all = new ArrayList<>();
        String cursor = null;
        do {
            Map<String, String> q = new LinkedHashMap<>();
            q.put("sweep_id", sweep.toString());
            q.put("limit", "1000");
            if (cursor != null) {
                q.put("cursor", cursor);
            }
            ImagePage page = api.images(q);
            all.addAll(page.items());
            cursor = page.nextCursor();
        } while (cursor != null);
        return all;
    }

    List<String> objectKeys(UUID sweep) throws Exception {
        List<String> keys = new ArrayList<>();
        for (var r : s3.listObjects(ListObjectsArgs.builder().bucket(bucket).prefix(ObjectKeys.sweepPrefix(sweep))
                .recursive(true).build())) {
            keys.add(r.get().objectName());
        }
        return keys;
    }

    byte[] object(String key) throws Exception {
        try (var in = s3.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
            return in.readAllBytes();
        }
    }

    /**
     * Asserts that {@code sweep} COMPLETED with each of its {@code expected} images SUCCEEDED exactly once, that S3
     * holds exactly one object per image under the sweep's prefix (no stray or doubled objects), and that each
     * object is the image's PNG: its SHA-256 is the one recorded for the image, the coordinator serves the same
     * bytes, and its infotext carries the image's parameters (its prompt with its LoRA tags, seed and steps).
     *
     * @return the images
     */
    List<ImageView> assertEveryImageRenderedExactlyOnce(UUID sweep, long expected) throws Exception {
        SweepView view = api.sweep(sweep);
        assertThat(view.state()).isEqualTo(SweepState.COMPLETED);
        assertThat(view.imageCount()).isEqualTo(expected);
        assertThat(view.counts()).containsEntry(ImageState.SUCCEEDED, expected);
        assertThat(view.counts().entrySet().stream().filter(c -> c.getKey() != ImageState.SUCCEEDED)
                .mapToLong(Map.Entry::getValue).sum()).as("images in other states: %s", view.counts()).isZero();

        List<ImageView> images = images(sweep);
        assertThat(images).hasSize((int) expected).allMatch(i -> i.state() == ImageState.SUCCEEDED);
        assertThat(images.stream().map(ImageView::id).collect(Collectors.toSet())).hasSize((int) expected);
        assertThat(images.stream().map(ImageView::ordinal).collect(Collectors.toSet()))
                .isEqualTo(LongStream.range(0, expected).boxed().collect(Collectors.toSet()));

        List<String> keys = objectKeys(sweep);
        assertThat(keys).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(images.stream().map(ImageView::objectKey).toList());

        Set<String> hashes = new HashSet<>();
        for (ImageView img : images) {
            assertThat(img.objectKey()).isEqualTo(ObjectKeys.image(sweep, img.ordinal(), img.id()));
            byte[] stored = object(img.objectKey());
            String sha256 = Hashes.sha256(stored);
            assertThat(img.sha256()).as("recorded hash of image %s", img.id()).isEqualTo(sha256);
            assertThat(Hashes.sha256(api.download(img.downloadUrl()))).as("served image %s", img.id())
                    .isEqualTo(sha256);
            InfoText.Parsed info = InfoText.parse(PngText.readText(stored).get("parameters"));
            assertThat(info.prompt()).isEqualTo(a1111Prompt(img.params()));
            assertThat(info.params()).containsEntry("Seed", Long.toString(img.params().seed()))
                    .containsEntry("Steps", Integer.toString(img.params().steps()));
            hashes.add(sha256);
        }
        assertThat(hashes).as("distinct PNGs").hasSize((int) expected);
        return images;
    }
}
