package io.sweepfarm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sweepfarm.cli.client.SweepfarmClient;
import io.sweepfarm.common.api.SweepState;
import io.sweepfarm.common.api.SweepView;
import io.sweepfarm.common.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator SIGKILLed while it releases tasks and records results, and during the POST of a large sweep, then
 * started again on the same port and data: every image is still rendered and counted exactly once (one object per
 * image in S3, hashes matching), and a submission is all or nothing — retried with its {@code Idempotency-Key}, it
 * makes no second sweep. Everything is read through the REST API and S3 only. Figures are printed
 * ({@code FAULT-FIGURES}).
 */
class CoordinatorKillIT {

    static final int KILLS = Integer.getInteger("sweepfarm.coordinator-kills", 3);
    static final List<String> PROMPTS = List.of("crash test one", "crash test two");

    @TempDir
    static Path state;
    static TestFarm farm;
    static SweepfarmClient api;

    @BeforeAll
    static void startFarm() {
        farm = TestFarm.start(state, 2);
        api = farm.api;
    }

    @AfterAll
    static void stopFarm() {
        if (farm != null) {
            farm.close();
        }
    }

    @Test
    void everyImageIsCountedExactlyOnceWhenTheCoordinatorIsKilledWhileReleasingAndRecording() throws Exception {
        int seeds = 300;
        long expected = (long) seeds * PROMPTS.size();
        UUID sweep = api.createSweep(SweepAudit.sweep("coordinator kills", PROMPTS, 12, 1000, seeds)).id();
        long downtimeMillis = 0;
        for (int kill = 1; kill <= KILLS; kill++) {
            long threshold = expected * kill / (KILLS + 2);
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(100))
                    .until(() -> farm.audit.succeeded(sweep) >= threshold);
            // Workers go on rendering what was released while the coordinator is down; the sweep must still be
            // going when it is killed, so that release and recording are under way.
            assertThat(api.sweep(sweep).state()).as("the sweep outlasts kill %d: make it longer", kill)
                    .isNotEqualTo(SweepState.COMPLETED);
            long t0 = System.nanoTime();
            farm.local.crashAndRestartCoordinator();
            downtimeMillis += (System.nanoTime() - t0) / 1_000_000;
        }
        await().atMost(Duration.ofMinutes(6)).pollInterval(Duration.ofMillis(300))
                .until(() -> api.sweep(sweep).state() == SweepState.COMPLETED);
        farm.audit.assertEveryImageRenderedExactlyOnce(sweep, expected);
        System.out.printf("FAULT-FIGURES coordinator SIGKILL: %d kills while releasing and recording %d images, "
                + "%.1f s mean from kill to ready again; every image SUCCEEDED exactly once%n", KILLS, expected,
                downtimeMillis / 1000.0 / KILLS);
    }

    @Test
    void aSubmissionCutByACrashIsAllOrNothingAndItsRetryMakesNoSecondSweep() throws Exception {
        String name = "crash during submission " + UUID.randomUUID();
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("name", name);
        spec.put("model", "tiny");
        spec.put("prompts", List.of("a", "b", "c", "d"));
        spec.put("cfg_scales", List.of(3, 4, 5, 6, 7, 8, 9, 10, 11, 12));
        spec.put("steps", List.of(4));
        spec.put("samplers", List.of("euler_a", "ddim", "euler", "dpmpp_2m", "heun"));
        spec.put("seeds", Map.of("start", 0, "count", 500_000)); // 10^8 images: submission is O(axes)
        spec.put("width", 64);
        spec.put("height", 64);
        String body = Json.toString(spec);
        String key = "crash-" + UUID.randomUUID();
        HttpClient http = HttpClient.newHttpClient();

        CompletableFuture<HttpResponse<String>> cut = http.sendAsync(post(body, key), HttpResponse.BodyHandlers
                .ofString());
        farm.local.crashAndRestartCoordinator();
        Integer firstStatus = cut.handle((r, e) -> r == null ? null : r.statusCode()).get();

        List<SweepView> named = named(name);
        assertThat(named).as("after the crash (first POST answered %s)", firstStatus).hasSizeLessThanOrEqualTo(1);
        named.forEach(v -> assertThat(v.imageCount()).as("stored whole").isEqualTo(100_000_000L));

        HttpResponse<String> retried = http.send(post(body, key), HttpResponse.BodyHandlers.ofString());
        assertThat(retried.statusCode()).as(retried.body()).isEqualTo(201);
        HttpResponse<String> again = http.send(post(body, key), HttpResponse.BodyHandlers.ofString());
        assertThat(again.statusCode()).isEqualTo(201);
        assertThat(again.headers().firstValue("Idempotent-Replayed")).contains("true");
        List<SweepView> after = named(name);
        assertThat(after).hasSize(1);
        if (!named.isEmpty()) {
            assertThat(after.get(0).id()).isEqualTo(named.get(0).id());
        }
        api.control(after.get(0).id(), "cancel");
        System.out.printf("FAULT-FIGURES coordinator SIGKILL during a POST of 10^8 images: first answer %s, %d sweep "
                + "stored by it, 1 after two retries with the same Idempotency-Key%n", firstStatus, named.size());
    }

    private static HttpRequest post(String body, String key) {
        return HttpRequest.newBuilder(URI.create(farm.local.coordinatorUrl() + "/api/v1/sweeps"))
                .header("Content-Type", "application/json").header("Idempotency-Key", key)
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static List<SweepView> named(String name) {
        return api.sweeps(1000).stream().filter(v -> name.equals(v.name())).toList();
    }
}
