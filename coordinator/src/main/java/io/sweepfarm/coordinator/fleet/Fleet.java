package io.sweepfarm.coordinator.fleet;

import io.sweepfarm.common.api.LaneState;
import io.sweepfarm.common.api.LaneView;
import io.sweepfarm.common.api.ModelView;
import io.sweepfarm.common.messaging.LaneHeartbeat;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live view of the worker lanes, built from their heartbeats ({@link HeartbeatFollower}): the latest heartbeat of
 * each lane and when it reached Kafka. A lane is {@link LaneState#LOST} once its latest heartbeat is older than
 * {@code lost-after} (unless it said it stopped), and leaves the view after {@code forget-after}. Thread-safe.
 */
@ApplicationScoped
public class Fleet {

    private record Seen(LaneHeartbeat heartbeat, Instant at) {
    }

    private final Map<String, Seen> lanes = new ConcurrentHashMap<>();
    private final Duration lostAfter;
    private final Duration forgetAfter;
    private final Clock clock;

    @Inject
    Fleet(FleetConfig config) {
        this(config.lostAfter(), config.forgetAfter(), Clock.systemUTC());
    }

    Fleet(Duration lostAfter, Duration forgetAfter, Clock clock) {
        this.lostAfter = lostAfter;
        this.forgetAfter = forgetAfter;
        this.clock = clock;
    }

    /**
     * Takes a lane's heartbeat, or forgets the lane when {@code heartbeat} is null (a tombstone).
     *
     * @param at when it reached Kafka (the record's timestamp)
     */
    void apply(String laneId, LaneHeartbeat heartbeat, Instant at) {
        if (heartbeat == null) {
            lanes.remove(laneId);
        } else {
            lanes.put(laneId, new Seen(heartbeat, at));
        }
    }

    /** Every lane in the view, by model then lane id. */
    public List<LaneView> lanes() {
        Instant now = clock.instant();
        lanes.values().removeIf(s -> age(s, now).compareTo(forgetAfter) > 0);
        return lanes.values().stream().map(s -> view(s, now))
                .sorted(Comparator.comparing(LaneView::model).thenComparing(LaneView::laneId)).toList();
    }

    /**
     * The models in the view and those the backlog says are waiting, with their lanes by state and the summed
     * throughput of the live ones.
     */
    public List<ModelView> models(ModelBacklog backlog) {
        Map<String, List<LaneView>> byModel = new TreeMap<>();
        for (LaneView lane : lanes()) {
            byModel.computeIfAbsent(lane.model(), m -> new java.util.ArrayList<>()).add(lane);
        }
        var waiting = backlog.waitingTasks();
        waiting.ifPresent(w -> w.forEach((model, count) -> {
            if (count > 0) {
                byModel.computeIfAbsent(model, m -> List.of());
            }
        }));
        return byModel.entrySet().stream().map(e -> {
            Map<LaneState, Integer> counts = new EnumMap<>(LaneState.class);
            int live = 0;
            double imagesPerSecond = 0;
            for (LaneView lane : e.getValue()) {
                counts.merge(lane.state(), 1, Integer::sum);
                if (lane.state().serves()) {
                    live++;
                    imagesPerSecond += lane.imagesPerSecond();
                }
            }
            Long tasks = waiting.map(w -> w.getOrDefault(e.getKey(), 0L)).orElse(null);
            return new ModelView(e.getKey(), live, counts, imagesPerSecond, tasks);
        }).toList();
    }

    /**
     * The models at least one live lane (loading, idle or rendering) serves now: a sweep for another model would
     * wait for a worker.
     */
    public Set<String> servedModels() {
        Set<String> served = new TreeSet<>();
        for (LaneView lane : lanes()) {
            if (lane.state().serves()) {
                served.add(lane.model());
            }
        }
        return served;
    }

    /** The live lanes (loading, idle or rendering) of {@code model}, with what they announce they can use. */
    public List<LaneView> liveLanes(String model) {
        return lanes().stream().filter(l -> l.model().equals(model) && l.state().serves()).toList();
    }

    private Duration age(Seen s, Instant now) {
        Duration age = Duration.between(s.at, now);
        return age.isNegative() ? Duration.ZERO : age;
    }

    private LaneView view(Seen s, Instant now) {
        LaneHeartbeat h = s.heartbeat;
        Duration age = age(s, now);
        LaneState state = h.state() != LaneState.STOPPED && age.compareTo(lostAfter) > 0 ? LaneState.LOST : h.state();
        return new LaneView(h.laneId(), h.workerId(), h.host(), h.model(), h.device(), state, h.imagesPerSecond(),
                h.meanStepMillis(), h.batchSize(), h.lastError(), h.version(), s.at, age.toMillis() / 1000.0,
                h.addons());
    }
}
