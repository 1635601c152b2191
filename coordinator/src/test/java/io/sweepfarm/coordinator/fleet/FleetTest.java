package io.sweepfarm.coordinator.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import io.sweepfarm.common.api.LaneAddons;
import io.sweepfarm.common.api.LaneState;
import io.sweepfarm.common.api.LaneView;
import io.sweepfarm.common.api.ModelView;
import io.sweepfarm.common.messaging.LaneHeartbeat;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FleetTest {

    /** A clock the test moves by hand. */
    static final class TestClock extends Clock {
        Instant now = Instant.parse("2026-11-30T12:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final TestClock clock = new TestClock();
    private final Fleet fleet = new Fleet(Duration.ofSeconds(30), Duration.ofHours(1), clock);

    static LaneHeartbeat heartbeat(String lane, String model, LaneState state, double imagesPerSecond) {
        return new LaneHeartbeat(lane.split("/")[0], lane, "host", model, lane.split("/")[1], state, imagesPerSecond,
                120, 4, null, "0.1.0", Instant.now(), null);
    }

    private void seen(String lane, String model, LaneState state, double ips, long secondsAgo) {
        fleet.apply(lane, heartbeat(lane, model, state, ips), clock.now.minusSeconds(secondsAgo));
    }

    private LaneView lane(String id) {
        return fleet.lanes().stream().filter(l -> l.laneId().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void aLaneSilentLongerThanTheThresholdIsLostButAStoppedOneStaysStopped() {
        seen("a/cuda:0", "sd15", LaneState.RENDERING, 2, 29);
        seen("b/cuda:0", "sd15", LaneState.RENDERING, 2, 31);
        seen("c/cuda:0", "sd15", LaneState.STOPPED, 0, 600);
        seen("d/cuda:0", "sd15", LaneState.FAILED, 0, 31);
        assertThat(lane("a/cuda:0").state()).isEqualTo(LaneState.RENDERING);
        assertThat(lane("a/cuda:0").ageSeconds()).isEqualTo(29.0);
        assertThat(lane("b/cuda:0").state()).isEqualTo(LaneState.LOST);
        assertThat(lane("c/cuda:0").state()).isEqualTo(LaneState.STOPPED);
        assertThat(lane("d/cuda:0").state()).isEqualTo(LaneState.LOST);
    }

    @Test
    void aLaneSilentLongerThanTheRetentionLeavesTheViewAndATombstoneRemovesOne() {
        seen("old/cpu", "sd15", LaneState.IDLE, 0, 3601);
        seen("new/cpu", "sd15", LaneState.IDLE, 0, 1);
        seen("gone/cpu", "sd15", LaneState.IDLE, 0, 1);
        fleet.apply("gone/cpu", null, clock.now);
        assertThat(fleet.lanes()).extracting(LaneView::laneId).containsExactly("new/cpu");
    }

    @Test
    void aHeartbeatStampedAheadOfTheCoordinatorsClockHasAgeZero() {
        seen("ahead/cpu", "sd15", LaneState.IDLE, 0, -3);
        assertThat(lane("ahead/cpu").ageSeconds()).isZero();
        assertThat(lane("ahead/cpu").state()).isEqualTo(LaneState.IDLE);
    }

    @Test
    void modelsSumTheThroughputOfLiveLanesAndCountLanesByState() {
        seen("a/cuda:0", "sd15", LaneState.RENDERING, 1.5, 1);
        seen("a/cuda:1", "sd15", LaneState.IDLE, 0.5, 1);
        seen("b/cuda:0", "sd15", LaneState.RENDERING, 9, 45);
        seen("c/cuda:0", "sdxl", LaneState.LOADING, 0, 1);
        seen("d/cuda:0", "flux", LaneState.FAILED, 0, 1);
        ModelBacklog unknown = Optional::empty;
        Map<String, ModelView> models = new java.util.HashMap<>();
        fleet.models(unknown).forEach(m -> models.put(m.model(), m));

        assertThat(models.keySet()).containsExactlyInAnyOrder("sd15", "sdxl", "flux");
        assertThat(models.get("sd15").liveLanes()).isEqualTo(2);
        assertThat(models.get("sd15").imagesPerSecond()).isEqualTo(2.0);
        assertThat(models.get("sd15").lanes()).containsEntry(LaneState.RENDERING, 1).containsEntry(LaneState.IDLE, 1)
                .containsEntry(LaneState.LOST, 1);
        assertThat(models.get("sd15").waitingTasks()).isNull();
        assertThat(models.get("sdxl").served()).isTrue();
        assertThat(models.get("flux").served()).isFalse();
        assertThat(fleet.servedModels()).containsExactly("sd15", "sdxl");
    }

    @Test
    void aKnownBacklogAddsWaitingTasksAndListsModelsThatNoLaneServes() {
        seen("a/cuda:0", "sd15", LaneState.IDLE, 0, 1);
        ModelBacklog backlog = () -> Optional.of(Map.of("sd21", 40L, "empty", 0L));
        assertThat(fleet.models(backlog)).extracting(ModelView::model, ModelView::liveLanes, ModelView::waitingTasks)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("sd15", 1, 0L),
                        org.assertj.core.groups.Tuple.tuple("sd21", 0, 40L));
    }

    @Test
    void aLanesViewCarriesTheAddonsOfItsLatestHeartbeat_andTheLiveLanesOfAModelAreThoseThatServeIt() {
        LaneAddons addons = new LaneAddons(List.of("ink"), List.of("canny"), null, false, false);
        LaneHeartbeat h = heartbeat("a/cuda:0", "sd15", LaneState.IDLE, 0);
        fleet.apply("a/cuda:0", new LaneHeartbeat(h.workerId(), h.laneId(), h.host(), h.model(), h.device(),
                h.state(), 0, 0, 0, null, "0.1.0", Instant.now(), addons), clock.now);
        seen("b/cuda:0", "sd15", LaneState.LOADING, 0, 1);
        seen("c/cuda:0", "sd15", LaneState.IDLE, 0, 45);
        seen("d/cuda:0", "sd15", LaneState.FAILED, 0, 1);
        seen("e/cuda:0", "sdxl", LaneState.IDLE, 0, 1);

        assertThat(lane("a/cuda:0").addons()).isEqualTo(addons);
        assertThat(lane("b/cuda:0").addons()).as("an older worker's, or a loading lane's").isNull();
        assertThat(fleet.liveLanes("sd15")).extracting(LaneView::laneId).containsExactly("a/cuda:0", "b/cuda:0");
        assertThat(fleet.liveLanes("flux")).isEmpty();
    }
}
