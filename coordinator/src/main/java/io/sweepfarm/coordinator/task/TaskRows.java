package io.sweepfarm.coordinator.task;

import static io.sweepfarm.common.api.ImageState.CANCELLED;
import static io.sweepfarm.common.api.ImageState.FAILED;
import static io.sweepfarm.common.api.ImageState.PENDING;
import static io.sweepfarm.common.api.ImageState.QUEUED;
import static io.sweepfarm.common.api.ImageState.SUCCEEDED;

import io.sweepfarm.common.api.ImageState;
import io.sweepfarm.coordinator.state.Lifecycles;
import io.sweepfarm.coordinator.sweep.SweepCounters;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The SQL of the {@code task} table (released and handed-back images, and the outbox of render tasks) and of the
 * moves from it into the {@code image} table, on the caller's connection and transaction. Every state change takes
 * its allowed source states from {@link Lifecycles#IMAGE}; each statement handles a whole batch. Callers lock the
 * sweeps involved first ({@link SweepCounters#lock}) and apply the returned counter deltas in the same transaction.
 */
public final class TaskRows {

    /** One released image and the attempt it is at. */
    public record TaskRef(UUID sweepId, long ordinal, int attempt) {
    }

    /**
     * An image reaching a final state: a worker's result, or a decision of the coordinator (refused by Kafka, given
     * up after its attempts, cancelled). A failure or cancellation applies only to the task's latest attempt
     * ({@code attempt} ≥ the task's attempts), so a stale one never overrides a re-release; a success from any
     * attempt is accepted (the object key is deterministic and the bytes are the same).
     */
    public record Finish(UUID sweepId, long ordinal, int attempt, ImageState state, String objectKey, String sha256,
            String worker, Long renderMillis, String warningsJson, String error, Instant completedAt) {

        public static Finish failed(TaskRef t, String error) {
            return new Finish(t.sweepId(), t.ordinal(), t.attempt(), FAILED, null, null, null, null, null, error,
                    Instant.now());
        }

        public static Finish cancelled(TaskRef t) {
            return new Finish(t.sweepId(), t.ordinal(), t.attempt(), CANCELLED, null, null, null, null, null, null,
                    Instant.now());
        }
    }

    private static final String FINISH = """
            with r(sweep_id, ordinal, attempt, state, object_key, sha256, worker, render_ms, warnings, error,
                   completed_at) as (
                select * from unnest(?::uuid[], ?::bigint[], ?::int[], ?::text[], ?::text[], ?::text[], ?::text[],
                                     ?::bigint[], ?::text[], ?::text[], ?::timestamptz[])),
                 d as (delete from task t using r
                       where t.sweep_id = r.sweep_id and t.ordinal = r.ordinal
                       and ((r.state = 'SUCCEEDED' and t.state in %s)
                            or (r.state = 'FAILED' and t.state in %s and t.attempts <= r.attempt)
                            or (r.state = 'CANCELLED' and t.state in %s and t.attempts <= r.attempt))
                       returning t.sweep_id, t.ordinal, t.state as was, t.attempts),
                 i as (insert into image (sweep_id, ordinal, state, attempts, object_key, sha256, worker, render_ms,
                                          warnings, error, completed_at)
                       select r.sweep_id, r.ordinal, r.state, d.attempts, r.object_key, r.sha256, r.worker,
                              r.render_ms, cast(r.warnings as jsonb), r.error, r.completed_at
                       from d join r on r.sweep_id = d.sweep_id and r.ordinal = d.ordinal
                       on conflict do nothing
                       returning sweep_id, ordinal, state)
            select d.sweep_id, d.was, r.state, d.ordinal from d join r on r.sweep_id = d.sweep_id and r.ordinal = d.ordinal
            """.formatted(Lifecycles.IMAGE.sqlSourcesOf(SUCCEEDED), Lifecycles.IMAGE.sqlSourcesOf(FAILED),
            Lifecycles.IMAGE.sqlSourcesOf(CANCELLED));

    private TaskRows() {
    }

    /** An image that reached a final state. */
    public record Finished(UUID sweepId, long ordinal, ImageState state) {
    }

    /**
     * Moves finished images from {@code task} to {@code image} (one row per (sweep, ordinal) in {@code finishes})
     * and adds the counter changes to {@code deltas}; returns the images it finished. Images without a task in a
     * state that allows the move (a repeated or stale result, an image already final) are left alone and not
     * counted.
     */
    public static List<Finished> finish(Connection c, List<Finish> finishes, SweepCounters.Deltas deltas)
            throws SQLException {
        List<Finished> finished = new ArrayList<>();
        if (finishes.isEmpty()) {
            return finished;
        }
        int n = finishes.size();
        Object[] sweeps = new Object[n];
        Long[] ordinals = new Long[n];
        Integer[] attempts = new Integer[n];
        String[] states = new String[n];
        String[] keys = new String[n];
        String[] shas = new String[n];
        String[] workers = new String[n];
        Long[] millis = new Long[n];
        String[] warnings = new String[n];
        String[] errors = new String[n];
        Timestamp[] at = new Timestamp[n];
        for (int i = 0; i < n; i++) {
            Finish f = finishes.get(i);
            sweeps[i] = f.sweepId();
            ordinals[i] = f.ordinal();
            attempts[i] = f.attempt();
            states[i] = f.state().name();
            keys[i] = f.objectKey();
            shas[i] = f.sha256();
            workers[i] = f.worker();
            millis[i] = f.renderMillis();
            warnings[i] = f.warningsJson();
            errors[i] = f.error();
            at[i] = Timestamp.from(f.completedAt() == null ? Instant.now() : f.completedAt());
        }
        try (PreparedStatement ps = c.prepareStatement(FINISH)) {
            ps.setArray(1, c.createArrayOf("uuid", sweeps));
            ps.setArray(2, c.createArrayOf("bigint", ordinals));
            ps.setArray(3, c.createArrayOf("integer", attempts));
            ps.setArray(4, c.createArrayOf("text", states));
            ps.setArray(5, c.createArrayOf("text", keys));
            ps.setArray(6, c.createArrayOf("text", shas));
            ps.setArray(7, c.createArrayOf("text", workers));
            ps.setArray(8, c.createArrayOf("bigint", millis));
            ps.setArray(9, c.createArrayOf("text", warnings));
            ps.setArray(10, c.createArrayOf("text", errors));
            ps.setArray(11, c.createArrayOf("timestamptz", at));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UUID sweep = rs.getObject(1, UUID.class);
                    boolean wasQueued = QUEUED.name().equals(rs.getString(2));
                    ImageState now = ImageState.valueOf(rs.getString(3));
                    deltas.add(sweep, new SweepCounters.Delta(wasQueued ? -1 : 0, now == SUCCEEDED ? 1 : 0,
                            now == FAILED ? 1 : 0, now == CANCELLED ? 1 : 0));
                    finished.add(new Finished(sweep, rs.getLong(4), now));
                }
            }
        }
        return finished;
    }

    /**
     * Hands tasks back without spending their attempt (a worker skipped them because their sweep is paused): they
     * are PENDING again and released on resume. Only the current attempt's hand-back counts.
     */
    public static int handBack(Connection c, List<TaskRef> tasks, SweepCounters.Deltas deltas) throws SQLException {
        if (tasks.isEmpty()) {
            return 0;
        }
        int count = 0;
        try (PreparedStatement ps = c.prepareStatement("""
                update task t set state = '%s', attempts = greatest(t.attempts - 1, 0), claimed = false,
                       released_at = null
                from unnest(?::uuid[], ?::bigint[], ?::int[]) r(sweep_id, ordinal, attempt)
                where t.sweep_id = r.sweep_id and t.ordinal = r.ordinal and t.attempts = r.attempt
                and t.state = %s
                returning t.sweep_id""".formatted(PENDING.name(), Lifecycles.IMAGE.sqlFrom(QUEUED, PENDING)))) {
            bindRefs(c, ps, tasks);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    deltas.add(rs.getObject(1, UUID.class), new SweepCounters.Delta(-1, 0, 0, 0));
                    count++;
                }
            }
        }
        return count;
    }

    /**
     * Claims up to {@code limit} tasks of {@code sweeps} that are QUEUED and wait for a round (stall re-releases): the
     * claim stamps them, so no other relay publishes them meanwhile. (Rounds whose acknowledgement never came are
     * taken over whole: {@link TaskOutbox#takeOverStale}.)
     */
    public static List<TaskRef> claimWaiting(Connection c, List<UUID> sweeps, int limit) throws SQLException {
        if (sweeps.isEmpty() || limit <= 0) {
            return List.of();
        }
        try (PreparedStatement ps = c.prepareStatement("""
                update task t set claimed = true, released_at = now()
                where (t.sweep_id, t.ordinal) in (
                    select sweep_id, ordinal from task
                    where sweep_id = any(?) and state = '%s' and not claimed
                    order by released_at nulls first limit ? for update skip locked)
                returning t.sweep_id, t.ordinal, t.attempts""".formatted(QUEUED.name()))) {
            ps.setArray(1, c.createArrayOf("uuid", sweeps.toArray()));
            ps.setInt(2, limit);
            return refs(ps);
        }
    }

    /** Releases again up to {@code limit} handed-back (PENDING) tasks of a sweep, in ordinal order: attempt + 1. */
    public static List<TaskRef> releaseHandedBack(Connection c, UUID sweep, int limit) throws SQLException {
        if (limit <= 0) {
            return List.of();
        }
        try (PreparedStatement ps = c.prepareStatement("""
                update task t set state = '%s', attempts = t.attempts + 1, claimed = true, released_at = now()
                where (t.sweep_id, t.ordinal) in (
                    select sweep_id, ordinal from task where sweep_id = ? and state = %s
                    order by ordinal limit ? for update skip locked)
                returning t.sweep_id, t.ordinal, t.attempts""".formatted(QUEUED.name(),
                Lifecycles.IMAGE.sqlFrom(PENDING, QUEUED)))) {
            ps.setObject(1, sweep);
            ps.setInt(2, limit);
            return refs(ps);
        }
    }

    /** Releases ordinals [from, from + n) of a sweep for the first time (attempt 1), claimed for publishing now. */
    public static List<TaskRef> releaseFresh(Connection c, UUID sweep, long from, int n) throws SQLException {
        if (n <= 0) {
            return List.of();
        }
        try (PreparedStatement ps = c.prepareStatement("""
                insert into task (sweep_id, ordinal, state, attempts, claimed, released_at)
                select ?, g, '%s', 1, true, now() from generate_series(?::bigint, ?::bigint) g
                """.formatted(QUEUED.name()))) {
            ps.setObject(1, sweep);
            ps.setLong(2, from);
            ps.setLong(3, from + n - 1);
            ps.executeUpdate();
        }
        List<TaskRef> refs = new ArrayList<>(n);
        for (long k = from; k < from + n; k++) {
            refs.add(new TaskRef(sweep, k, 1));
        }
        return refs;
    }

    /**
     * Stalled tasks: QUEUED, sent in a release round, released before {@code before} and still without a result, of
     * the given sweeps, oldest first, locked.
     */
    public static List<TaskRef> lockStalled(Connection c, List<UUID> sweeps, Instant before, int limit)
            throws SQLException {
        if (sweeps.isEmpty()) {
            return List.of();
        }
        try (PreparedStatement ps = c.prepareStatement("""
                select sweep_id, ordinal, attempts from task
                where sweep_id = any(?) and state = '%s' and claimed and released_at < ?
                order by released_at limit ? for update skip locked""".formatted(QUEUED.name()))) {
            ps.setArray(1, c.createArrayOf("uuid", sweeps.toArray()));
            ps.setTimestamp(2, Timestamp.from(before));
            ps.setInt(3, limit);
            return refs(ps);
        }
    }

    /** The sweeps that have stalled tasks (no lock; the caller locks the sweeps, then {@link #lockStalled}). */
    public static List<UUID> sweepsWithStalled(Connection c, Instant before, int limit) throws SQLException {
        List<UUID> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                select distinct sweep_id from task where state = '%s' and claimed and released_at < ?
                limit ?""".formatted(QUEUED.name()))) {
            ps.setTimestamp(1, Timestamp.from(before));
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return ids;
    }

    /** Marks stalled tasks as waiting for a round with attempt + 1, for the relay to publish again. */
    public static void rerelease(Connection c, List<TaskRef> tasks) throws SQLException {
        if (tasks.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                update task t set attempts = t.attempts + 1, claimed = false, released_at = null
                from unnest(?::uuid[], ?::bigint[], ?::int[]) r(sweep_id, ordinal, attempt)
                where t.sweep_id = r.sweep_id and t.ordinal = r.ordinal and t.attempts = r.attempt
                and t.state = %s""".formatted(Lifecycles.IMAGE.sqlFrom(QUEUED, QUEUED)))) {
            bindRefs(c, ps, tasks);
            ps.executeUpdate();
        }
    }

    /**
     * Gives a sweep's FAILED images another try: their rows move from {@code image} back to {@code task} as
     * handed-back tasks (PENDING, released again by the relay) one attempt further on, so that a late repeat of the
     * failed attempt's result cannot fail the retry; the failed counter shrinks by as many (in {@code deltas}). The caller
     * holds the sweep's row lock. Returns how many images were retried.
     */
    public static int retryFailed(Connection c, UUID sweep, SweepCounters.Deltas deltas) throws SQLException {
        int n;
        try (PreparedStatement ps = c.prepareStatement("""
                with moved as (delete from image where sweep_id = ? and state = %s
                               returning sweep_id, ordinal, attempts)
                insert into task (sweep_id, ordinal, state, attempts, claimed, released_at)
                select sweep_id, ordinal, '%s', attempts + 1, false, null from moved""".formatted(
                Lifecycles.IMAGE.sqlFrom(FAILED, PENDING), PENDING.name()))) {
            ps.setObject(1, sweep);
            n = ps.executeUpdate();
        }
        deltas.add(sweep, new SweepCounters.Delta(0, 0, -n, 0));
        return n;
    }

    /** The handed-back (PENDING) tasks of a sweep, locked, for cancelling them. */
    public static List<TaskRef> lockHandedBack(Connection c, UUID sweep) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                select sweep_id, ordinal, attempts from task where sweep_id = ? and state = '%s'
                order by ordinal for update""".formatted(PENDING.name()))) {
            ps.setObject(1, sweep);
            return refs(ps);
        }
    }

    private static void bindRefs(Connection c, PreparedStatement ps, List<TaskRef> tasks) throws SQLException {
        bindRefs(c, ps, 1, tasks);
    }

    /** Binds the tasks as three arrays (sweep ids, ordinals, attempts) to parameters {@code first} … first + 2. */
    static void bindRefs(Connection c, PreparedStatement ps, int first, List<TaskRef> tasks) throws SQLException {
        ps.setArray(first, c.createArrayOf("uuid", tasks.stream().map(TaskRef::sweepId).toArray()));
        ps.setArray(first + 1, c.createArrayOf("bigint", tasks.stream().map(TaskRef::ordinal).toArray()));
        ps.setArray(first + 2, c.createArrayOf("integer", tasks.stream().map(TaskRef::attempt).toArray()));
    }

    /** The (sweep id, ordinal, attempt) rows a statement returns. */
    static List<TaskRef> refs(PreparedStatement ps) throws SQLException {
        List<TaskRef> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new TaskRef(rs.getObject(1, UUID.class), rs.getLong(2), rs.getInt(3)));
            }
        }
        return out;
    }
}
