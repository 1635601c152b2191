package io.sweepfarm.coordinator.messaging;

import io.sweepfarm.common.api.ImageState;
import io.sweepfarm.common.api.SweepState;
import io.sweepfarm.common.messaging.RenderTask;
import io.sweepfarm.common.storage.ObjectKeys;
import io.sweepfarm.coordinator.state.Lifecycles;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * The SQL of the outbox relay, on the relay's connection and transaction. Every state change binds its allowed
 * source states from {@link Lifecycles#IMAGE} / {@link Lifecycles#SWEEP}.
 */
final class OutboxRows {

    private static final String[] QUEUED_FROM = Lifecycles.IMAGE.sourceNamesOf(ImageState.QUEUED);
    private static final String[] FAILED_FROM = Lifecycles.IMAGE.sourceNamesOf(ImageState.FAILED);
    private static final String[] CANCELLED_FROM = Lifecycles.IMAGE.sourceNamesOf(ImageState.CANCELLED);
    private static final String[] COMPLETED_FROM = Lifecycles.SWEEP.sourceNamesOf(SweepState.COMPLETED);
    private static final String[] NOT_TERMINAL = Arrays.stream(ImageState.values()).filter(s -> !s.isTerminal())
            .map(Enum::name).toArray(String[]::new);
    private static final String TASK_COLUMNS = """
            id, sweep_id, ordinal, attempts, prompt, negative_prompt, cfg_scale, steps, sampler, seed, width, height,
            noise_source, prompt_overflow, init_image, strength, mask""";

    private OutboxRows() {
    }

    /** Models that may have work for the relay: RUNNING or PAUSED sweeps, or cancelled ones with tasks out. */
    static List<String> activeModels(Connection c) throws SQLException {
        return strings(c, """
                select distinct model from sweep s where s.state in ('RUNNING', 'PAUSED')
                or (s.state = 'CANCELLED' and exists (select 1 from image i where i.sweep_id = s.id
                                                      and i.state = 'QUEUED'))""");
    }

    /** One coordinator releases a model at a time; the lock ends with the transaction. */
    static boolean tryLockModel(Connection c, String model) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select pg_try_advisory_xact_lock(hashtext(?))")) {
            ps.setString(1, "sweepfarm.relay." + model);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    static long countQueued(Connection c, String model) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                select count(*) from image where state = 'QUEUED'
                and sweep_id in (select id from sweep where model = ?)""")) {
            ps.setString(1, model);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** RUNNING sweeps of the model in release order: priority (high first), then age. */
    static List<UUID> releasableSweeps(Connection c, String model) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select id from sweep where model = ? and state = 'RUNNING'
                order by priority desc, created_at, id""")) {
            ps.setString(1, model);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return ids;
    }

    /** Locks and reads the next PENDING images of a sweep in ordinal order, skipping rows another relay holds. */
    static void pickPending(Connection c, String model, UUID sweepId, int limit, List<RenderTask> into)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + TASK_COLUMNS + """

                from image where sweep_id = ? and state = 'PENDING'
                order by ordinal limit ? for update skip locked""")) {
            ps.setObject(1, sweepId);
            ps.setInt(2, limit);
            readTasks(ps, model, into);
        }
    }

    /**
     * Locks and reads QUEUED images of RUNNING or PAUSED sweeps released before {@code cutoff} that may be tried
     * again (fewer than {@code maxAttempts} releases), oldest release first.
     */
    static void pickStalled(Connection c, String model, Instant cutoff, int maxAttempts, int limit,
            List<RenderTask> into) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + TASK_COLUMNS + """

                from image where state = 'QUEUED' and released_at < ? and attempts < ?
                and sweep_id in (select id from sweep where model = ? and state in ('RUNNING', 'PAUSED'))
                order by released_at limit ? for update skip locked""")) {
            ps.setTimestamp(1, Timestamp.from(cutoff));
            ps.setInt(2, maxAttempts);
            ps.setString(3, model);
            ps.setInt(4, limit);
            readTasks(ps, model, into);
        }
    }

    /** Stalled tasks that used up their attempts become FAILED; returns how many. */
    static int failExhausted(Connection c, String model, Instant cutoff, int maxAttempts) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                update image set state = 'FAILED', completed_at = now(),
                       error = 'no result after ' || attempts || ' releases; the task was given up'
                where state = any(?) and state = 'QUEUED' and released_at < ? and attempts >= ?
                and sweep_id in (select id from sweep where model = ?)""")) {
            ps.setArray(1, c.createArrayOf("text", FAILED_FROM));
            ps.setTimestamp(2, Timestamp.from(cutoff));
            ps.setInt(3, maxAttempts);
            ps.setString(4, model);
            return ps.executeUpdate();
        }
    }

    /** Stalled tasks of cancelled sweeps are cancelled rather than released again; returns how many. */
    static int cancelStalled(Connection c, String model, Instant cutoff) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                update image set state = 'CANCELLED', completed_at = now()
                where state = any(?) and state = 'QUEUED' and released_at < ?
                and sweep_id in (select id from sweep where model = ? and state = 'CANCELLED')""")) {
            ps.setArray(1, c.createArrayOf("text", CANCELLED_FROM));
            ps.setTimestamp(2, Timestamp.from(cutoff));
            ps.setString(3, model);
            return ps.executeUpdate();
        }
    }

    /** Marks published tasks QUEUED: one more attempt, released now. */
    static void markQueued(Connection c, List<RenderTask> tasks) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                update image set state = 'QUEUED', attempts = attempts + 1, released_at = now()
                where id = any(?) and state = any(?)""")) {
            ps.setArray(1, c.createArrayOf("uuid", tasks.stream().map(RenderTask::imageId).toArray()));
            ps.setArray(2, c.createArrayOf("text", QUEUED_FROM));
            ps.executeUpdate();
        }
    }

    /**
     * Completes the model's RUNNING/PAUSED sweeps whose images are all final; returns their ids. Sweeps locked by
     * someone else (a result being recorded, a user action) are skipped, so the relay never waits on them.
     */
    static List<String> completeFinishedSweeps(Connection c, String model) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                update sweep set state = 'COMPLETED', updated_at = now(), version = version + 1
                where id in (select s.id from sweep s where s.model = ? and s.state = any(?)
                             and not exists (select 1 from image i where i.sweep_id = s.id and i.state = any(?))
                             for update skip locked)
                returning id::text""")) {
            ps.setString(1, model);
            ps.setArray(2, c.createArrayOf("text", COMPLETED_FROM));
            ps.setArray(3, c.createArrayOf("text", NOT_TERMINAL));
            List<String> ids = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        }
    }

    /** Tasks Kafka refused for good become FAILED with the broker's reason, without spending a release. */
    static void markRefused(Connection c, List<TaskPublisher.Refusal> refused) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                update image set state = 'FAILED', completed_at = now(), error = ?
                where id = ? and state = any(?)""")) {
            for (TaskPublisher.Refusal r : refused) {
                ps.setString(1, r.reason());
                ps.setObject(2, r.task().imageId());
                ps.setArray(3, c.createArrayOf("text", FAILED_FROM));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void readTasks(PreparedStatement ps, String model, List<RenderTask> into) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                UUID imageId = rs.getObject("id", UUID.class);
                UUID sweepId = rs.getObject("sweep_id", UUID.class);
                long ordinal = rs.getLong("ordinal");
                double strength = rs.getDouble("strength");
                Double strengthOrNull = rs.wasNull() ? null : strength;
                into.add(new RenderTask(imageId, sweepId, ordinal, rs.getInt("attempts") + 1, model,
                        rs.getString("prompt"), rs.getString("negative_prompt"), rs.getDouble("cfg_scale"),
                        rs.getInt("steps"), rs.getString("sampler"), rs.getLong("seed"), rs.getInt("width"),
                        rs.getInt("height"), rs.getString("noise_source"), rs.getString("prompt_overflow"),
                        rs.getString("init_image"), strengthOrNull, rs.getString("mask"),
                        ObjectKeys.image(sweepId, ordinal, imageId)));
            }
        }
    }

    private static List<String> strings(Connection c, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }
}
