package io.sweepfarm.worker.lane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sweepfarm.common.messaging.RenderResult;
import io.sweepfarm.common.messaging.RenderTask;
import io.sweepfarm.devstack.Endpoints;
import io.sweepfarm.devstack.testing.DevstackTestResource;
import io.sweepfarm.devstack.testing.RequiresInfra;
import io.sweepfarm.worker.storage.ImageStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Stopping a lane against real Kafka and S3: it finishes the batch it is rendering, publishes and commits what it
 * finished, hands back the rest uncommitted, and leaves the group at once, long before its session would time out;
 * the next lane renders exactly the rest.
 */
@RequiresInfra
class GracefulStopTest {

    private final Endpoints infra = DevstackTestResource.endpoints();

    @Test
    void aStoppedLaneFinishesItsBatchCommitsWhatIsDoneHandsBackTheRestAndLeavesTheGroupAtOnce() throws Exception {
        String model = "stop-" + UUID.randomUUID().toString().substring(0, 8);
        String bootstrap = infra.kafkaBootstrap();
        UUID sweep = UUID.randomUUID();
        List<RenderTask> tasks = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            tasks.add(Tasks.aTask(model, sweep, i));
        }
        TaskTopics.send(bootstrap, tasks, 0);
        ImageStore store = new ImageStore(DevstackS3.config(infra));
        store.ensureBucket();
        // A session far longer than the test waits: the partition can only move at once if the lane leaves.
        Map<String, String> consumer = Map.of("session.timeout.ms", "45000");
        Semaphore gate = new Semaphore(0);
        try (ResultStream results = new ResultStream(bootstrap)) {
            LaneRunner first = new LaneRunner(bootstrap, model, "first", new StubRenderer(gate), store,
                    Lanes.settings(2, 2, 2), SweepStates.NONE, new Outages(), consumer);
            try {
                gate.release(3);
                await().atMost(Duration.ofSeconds(60)).until(() -> results.distinctImages(sweep) == 6);
                await().atMost(Duration.ofSeconds(30)).until(gate::hasQueuedThreads); // in its 4th batch
                first.lane.stop();
                gate.release(1); // the batch in hand finishes
                first.thread.join(60_000);
            } finally {
                first.close();
            }
            assertThat(first.died.get()).isNull();
            await().atMost(Duration.ofSeconds(10)).until(() -> TaskTopics.members(bootstrap, model) == 0);
            assertThat(results.distinctImages(sweep)).isEqualTo(8);
            assertThat(TaskTopics.lag(bootstrap, model)).isEqualTo(tasks.size() - 8);

            gate.release(1000);
            try (LaneRunner next = new LaneRunner(bootstrap, model, "next", new StubRenderer(gate), store,
                    Lanes.settings(2, 2, 2), SweepStates.NONE, new Outages(), consumer)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> results.distinctImages(sweep) == tasks.size());
                await().atMost(Duration.ofSeconds(30)).until(() -> TaskTopics.lag(bootstrap, model) == 0);
            }
            Map<UUID, Long> resultsPerImage = results.of(sweep).stream()
                    .collect(Collectors.groupingBy(RenderResult::imageId, Collectors.counting()));
            assertThat(resultsPerImage).hasSize(tasks.size()).allSatisfy((id, n) -> assertThat(n).isOne());
            Map<UUID, String> byLane = results.of(sweep).stream()
                    .collect(Collectors.toMap(RenderResult::imageId, RenderResult::worker));
            assertThat(tasks.subList(0, 8)).extracting(RenderTask::imageId).map(byLane::get).containsOnly("first");
            assertThat(tasks.subList(8, tasks.size())).extracting(RenderTask::imageId).map(byLane::get)
                    .containsOnly("next");
        }
    }
}
