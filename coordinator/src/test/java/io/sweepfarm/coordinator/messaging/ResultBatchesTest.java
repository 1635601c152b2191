package io.sweepfarm.coordinator.messaging;

import static io.sweepfarm.coordinator.support.Sweeps.aSweep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.sweepfarm.common.api.ImageState;
import io.sweepfarm.common.api.SweepState;
import io.sweepfarm.common.api.SweepView;
import io.sweepfarm.common.messaging.RenderResult;
import io.sweepfarm.common.messaging.RenderTask;
import io.sweepfarm.coordinator.support.Api;
import io.sweepfarm.coordinator.support.Infra;
import io.sweepfarm.coordinator.support.Sweeps;
import io.sweepfarm.devstack.testing.DevstackTestResource;
import io.sweepfarm.devstack.testing.RequiresInfra;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Results arrive in batches, repeated and out of order; the counters stay exact. */
@QuarkusTest
@WithTestResource(DevstackTestResource.class)
@RequiresInfra
class ResultBatchesTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @Test
    void redeliveredShuffledResultBatchesLeaveTheCountersExact() {
        Sweeps spec = aSweep().withSeedRange(0, 8);
        try (Infra.TaskReader reader = Infra.tasksOf(spec.model())) {
            UUID id = Api.create(spec).id();
            await().atMost(PATIENCE).until(() -> reader.poll().size() >= 8);
            List<RenderTask> tasks = List.copyOf(reader.poll());
            // Each result three times, plus a late failure and a stale hand-back of a success, all shuffled and
            // sent in one burst (so the coordinator records them in batches holding repeats).
            List<RenderResult> burst = new ArrayList<>();
            for (int copy = 0; copy < 3; copy++) {
                for (RenderTask t : tasks.subList(0, 6)) {
                    burst.add(Infra.succeeded(t, "ab".repeat(32)));
                }
                burst.add(Infra.failed(tasks.get(6), "bad input"));
            }
            burst.add(Infra.failed(tasks.get(0), "late failure after success"));
            burst.add(Infra.skipped(tasks.get(1), RenderResult.Outcome.DEFERRED));
            burst.add(Infra.skipped(tasks.get(7), RenderResult.Outcome.CANCELLED));
            Collections.shuffle(burst, new Random(7));
            Infra.sendResults(burst);

            await().atMost(PATIENCE).until(() -> Api.sweep(id).state() == SweepState.COMPLETED);
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(4)).until(() -> {
                SweepView v = Api.sweep(id);
                return v.counts().get(ImageState.SUCCEEDED) == 6 && v.counts().get(ImageState.FAILED) == 1
                        && v.counts().get(ImageState.CANCELLED) == 1 && v.counts().get(ImageState.QUEUED) == 0
                        && v.counts().get(ImageState.PENDING) == 0;
            });
            assertThat(Infra.queryLong("select count(*) from image where sweep_id = ?", id)).isEqualTo(8);
            assertThat(Infra.queryLong("select count(*) from task where sweep_id = ?", id)).isZero();
            // The counters agree with the rows.
            assertThat(Infra.queryLong("select count(*) from image where sweep_id = ? and state = 'SUCCEEDED'", id))
                    .isEqualTo(6);

            // Redelivering everything again, long after, changes nothing.
            Infra.sendResults(burst);
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(4)).until(() ->
                    Api.sweep(id).counts().get(ImageState.SUCCEEDED) == 6
                            && Api.sweep(id).counts().get(ImageState.FAILED) == 1);
        }
    }

    @Test
    void aResultNamingAnotherSweepThanItsImageIdIsIgnored() {
        Sweeps spec = aSweep();
        try (Infra.TaskReader reader = Infra.tasksOf(spec.model())) {
            UUID id = Api.create(spec).id();
            await().atMost(PATIENCE).until(() -> reader.poll().size() >= 1);
            RenderTask t = reader.poll().get(0);
            RenderResult forged = new RenderResult(t.imageId(), UUID.randomUUID(), t.attempt(),
                    RenderResult.Outcome.SUCCEEDED, t.outputKey(), "00".repeat(32), "w", 1, null, null, null);
            Infra.sendResult(forged);
            Infra.sendResult(Infra.succeeded(t, "11".repeat(32)));
            await().atMost(PATIENCE).until(() -> Api.sweep(id).state() == SweepState.COMPLETED);
            assertThat(Infra.queryLong("select count(*) from image where sweep_id = ? and sha256 = ?", id,
                    "11".repeat(32))).isEqualTo(1);
        }
    }
}
