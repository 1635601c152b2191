package io.sweepfarm.worker.lane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sweepfarm.common.messaging.RenderResult;
import io.sweepfarm.common.messaging.RenderTask;
import io.sweepfarm.devstack.Endpoints;
import io.sweepfarm.devstack.KafkaBroker;
import io.sweepfarm.devstack.Ports;
import io.sweepfarm.devstack.testing.DevstackTestResource;
import io.sweepfarm.devstack.testing.RequiresInfra;
import io.sweepfarm.worker.lane.Outages.Dependency;
import io.sweepfarm.worker.lane.TaskLaneRecoveryTest.Captured;
import io.sweepfarm.worker.storage.ImageStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lane whose Kafka broker stops mid-sweep and comes back on the same port with the same data: results that cannot
 * be delivered are retried with growing pauses (the producer gives up on each send after a few seconds here), commits
 * wait, the outage is logged once and its end once, and in the end every task has its result and is committed.
 */
@RequiresInfra
class KafkaOutageTest {

    private final Endpoints infra = DevstackTestResource.endpoints();

    @TempDir
    Path dir;

    @Test
    void aKafkaOutageHoldsResultsAndCommitsAndLosesNothingWhenTheBrokerReturns() throws Exception {
        int port = Ports.free();
        Path data = dir.resolve("kafka");
        KafkaBroker broker = KafkaBroker.start(data, port, false);
        String bootstrap = broker.bootstrapServers();
        String model = "kafka-outage";
        UUID sweep = UUID.randomUUID();
        List<RenderTask> tasks = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            tasks.add(Tasks.aTask(model, sweep, i));
        }
        TaskTopics.send(bootstrap, tasks, 0);
        ImageStore store = new ImageStore(DevstackS3.config(infra));
        store.ensureBucket();
        Outages outages = new Outages();
        Semaphore gate = new Semaphore(2);
        // Sends give up after 3 s, so that the lane's own retries of results are exercised during the outage.
        Map<String, String> producer = Map.of("delivery.timeout.ms", "3000", "request.timeout.ms", "1000",
                "linger.ms", "0", "max.block.ms", "1000");
        try (Captured log = new Captured(Outages.class);
                Captured retries = new Captured(Delivery.class);
                ResultStream before = new ResultStream(bootstrap);
                LaneRunner lane = new LaneRunner(bootstrap, model, "kafka-outage", new StubRenderer(gate), store,
                        Lanes.settings(2, 2, 2), SweepStates.NONE, outages,
                        Map.of("session.timeout.ms", "45000", "default.api.timeout.ms", "3000"), producer)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> before.distinctImages(sweep) == 4);
            broker.close();
            gate.release(2); // two more batches are rendered while the broker is away
            // Results of the batches rendered meanwhile outlive the producer's delivery timeout and are retried.
            await().atMost(Duration.ofSeconds(60)).until(() -> outages.current().containsKey(Dependency.KAFKA)
                    && retries.count("publishing results failed") >= 2);
            broker = KafkaBroker.start(data, port, true);
            gate.release(1000);
            List<RenderResult> results = Results.collect(bootstrap, sweep, tasks.size(), Duration.ofMinutes(2));
            await().atMost(Duration.ofSeconds(60)).until(() -> TaskTopics.lag(bootstrap, model) == 0);
            assertThat(results.stream().map(RenderResult::imageId).collect(Collectors.toSet()))
                    .containsExactlyInAnyOrderElementsOf(tasks.stream().map(RenderTask::imageId).toList());
            assertThat(results).allMatch(r -> r.outcome() == RenderResult.Outcome.SUCCEEDED);
            assertThat(lane.died.get()).isNull();
            await().atMost(Duration.ofSeconds(30)).until(() -> outages.current().isEmpty());
            assertThat(log.at(Level.WARNING)).singleElement().asString().startsWith("Kafka is unavailable");
            assertThat(log.at(Level.INFO)).singleElement().asString().startsWith("Kafka is available again");
        } finally {
            broker.close();
        }
    }
}
