package io.sweepfarm.coordinator.task;

import static io.sweepfarm.common.api.ImageState.QUEUED;

import io.sweepfarm.coordinator.task.TaskRows.TaskRef;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

/**
 * The relay's outbox, one row per release round ({@code task_outbox}): the tasks a round claimed, until Kafka
 * acknowledged them. A round is opened in the transaction that claims its tasks and deleted in the one that records
 * the acknowledgement, so that recording a round costs one row whatever its size. A round still open long after its
 * claim (its coordinator died between the commit and the ack, or Kafka did not take it) is taken over whole by the
 * model's next round; its tasks that are still waiting for a result at the same attempt are sent again.
 */
public final class TaskOutbox {

    private TaskOutbox() {
    }

    /** Opens a round of {@code model} holding {@code tasks}; returns its id. */
    public static long open(Connection c, String model, List<TaskRef> tasks) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                insert into task_outbox (model, claimed_at, sweep_ids, ordinals, attempts)
                values (?, now(), ?::uuid[], ?::bigint[], ?::int[]) returning id""")) {
            ps.setString(1, model);
            TaskRows.bindRefs(c, ps, 2, tasks);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Kafka acknowledged the round (its refused tasks, if any, were failed in the same transaction). */
    public static void acknowledged(Connection c, long round) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("delete from task_outbox where id = ?")) {
            ps.setLong(1, round);
            ps.executeUpdate();
        }
    }

    /** Kafka did not take the round: it is taken over by the model's next round, however soon. */
    public static void retrySoon(Connection c, long round) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "update task_outbox set claimed_at = '-infinity' where id = ?")) {
            ps.setLong(1, round);
            ps.executeUpdate();
        }
    }

    /**
     * Takes over the oldest round of {@code model} claimed before {@code staleBefore}, if any (deleting it: the caller
     * puts the tasks in its own round), and returns its tasks that still wait for that attempt's result, stamped as
     * released now. Rounds another coordinator is taking over are skipped.
     */
    public static List<TaskRef> takeOverStale(Connection c, String model, Instant staleBefore) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                with stale as (
                    delete from task_outbox where id = (
                        select id from task_outbox where model = ? and claimed_at < ?
                        order by claimed_at limit 1 for update skip locked)
                    returning sweep_ids, ordinals, attempts)
                update task t set released_at = now()
                from stale, unnest(stale.sweep_ids, stale.ordinals, stale.attempts) r(sweep_id, ordinal, attempt)
                where t.sweep_id = r.sweep_id and t.ordinal = r.ordinal and t.attempts = r.attempt
                and t.state = '%s' and t.claimed
                returning t.sweep_id, t.ordinal, t.attempts""".formatted(QUEUED.name()))) {
            ps.setString(1, model);
            ps.setTimestamp(2, Timestamp.from(staleBefore));
            return TaskRows.refs(ps);
        }
    }
}
