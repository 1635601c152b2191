package io.sweepfarm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sweepfarm.cli.client.SweepfarmClient;
import io.sweepfarm.common.api.ImageState;
import io.sweepfarm.common.api.SweepState;
import io.sweepfarm.common.api.SweepView;
import io.sweepfarm.devstack.ServerControl;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each dependency taken away for 20 s mid-sweep and brought back on the same port with the same data, through the
 * whole system (devstack, the packaged coordinator and a worker): the sweep completes with every image rendered
 * exactly once. How long the farm takes to resume after the server is back is printed ({@code FAULT-FIGURES}).
 */
class DependencyOutageIT {

    static final Duration OUTAGE = Duration.ofSeconds(20);
    static final int STEPS = 12;
    static final int SEEDS = 50;
    static final List<String> PROMPTS = List.of("outage test one", "outage test two");

    @TempDir
    static Path state;
    static TestFarm farm;
    static SweepfarmClient api;
    static SweepAudit audit;

    @BeforeAll
    static void startFarm() {
        farm = TestFarm.start(state, 1);
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
    void aSweepCompletesWithEveryImageOnceWhenPostgresIsStoppedForTwentySecondsMidSweep() throws Exception {
        survivesOutage("PostgreSQL", farm.local.devstack().postgres(), 1000);
    }

    @Test
    void aSweepCompletesWithEveryImageOnceWhenKafkaIsStoppedForTwentySecondsMidSweep() throws Exception {
        survivesOutage("Kafka", farm.local.devstack().kafka(), 2000);
    }

    @Test
    void aSweepCompletesWithEveryImageOnceWhenS3IsStoppedForTwentySecondsMidSweep() throws Exception {
        survivesOutage("S3", farm.local.devstack().s3(), 3000);
    }

    private static void survivesOutage(String name, ServerControl server, long firstSeed) throws Exception {
        long expected = (long) PROMPTS.size() * SEEDS;
        UUID sweep = api.createSweep(SweepAudit.sweep("outage " + name, PROMPTS, STEPS, firstSeed, SEEDS)).id();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                .until(() -> audit.succeeded(sweep) >= 3);
        long before = audit.succeeded(sweep);
        long stopped = System.nanoTime();
        try {
            server.stop();
            // The outage itself: a fixed time without the server, not a wait for a condition.
            Thread.sleep(OUTAGE.toMillis());
        } finally {
            server.start();
        }
        long back = System.nanoTime();

        // The REST API answers again, then rendering results are recorded again, then the sweep completes.
        SweepView atReturn = await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100))
                .ignoreExceptions().until(() -> api.sweep(sweep), v -> v != null);
        long answering = System.nanoTime();
        long recordedAtReturn = atReturn.counts().getOrDefault(ImageState.SUCCEEDED, 0L);
        assertThat(recordedAtReturn).as("the sweep was still running when %s came back", name).isLessThan(expected);
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .until(() -> audit.succeeded(sweep) > recordedAtReturn);
        long resumed = System.nanoTime();
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> api.sweep(sweep).state() == SweepState.COMPLETED);
        long completed = System.nanoTime();

        System.out.printf("FAULT-FIGURES %s down %.1f s (%d s held, the rest stopping and starting it) at %d/%d "
                + "images recorded (%d at return): API answering %.1f s after return, recording resumed %.1f s "
                + "after return, sweep completed %.1f s after return%n", name, seconds(stopped, back),
                OUTAGE.toSeconds(), before, expected, recordedAtReturn, seconds(back, answering),
                seconds(back, resumed), seconds(back, completed));
        audit.assertEveryImageRenderedExactlyOnce(sweep, expected);
    }

    private static double seconds(long from, long to) {
        return (to - from) / 1e9;
    }
}
