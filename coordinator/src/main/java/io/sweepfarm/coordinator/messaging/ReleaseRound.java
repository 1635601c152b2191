package io.sweepfarm.coordinator.messaging;

import io.sweepfarm.common.api.SweepState;
import io.sweepfarm.coordinator.state.Lifecycles;
import io.sweepfarm.coordinator.sweep.SweepCounters;
import io.sweepfarm.coordinator.task.TaskOutbox;
import io.sweepfarm.coordinator.task.TaskRows;
import io.sweepfarm.coordinator.task.TaskRows.TaskRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * One model's release decision, in one transaction: which tasks the relay publishes next. The outbox is the
 * {@code task} table with one {@code task_outbox} row per round ({@link TaskOutbox}): the tasks are committed here
 * and published after the commit, so nothing is published that is not committed, and a round committed but never
 * acknowledged by Kafka is claimed again later (a repeat is harmless).
 *
 * <ol>
 * <li>Take the model's advisory lock (one coordinator releases a model at a time, so the in-flight cap holds across
 * coordinators) and lock the model's active sweeps in id order.</li>
 * <li>Take over a round of the model whose acknowledgement never came (its publisher died, or Kafka did not take it),
 * and claim the tasks that wait for a round (re-releases of stalled tasks). They are already in flight, so they need
 * no room.</li>
 * <li>Fill the room under the cap ({@code cap − Σ queued}) from the RUNNING sweeps in priority order (then age): first
 * their handed-back tasks, then fresh ordinals from each sweep's release cursor, which moves past them.</li>
 * <li>Open the round's outbox row with every task claimed.</li>
 * </ol>
 */
final class ReleaseRound {

    private static final String ACTIVE = io.sweepfarm.coordinator.state.StateMachine.sqlList(Lifecycles.ACTIVE);

    /** An active sweep of the model, as locked for the round. */
    record Active(UUID id, SweepState state, int priority, Instant createdAt, long imageCount, long cursor,
            long queued) {
    }

    private ReleaseRound() {
    }

    /** A round's claim: its outbox row and its tasks. */
    record Claim(long round, List<TaskRef> tasks) {
        static final Claim NONE = new Claim(0, List.of());
    }

    /**
     * The tasks to publish, about {@code batch} (more only when a whole stale round is taken over), in an open round;
     * {@link Claim#NONE} when there are none or another coordinator holds the model.
     */
    static Claim claim(Connection c, String model, int batch, long cap, Instant staleBefore) throws SQLException {
        if (!tryLockModel(c, model)) {
            return Claim.NONE;
        }
        List<Active> sweeps = lockActive(c, model);
        long inFlight = sweeps.stream().mapToLong(Active::queued).sum();
        List<TaskRef> out = new ArrayList<>(TaskOutbox.takeOverStale(c, model, staleBefore));
        out.addAll(TaskRows.claimWaiting(c, sweeps.stream().map(Active::id).toList(), batch - out.size()));
        long room = Math.min(batch - out.size(), cap - inFlight);
        List<Active> runnable = sweeps.stream().filter(s -> s.state() == SweepState.RUNNING)
                .sorted(Comparator.comparingInt(Active::priority).reversed().thenComparing(Active::createdAt)
                        .thenComparing(Active::id))
                .toList();
        for (Active s : runnable) {
            if (room <= 0) {
                break;
            }
            List<TaskRef> again = TaskRows.releaseHandedBack(c, s.id(), (int) room);
            room -= again.size();
            int fresh = (int) Math.max(0, Math.min(room, s.imageCount() - s.cursor()));
            out.addAll(again);
            out.addAll(TaskRows.releaseFresh(c, s.id(), s.cursor(), fresh));
            room -= fresh;
            if (fresh > 0 || !again.isEmpty()) {
                SweepCounters.advance(c, s.id(), fresh, fresh + again.size());
            }
        }
        return out.isEmpty() ? Claim.NONE : new Claim(TaskOutbox.open(c, model, out), out);
    }

    private static boolean tryLockModel(Connection c, String model) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select pg_try_advisory_xact_lock(hashtext(?))")) {
            ps.setString(1, "sweepfarm.relay." + model);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /** The model's sweeps that are RUNNING or PAUSED, or have tasks out, locked in id order. */
    private static List<Active> lockActive(Connection c, String model) throws SQLException {
        List<Active> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select id, state, priority, created_at, image_count, release_cursor, queued from sweep
                where model = ? and (state in %s or queued > 0)
                order by id for no key update""".formatted(ACTIVE))) {
            ps.setString(1, model);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Active(rs.getObject(1, UUID.class), SweepState.valueOf(rs.getString(2)), rs.getInt(3),
                            rs.getTimestamp(4).toInstant(), rs.getLong(5), rs.getLong(6), rs.getLong(7)));
                }
            }
        }
        return out;
    }

    /** Models that may have work for the relay: sweeps RUNNING or PAUSED, or with tasks out. */
    static List<String> activeModels(Connection c) throws SQLException {
        List<String> models = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select distinct model from sweep where state in %s or queued > 0""".formatted(ACTIVE));
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                models.add(rs.getString(1));
            }
        }
        return models;
    }
}
