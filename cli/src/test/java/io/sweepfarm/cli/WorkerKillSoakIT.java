package io.sweepfarm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sweepfarm.cli.client.SweepfarmClient;
import io.sweepfarm.cli.local.AppProcess;
import io.sweepfarm.common.api.ImageView;
import io.sweepfarm.common.api.SweepState;
import io.sweepfarm.common.png.PngText;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random workers SIGKILLed again and again during one sweep, each replaced by a fresh one: every image is still
 * rendered exactly once, with one object per image in S3 and the same pixels as a render without faults. The default
 * build runs a short version ({@value #DEFAULT_KILLS} kills over {@value #DEFAULT_IMAGES} images); {@code -Psoak}
 * runs the long one (30 kills over 2,000 images). Figures are printed ({@code FAULT-FIGURES}).
 *
 * <p>The short version renders {@value #DEFAULT_STEPS} steps an image, so that its sweep outlasts its kills however
 * fast the relay releases: at 12 steps the tiny model finished 400 images before the fourth kill once release got
 * faster. The long version has 2,000 images to spread 30 kills over and renders 12 (set in the profile).
 */
class WorkerKillSoakIT {

    static final int DEFAULT_IMAGES = 400;
    static final int DEFAULT_KILLS = 5;
    static final int IMAGES = Integer.getInteger("sweepfarm.soak.images", DEFAULT_IMAGES);
    static final int KILLS = Integer.getInteger("sweepfarm.soak.kills", DEFAULT_KILLS);
    static final int WORKERS = Integer.getInteger("sweepfarm.soak.workers", 2);
    static final int DEFAULT_STEPS = 40;
    static final int STEPS = Integer.getInteger("sweepfarm.soak.steps", DEFAULT_STEPS);
    static final List<String> PROMPTS = List.of("soak test one", "soak test two");

    @TempDir
    static Path state;
    static TestFarm farm;
    static SweepfarmClient api;
    static SweepAudit audit;

    @BeforeAll
    static void startFarm() {
        farm = TestFarm.start(state, WORKERS);
        api = farm.api;
        audit = farm.audit;
    }

    @AfterAll
    static void stopFarm() {
        if (farm != null) {
            farm.close();
        }
    }

    @Test
    void everyImageIsRenderedExactlyOnceWhileRandomWorkersAreKilledWithSigkill() throws Exception {
        int seeds = IMAGES / PROMPTS.size();
        long expected = (long) seeds * PROMPTS.size();
        long t0 = System.nanoTime();
        UUID sweep = api.createSweep(SweepAudit.sweep("soak", PROMPTS, STEPS, 0, seeds)).id();
        Random random = new Random(42);
        for (int kill = 1; kill <= KILLS; kill++) {
            long threshold = expected * kill / (KILLS + 1);
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(100))
                    .until(() -> audit.succeeded(sweep) >= threshold);
            assertThat(api.sweep(sweep).state()).as("the sweep outlasts the kills (kill %d of %d): make it longer",
                    kill, KILLS).isNotEqualTo(SweepState.COMPLETED);
            // The victim is a worker that is ready (rendering or about to); its replacement starts meanwhile.
            List<AppProcess> ready = await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                    .until(() -> farm.local.workers().stream().filter(AppProcess::isReady).toList(),
                            l -> !l.isEmpty());
            ready.get(random.nextInt(ready.size())).kill();
            farm.local.startWorker();
        }
        await().atMost(Duration.ofMinutes(Math.max(5, IMAGES / 100))).pollInterval(Duration.ofMillis(300))
                .until(() -> api.sweep(sweep).state() == SweepState.COMPLETED);
        double minutes = (System.nanoTime() - t0) / 60e9;

        List<ImageView> images = audit.assertEveryImageRenderedExactlyOnce(sweep, expected);
        // A lane that dies (the worker stays up, not ready) is not data loss but is lost capacity: counted here.
        long laneDeaths = farm.local.workers().stream().filter(w -> w.tail(1_000_000).contains("died; restart"))
                .count();
        System.out.printf("FAULT-FIGURES worker SIGKILL soak: %d kills over %d images with %d workers, sweep "
                + "completed in %.1f min, %d worker processes started, images recorded from %d of them, %d of "
                + "them logged a dead lane%n", KILLS, expected, WORKERS, minutes, farm.local.workers().size(),
                images.stream().map(ImageView::worker).distinct().count(), laneDeaths);

        // The same parameters rendered again without faults give the same pixels.
        int sample = Math.min(6, seeds);
        UUID reference = api.createSweep(SweepAudit.sweep("soak reference", PROMPTS.subList(0, 1), STEPS, 0, sample))
                .id();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(300))
                .until(() -> api.sweep(reference).state() == SweepState.COMPLETED);
        Map<Long, ImageView> soaked = images.stream().filter(i -> i.params().prompt().equals(PROMPTS.get(0)))
                .collect(Collectors.toMap(i -> i.params().seed(), Function.identity()));
        for (ImageView ref : audit.images(reference)) {
            long seed = ref.params().seed();
            assertThat(pixels(audit.object(ref.objectKey()))).as("seed %d", seed)
                    .isEqualTo(pixels(audit.object(soaked.get(seed).objectKey())));
        }
    }

    private static int[] pixels(byte[] png) {
        BufferedImage img = PngText.readImage(png);
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }
}
