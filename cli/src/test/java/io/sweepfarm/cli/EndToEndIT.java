package io.sweepfarm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.StatObjectArgs;
import io.minio.messages.Item;
import io.sweepfarm.cli.client.SweepfarmClient;
import io.sweepfarm.cli.local.AppProcess;
import io.sweepfarm.cli.local.LocalFarm;
import io.sweepfarm.common.api.CreateSweepResponse;
import io.sweepfarm.common.api.ImagePage;
import io.sweepfarm.common.api.ImageState;
import io.sweepfarm.common.api.ImageView;
import io.sweepfarm.common.api.SweepState;
import io.sweepfarm.common.png.InfoText;
import io.sweepfarm.common.png.PngText;
import io.sweepfarm.common.sampler.SamplerId;
import io.sweepfarm.common.storage.Hashes;
import io.sweepfarm.common.storage.ObjectKeys;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole product on real parts: devstack's PostgreSQL, Kafka and S3, the packaged coordinator and worker as
 * separate processes, ONNX Runtime on the CPU with the generated tiny model, driven through the REST API.
 */
class EndToEndIT {

    @TempDir
    static Path state;
    static LocalFarm farm;
    static SweepfarmClient api;
    static MinioClient s3;

    @BeforeAll
    static void startFarm() {
        Path home = Path.of(System.getProperty("sweepfarm.home", "..")).toAbsolutePath().normalize();
        farm = LocalFarm.start(new LocalFarm.Options(home, state, false, "tiny", state.resolve("model"), "cpu"),
                System.out::println);
        api = new SweepfarmClient(farm.coordinatorUrl());
        var e = farm.endpoints();
        s3 = MinioClient.builder().endpoint(e.s3Endpoint()).credentials(e.s3AccessKey(), e.s3SecretKey()).build();
    }

    @AfterAll
    static void stopFarm() {
        if (farm != null) {
            farm.close();
        }
    }

    private static String sweepJson(List<String> prompts, List<Double> cfgs, List<Integer> steps,
            List<String> samplers, List<Long> seeds) {
        return io.sweepfarm.common.json.Json.toString(Map.of("name", "e2e", "model", "tiny", "prompts", prompts,
                "negative_prompts", List.of("blurry"), "cfg_scales", cfgs, "steps", steps, "samplers", samplers,
                "seeds", seeds, "width", 64, "height", 64));
    }

