package io.sweepfarm.coordinator.messaging;

import io.quarkus.logging.Log;
import io.sweepfarm.common.api.ImageState;
import io.sweepfarm.common.image.ImageIds;
import io.sweepfarm.common.json.Json;
import io.sweepfarm.common.messaging.RenderResult;
import io.sweepfarm.coordinator.events.SweepEvents;
import io.sweepfarm.coordinator.plan.SweepPlans;
import io.sweepfarm.coordinator.sweep.SweepCounters;
import io.sweepfarm.coordinator.task.TaskRows;
import io.sweepfarm.coordinator.task.TaskRows.TaskRef;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Records a batch of {@link RenderResult}s in the caller's transaction: a few statements for the whole batch, not a
 * transaction per result.
 *
 * <ol>
 * <li>Each result is placed by its image id, which encodes (sweep, ordinal) ({@link ImageIds}); a result naming
 * another sweep than its id's is ignored. Duplicates within the batch collapse to one (a success wins).</li>
 * <li>The batch's sweeps are locked in id order ({@link SweepCounters#lock}).</li>
 * <li>Successes, failures and cancellations move their images from {@code task} to {@code image}
 * ({@link TaskRows#finish}); hand-backs of paused sweeps return to PENDING ({@link TaskRows#handBack}). Both are
 * guarded by the image lifecycle and the attempt, so a repeated or stale result changes nothing.</li>
 * <li>One counter update per sweep ({@link SweepCounters#apply}), which completes sweeps whose images are all
 * final.</li>
 * </ol>
 */
@ApplicationScoped
public class ResultRecorder {

    /** The longest error or warning text kept; a worker's message is for an operator, not a log dump. */
    static final int MAX_TEXT = 2000;

    @Inject
    SweepPlans plans;

    @Inject
    SweepEvents events;

    /** What a batch changed. */
    public record Recorded(int finished, int handedBack, List<UUID> sweeps) {
    }

    public Recorded record(Connection c, List<RenderResult> results) throws SQLException {
        Map<Key, Placed> byImage = new LinkedHashMap<>();
        List<RenderResult> legacy = new ArrayList<>();
        for (RenderResult r : results) {
            var decoded = ImageIds.decode(r.imageId());
            if (decoded.isEmpty()) {
                legacy.add(r);
                continue;
            }
            UUID sweep = plans.bySeq(decoded.get().sweepSeq()).map(SweepPlans.Compiled::id).orElse(null);
            place(byImage, r, sweep, decoded.get().ordinal());
        }
        if (!legacy.isEmpty()) {
            Map<UUID, Key> known = legacyIds(c, legacy.stream().map(RenderResult::imageId).toList());
            for (RenderResult r : legacy) {
                Key k = known.get(r.imageId());
                place(byImage, r, k == null ? null : k.sweep(), k == null ? -1 : k.ordinal());
            }
        }
        if (byImage.isEmpty()) {
            return new Recorded(0, 0, List.of());
        }
        List<UUID> sweeps = byImage.keySet().stream().map(Key::sweep).distinct().sorted().toList();
        SweepCounters.lock(c, sweeps);
        List<TaskRows.Finish> finishes = new ArrayList<>();
        List<TaskRef> handBacks = new ArrayList<>();
        for (Map.Entry<Key, Placed> e : byImage.entrySet()) {
            RenderResult r = e.getValue().result();
            Key k = e.getKey();
            switch (r.outcome()) {
                case DEFERRED -> handBacks.add(new TaskRef(k.sweep(), k.ordinal(), r.attempt()));
                case SUCCEEDED, FAILED, CANCELLED -> finishes.add(new TaskRows.Finish(k.sweep(), k.ordinal(),
                        r.attempt(), ImageState.valueOf(r.outcome().name()),
                        r.outcome() == RenderResult.Outcome.SUCCEEDED ? r.objectKey() : null,
                        r.outcome() == RenderResult.Outcome.SUCCEEDED ? r.sha256() : null, bounded(r.worker(), 200),
                        r.renderMillis(), warnings(r), r.outcome() == RenderResult.Outcome.FAILED
                                ? bounded(r.error() == null ? "the worker reported a failure without a reason"
                                        : r.error(), MAX_TEXT) : null, r.finishedAt()));
            }
        }
        SweepCounters.Deltas deltas = new SweepCounters.Deltas();
        List<TaskRows.Finished> finished = TaskRows.finish(c, finishes, deltas);
        int handedBack = TaskRows.handBack(c, handBacks, deltas);
        SweepCounters.apply(c, deltas);
        events.announce(c, finished);
        return new Recorded(finished.size(), handedBack, sweeps);
    }

    private record Key(UUID sweep, long ordinal) {
    }

    private record Placed(RenderResult result) {
    }

    /** Keeps one result per image: a success over anything else, else the latest attempt. */
    private static void place(Map<Key, Placed> byImage, RenderResult r, UUID sweep, long ordinal) {
        if (sweep == null || r.outcome() == null || (r.sweepId() != null && !r.sweepId().equals(sweep))) {
            Log.warnf("Ignoring a result for image %s: it names no known sweep (or another sweep than its id's)",
                    r.imageId());
            return;
        }
        byImage.merge(new Key(sweep, ordinal), new Placed(r), (a, b) -> {
            boolean aWins = a.result().outcome() == RenderResult.Outcome.SUCCEEDED
                    || (b.result().outcome() != RenderResult.Outcome.SUCCEEDED
                            && a.result().attempt() >= b.result().attempt());
            return aWins ? a : b;
        });
    }

    private static String warnings(RenderResult r) {
        if (r.warnings() == null || r.warnings().isEmpty()) {
            return null;
        }
        return Json.toString(r.warnings().stream().limit(20).map(w -> bounded(w, MAX_TEXT)).toList());
    }

    static String bounded(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max) + "…";
    }

    private static Map<UUID, Key> legacyIds(Connection c, List<UUID> ids) throws SQLException {
        Map<UUID, Key> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "select id, sweep_id, ordinal from image_legacy_id where id = any(?)")) {
            ps.setArray(1, c.createArrayOf("uuid", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getObject(1, UUID.class), new Key(rs.getObject(2, UUID.class), rs.getLong(3)));
                }
            }
        }
        return out;
    }
}
