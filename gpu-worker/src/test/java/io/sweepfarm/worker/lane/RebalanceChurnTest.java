package io.sweepfarm.worker.lane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sweepfarm.common.messaging.RenderResult;
import io.sweepfarm.common.messaging.RenderTask;
import io.sweepfarm.common.messaging.Topics;
import io.sweepfarm.devstack.Endpoints;
import io.sweepfarm.devstack.testing.DevstackTestResource;
import io.sweepfarm.devstack.testing.RequiresInfra;
import io.sweepfarm.worker.storage.ImageStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * Several lanes of one model in one group against real Kafka and S3 while members keep joining and leaving, and
 * some vanish without leaving: commits meet rebalances in progress, partitions move back and forth, yet no lane
 * dies and every task ends with a result (repeats allowed: the coordinator records one per image).
 */
@RequiresInfra
class RebalanceChurnTest {

    private static final int WAVES = 6;
    private static final int TASKS_PER_WAVE = 40;

    private final Endpoints infra = DevstackTestResource.endpoints();

    /** Short sessions, so a vanished member is noticed within seconds; small polls, so commits are frequent. */
    private static final Map<String, String> CONSUMER = Map.of("session.timeout.ms", "6000",
            "heartbeat.interval.ms", "500");

    @Test
    void lanesSurviveMembersJoiningLeavingAndVanishingWhileTasksFlowAndEveryTaskGetsAResult() throws Exception {
        String model = "churn-" + UUID.randomUUID().toString().substring(0, 8);
        String bootstrap = infra.kafkaBootstrap();
        UUID sweep = UUID.randomUUID();
        ImageStore store = new ImageStore(DevstackS3.config(infra));
        store.ensureBucket();
        Outages outages = new Outages();
        List<LaneRunner> lanes = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<RenderTask> sent = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                lanes.add(lane(model, "steady-" + i, store, outages));
            }
            for (int wave = 0; wave < WAVES; wave++) {
                List<RenderTask> tasks = new ArrayList<>();
                for (int i = 0; i < TASKS_PER_WAVE; i++) {
                    tasks.add(Tasks.aTask(model, sweep, sent.size() + i));
                }
                TaskTopics.send(bootstrap, tasks, null);
                sent.addAll(tasks);
                // A lane joins (partitions move to it), works a little, and leaves (they move back).
                LaneRunner visitor = lane(model, "visitor-" + wave, store, outages);
                lanes.add(visitor);
                await().atMost(Duration.ofSeconds(30)).failFast("a lane died", () -> anyDied(lanes))
                        .until(() -> TaskTopics.members(bootstrap, model) >= 3);
                if (wave % 3 == 1) {
                    vanishAfterJoining(model);
                }
                visitor.stop();
            }
            List<RenderResult> results = Results.collect(bootstrap, sweep, sent.size(), Duration.ofMinutes(3));
            await().atMost(Duration.ofSeconds(60)).failFast("a lane died", () -> anyDied(lanes))
                    .until(() -> TaskTopics.lag(bootstrap, model) == 0);

            Set<UUID> reported = results.stream().map(RenderResult::imageId).collect(Collectors.toSet());
            assertThat(reported).containsAll(sent.stream().map(RenderTask::imageId).toList());
            assertThat(results).allMatch(r -> r.outcome() == RenderResult.Outcome.SUCCEEDED);
            assertThat(lanes).allSatisfy(l -> assertThat(l.died.get()).as("lane died").isNull());
            assertThat(lanes.subList(0, 2)).allSatisfy(l -> assertThat(l.thread.isAlive()).isTrue());
        } finally {
            for (LaneRunner l : lanes) {
                l.close();
            }
        }
    }

    private static boolean anyDied(List<LaneRunner> lanes) {
        return lanes.stream().anyMatch(l -> l.died.get() != null);
    }

    private LaneRunner lane(String model, String id, ImageStore store, Outages outages) {
        return new LaneRunner(infra.kafkaBootstrap(), model, id, new StubRenderer(15), store, Lanes.settings(2, 2, 2),
                SweepStates.NONE, outages, CONSUMER);
    }

    /**
     * A member joins, takes partitions, and disappears without leaving the group (as a killed process): the group
     * notices only when its session times out, and rebalances again.
     */
    private void vanishAfterJoining(String model) {
        Properties p = new Properties();
        p.put("bootstrap.servers", infra.kafkaBootstrap());
        p.put("group.id", "sweepfarm-workers." + model);
        p.put("enable.auto.commit", "false");
        p.put("max.poll.records", "1");
        p.put("partition.assignment.strategy", "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
        p.putAll(CONSUMER);
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        c.subscribe(List.of(Topics.tasks(model)));
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            c.poll(Duration.ofMillis(100));
            return !c.assignment().isEmpty();
        });
        c.close(CloseOptions.timeout(Duration.ZERO)
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP));
    }
}