    private static UUID submitAndWait(String json) {
        CreateSweepResponse created = api.createSweep(json.getBytes(StandardCharsets.UTF_8));
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(300))
                .until(() -> api.sweep(created.id()).state() == SweepState.COMPLETED);
        return created.id();
    }

    private static List<ImageView> images(Map<String, String> query) {
        List<ImageView> all = new ArrayList<>();
        String cursor = null;
        do {
            Map<String, String> q = new LinkedHashMap<>(query);
            q.put("limit", "7");
            if (cursor != null) {
                q.put("cursor", cursor);
            }
            ImagePage page = api.images(q);
            all.addAll(page.items());
            cursor = page.nextCursor();
        } while (cursor != null);
        return all;
    }

    private static byte[] object(String key) throws Exception {
        try (var in = s3.getObject(GetObjectArgs.builder().bucket("sweepfarm").object(key).build())) {
            return in.readAllBytes();
        }
    }

    private static int[] pixels(byte[] png) {
        return SweepAudit.pixels(png);
    }

    @Test
    void aSweepRendersEveryImageOnceWithItsParametersAndTheQueryFiltersOnEachParameter() throws Exception {
        List<String> prompts = List.of("a lighthouse at dusk", "a bowl of ramen");
        UUID sweep = submitAndWait(sweepJson(prompts, List.of(1.0, 4.5, 7.5), List.of(4, 6), List.of("ddim"),
                List.of(42L, 7L)));

        assertThat(api.sweep(sweep).counts()).containsEntry(ImageState.SUCCEEDED, 24L)
                .containsEntry(ImageState.FAILED, 0L);
        List<ImageView> all = images(Map.of("sweep_id", sweep.toString()));
        assertThat(all).hasSize(24);
        assertThat(all.stream().map(ImageView::ordinal).collect(Collectors.toSet())).hasSize(24);

        // Every image is in S3 exactly once, under its own deterministic key.
        List<String> keys = new ArrayList<>();
        for (var r : s3.listObjects(ListObjectsArgs.builder().bucket("sweepfarm")
                .prefix(ObjectKeys.sweepPrefix(sweep)).recursive(true).build())) {
            Item item = r.get();
            keys.add(item.objectName());
        }
        assertThat(keys).hasSize(24).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(all.stream().map(ImageView::objectKey).toList());

        for (ImageView img : all) {
            assertThat(img.state()).isEqualTo(ImageState.SUCCEEDED);
            assertThat(img.objectKey()).isEqualTo(ObjectKeys.image(sweep, img.ordinal(), img.id()));
            byte[] png = api.download(img.downloadUrl());
            assertThat(png).isEqualTo(object(img.objectKey()));
            BufferedImage decoded = PngText.readImage(png);
            assertThat(decoded.getWidth()).isEqualTo(64);
            assertThat(decoded.getHeight()).isEqualTo(64);

            InfoText.Parsed info = InfoText.parse(PngText.readText(png).get("parameters"));
            assertThat(info.prompt()).isEqualTo(img.params().prompt());
            assertThat(info.negativePrompt()).isEqualTo("blurry");
            assertThat(info.params()).containsEntry("Seed", Long.toString(img.params().seed()))
                    .containsEntry("Steps", Integer.toString(img.params().steps()))
                    .containsEntry("Sampler", SamplerId.DDIM.displayName())
                    .containsEntry("Size", "64x64").containsEntry("Model", "tiny");
            assertThat(Double.parseDouble(info.params().get("CFG scale"))).isEqualTo(img.params().cfgScale());

            Map<String, String> meta = s3.statObject(StatObjectArgs.builder().bucket("sweepfarm")
                    .object(img.objectKey()).build()).userMetadata();
            Map<String, String> lower = new HashMap<>();
            meta.forEach((k, v) -> lower.put(k.toLowerCase(), v));
            assertThat(lower).containsEntry("seed", Long.toString(img.params().seed()))
                    .containsEntry("steps", Integer.toString(img.params().steps())).containsEntry("sampler", "ddim")
                    .containsEntry("cfg-scale", Double.toString(img.params().cfgScale()))
                    .containsEntry("width", "64").containsEntry("height", "64");
            // Only short fields travel as headers: the prompt's hash, never its text.
            assertThat(lower).doesNotContainKey("prompt")
                    .containsEntry("prompt-sha256", Hashes.sha256(img.params().prompt()));
        }

        String id = sweep.toString();
        assertFilter(Map.of("sweep_id", id, "prompt", prompts.get(1)), 12, i -> i.params().prompt().equals(prompts.get(1)));
        assertFilter(Map.of("sweep_id", id, "cfg_scale", "7.5"), 8, i -> i.params().cfgScale() == 7.5);
        assertFilter(Map.of("sweep_id", id, "steps", "6"), 12, i -> i.params().steps() == 6);
        assertFilter(Map.of("sweep_id", id, "sampler", "ddim"), 24, i -> i.params().sampler().equals("ddim"));
        assertFilter(Map.of("sweep_id", id, "seed", "7"), 12, i -> i.params().seed() == 7);
        assertFilter(Map.of("sweep_id", id, "seed", "7", "cfg_scale", "1.0", "steps", "4"), 2,
                i -> i.params().seed() == 7 && i.params().cfgScale() == 1.0 && i.params().steps() == 4);
        assertFilter(Map.of("sweep_id", id, "seed", "8"), 0, i -> false);

        // A repeat of one image's parameters, in another sweep and another batch, gives the same pixels;
        // a neighbouring seed gives different ones.
        UUID again = submitAndWait(sweepJson(List.of(prompts.get(0)), List.of(7.5), List.of(6), List.of("ddim"),
                List.of(41L, 42L, 43L)));
        ImageView original = images(Map.of("sweep_id", id, "prompt", prompts.get(0), "cfg_scale", "7.5",
                "steps", "6", "seed", "42")).get(0);
        ImageView repeat = images(Map.of("sweep_id", again.toString(), "seed", "42")).get(0);
        ImageView other = images(Map.of("sweep_id", again.toString(), "seed", "43")).get(0);
        int[] originalPixels = pixels(object(original.objectKey()));
        assertThat(pixels(object(repeat.objectKey()))).isEqualTo(originalPixels);
        assertThat(pixels(object(other.objectKey()))).isNotEqualTo(originalPixels);
    }

    private static void assertFilter(Map<String, String> query, int expected, Predicate<ImageView> matches) {
        List<ImageView> hits = images(query);
        assertThat(hits).as("query %s", query).hasSize(expected).allMatch(matches);
        assertThat(hits.stream().map(ImageView::id).collect(Collectors.toSet())).hasSize(expected);
    }

    @Test
    void aWorkerKilledWithSigkillMidSweepLosesNoImageAndCountsNoneTwice() throws Exception {
        List<Long> seeds = new ArrayList<>();
        for (long s = 100; s < 120; s++) {
            seeds.add(s);
        }
        String json = sweepJson(List.of("crash test one", "crash test two", "crash test three"), List.of(5.0), List.of(20),
                List.of("euler_a"), seeds);
        CreateSweepResponse created = api.createSweep(json.getBytes(StandardCharsets.UTF_8));
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50))
                .until(() -> api.sweep(created.id()).counts().getOrDefault(ImageState.SUCCEEDED, 0L) >= 3);
        farm.worker().kill();
        long doneAtKill = api.sweep(created.id()).counts().getOrDefault(ImageState.SUCCEEDED, 0L);
        assertThat(doneAtKill).as("the worker was killed mid-sweep").isLessThan(60);

        farm.addWorker();
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(300))
                .until(() -> api.sweep(created.id()).state() == SweepState.COMPLETED);

        assertThat(api.sweep(created.id()).counts()).containsEntry(ImageState.SUCCEEDED, 60L)
                .containsEntry(ImageState.FAILED, 0L).containsEntry(ImageState.QUEUED, 0L);
        List<ImageView> all = images(Map.of("sweep_id", created.id().toString()));
        assertThat(all).hasSize(60).allMatch(i -> i.state() == ImageState.SUCCEEDED);
        List<String> keys = new ArrayList<>();
        for (var r : s3.listObjects(ListObjectsArgs.builder().bucket("sweepfarm")
                .prefix(ObjectKeys.sweepPrefix(created.id())).recursive(true).build())) {
            keys.add(r.get().objectName());
        }
        assertThat(keys).hasSize(60).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(all.stream().map(ImageView::objectKey).toList());
        for (ImageView img : all) {
            assertThat(PngText.readImage(object(img.objectKey())).getWidth()).isEqualTo(64);
        }
    }

    @Test
    void img2imgAndInpaintingSweepsRenderFromAnUploadedInitImageAndALongPromptCarriesItsWarning() throws Exception {
        BufferedImage init = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = init.createGraphics();
        g.setColor(java.awt.Color.ORANGE);
        g.fillRect(0, 0, 64, 64);
        g.setColor(java.awt.Color.WHITE);
        g.fillOval(16, 16, 32, 32);
        g.dispose();
        String initKey = api.uploadInput(PngText.write(init, Map.of())).key();
        String maskKey = api.uploadInput(PngText.write(init, Map.of())).key();
        String longPrompt = "a very detailed oil painting of a lighthouse on a cliff at dusk, ".repeat(8);
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("model", "tiny");
        spec.put("prompts", List.of("a fox", longPrompt));
        spec.put("cfg_scales", List.of(7.5));
        spec.put("steps", List.of(10));
        spec.put("samplers", List.of("euler"));
        spec.put("seeds", List.of(3L));
        spec.put("width", 64);
        spec.put("height", 64);
        spec.put("init_images", List.of(initKey));
        spec.put("strengths", List.of(0.5, 0.9));
        UUID img2img = submitAndWait(io.sweepfarm.common.json.Json.toString(spec));
        List<ImageView> rendered = images(Map.of("sweep_id", img2img.toString()));
        assertThat(rendered).hasSize(4).allMatch(i -> i.state() == ImageState.SUCCEEDED && i.params().initImage().equals(initKey));
        ImageView halfway = rendered.stream().filter(i -> i.params().prompt().equals("a fox") && i.params().strength() == 0.5)
                .findFirst().orElseThrow();
        assertThat(InfoText.parse(PngText.readText(object(halfway.objectKey())).get("parameters")).params())
                .containsEntry("Denoising strength", "0.5");
        assertThat(rendered.stream().filter(i -> i.params().prompt().equals(longPrompt)))
                .allMatch(i -> i.warnings() != null && i.warnings().stream().anyMatch(w -> w.contains("truncated")));
        assertThat(rendered.stream().filter(i -> i.params().prompt().equals("a fox")))
                .allMatch(i -> i.warnings() == null || i.warnings().isEmpty());

        spec.put("prompts", List.of("a fox"));
        spec.put("strengths", List.of(1.0));
        spec.put("mask", maskKey);
        UUID inpaint = submitAndWait(io.sweepfarm.common.json.Json.toString(spec));
        ImageView masked = images(Map.of("sweep_id", inpaint.toString())).get(0);
        assertThat(masked.state()).isEqualTo(ImageState.SUCCEEDED);
        assertThat(masked.params().mask()).isEqualTo(maskKey);
        assertThat(pixels(object(masked.objectKey()))).isNotEqualTo(pixels(object(halfway.objectKey())));
    }

    @Test
    void aWorkerThatCannotUseItsDeviceRefusesToStartAndTellsTheOperatorWhy() {
        // No GPU here: the CUDA execution provider cannot load, and the worker must not fall back to the CPU.
        try (AppProcess cuda = farm.launchWorkerOn("cuda:0")) {
            assertThatThrownBy(() -> cuda.awaitReady(Duration.ofMinutes(2))).hasMessageContaining("exited");
            assertThat(cuda.tail(200)).contains("cuda:0").contains("CUDA").contains("cpu");
        }
        try (AppProcess unset = farm.launchWorkerOn("")) {
            assertThatThrownBy(() -> unset.awaitReady(Duration.ofMinutes(2))).hasMessageContaining("exited");
            assertThat(unset.tail(200)).contains("sweepfarm.worker.device is not set");
        }
    }

    @Test
    void theCliSubmitsWatchesQueriesDownloadsAndReportsRefusalsInOneLine() throws Exception {
        Path spec = state.resolve("cli-sweep.json");
        java.nio.file.Files.writeString(spec, sweepJson(List.of("cli one", "cli two"), List.of(6.0), List.of(4),
                List.of("unipc"), List.of(1L, 2L)));
        String url = farm.coordinatorUrl();
        Cli submit = Cli.run("submit", spec.toString(), "--watch", "--coordinator", url);
        assertThat(submit.exit).isZero();
        assertThat(submit.out).contains("accepted: 4 images").contains("COMPLETED");
        String id = submit.out.replaceAll("(?s).*sweep ([0-9a-f-]{36}) accepted.*", "$1");

        assertThat(Cli.run("status", id, "--coordinator", url).out).containsPattern("SUCCEEDED\\s+4");
        Path dir = state.resolve("cli-download");
        Cli images = Cli.run("images", "--sweep", id, "--seed", "2", "--download", dir.toString(), "--coordinator", url);
        assertThat(images.out).contains("2 image(s)");
        try (var files = java.nio.file.Files.list(dir)) {
            assertThat(files.filter(f -> f.toString().endsWith(".png")).count()).isEqualTo(2);
        }
        Path zip = state.resolve("cli-export.zip");
        assertThat(Cli.run("export", id, "-o", zip.toString(), "--coordinator", url).exit).isZero();
        try (var in = new java.util.zip.ZipInputStream(java.nio.file.Files.newInputStream(zip))) {
            int pngs = 0;
            for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                pngs += e.getName().endsWith(".png") ? 1 : 0;
            }
            assertThat(pngs).isEqualTo(4);
        }
        Cli cancel = Cli.run("cancel", id, "--coordinator", url);
        assertThat(cancel.exit).isEqualTo(2);
        assertThat(cancel.err).startsWith("sweepfarm: HTTP 409");
    }

    /** Runs the CLI in this JVM, capturing what it prints. */
    private record Cli(int exit, String out, String err) {
        static Cli run(String... args) {
            var out = new java.io.ByteArrayOutputStream();
            var err = new java.io.StringWriter();
            java.io.PrintStream saved = System.out;
            System.setOut(new java.io.PrintStream(out, true, StandardCharsets.UTF_8));
            try {
                picocli.CommandLine cl = Main.commandLine();
                cl.setErr(new java.io.PrintWriter(err, true));
                int exit = cl.execute(args);
                return new Cli(exit, out.toString(StandardCharsets.UTF_8), err.toString());
            } finally {
                System.setOut(saved);
            }
        }
    }

    @Test
    void pausingASweepStopsItsRenderingWithinSecondsAndResumingFinishesIt() throws Exception {
        List<Long> seeds = new ArrayList<>();
        for (long s = 500; s < 550; s++) {
            seeds.add(s);
        }
        String json = sweepJson(List.of("pause test one", "pause test two"), List.of(5.0), List.of(20),
                List.of("euler_a"), seeds);
        CreateSweepResponse created = api.createSweep(json.getBytes(StandardCharsets.UTF_8));
        UUID id = created.id();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50))
                .until(() -> api.sweep(id).counts().getOrDefault(ImageState.SUCCEEDED, 0L) >= 3);
        api.control(id, "pause");
        // Workers hear of the pause on the control topic and hand the released tasks back (seconds; the bound is
        // generous for a loaded CI machine).
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> api.sweep(id).counts().getOrDefault(ImageState.QUEUED, 0L) == 0);
        long done = api.sweep(id).counts().get(ImageState.SUCCEEDED);
        assertThat(done).as("paused mid-sweep").isLessThan(100);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6))
                .until(() -> api.sweep(id).counts().get(ImageState.SUCCEEDED) == done);
        assertThat(api.sweep(id).counts()).containsEntry(ImageState.PENDING, 100 - done);

        api.control(id, "resume");
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(300))
                .until(() -> api.sweep(id).state() == SweepState.COMPLETED);
        assertThat(api.sweep(id).counts()).containsEntry(ImageState.SUCCEEDED, 100L);
    }

    @Test
    void badInputIsRefusedWithAProblemNamingTheFieldAndNothingIsStored() {
        String json = sweepJson(List.of("x"), List.of(7.0), List.of(0), List.of("ddim"), List.of(1L));
        try {
            api.createSweep(json.getBytes(StandardCharsets.UTF_8));
            throw new AssertionError("steps=0 was accepted");
        } catch (SweepfarmClient.ApiException e) {
            assertThat(e.status()).isEqualTo(422);
            assertThat(e.getMessage()).contains("steps");
        }
        Set<String> samplersSeen = images(Map.of("prompt", "x")).stream().map(i -> i.params().sampler())
                .collect(Collectors.toSet());
        assertThat(samplersSeen).isEmpty();
    }
}
