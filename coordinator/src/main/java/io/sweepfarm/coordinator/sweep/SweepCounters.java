package io.sweepfarm.coordinator.sweep;

import io.quarkus.logging.Log;
import io.sweepfarm.common.api.SweepState;
import io.sweepfarm.coordinator.state.Lifecycles;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The one place where a sweep's counters change, and with them its completion: every transaction that moves images
 * between states applies the deltas here, in one statement for all its sweeps, and a RUNNING or PAUSED sweep whose
 * finished images reach its image count becomes COMPLETED in the same statement. The caller must hold the sweeps'
 * row locks (taken in id order, see {@link #lock}), so counters are exact under concurrency and redelivery.
 */
public final class SweepCounters {

    private static final String COMPLETED_FROM = Lifecycles.SWEEP.sqlSourcesOf(SweepState.COMPLETED);

    private static final String APPLY = """
            with d(id, q, s, f, c) as (select * from unnest(?::uuid[], ?::bigint[], ?::bigint[], ?::bigint[],
                                                           ?::bigint[])),
                 u as (update sweep w set queued = w.queued + d.q, succeeded = w.succeeded + d.s,
                              failed = w.failed + d.f, cancelled = w.cancelled + d.c,
                              state = case when w.state in %1$s
                                            and w.succeeded + d.s + w.failed + d.f + w.cancelled + d.c >= w.image_count
                                      then 'COMPLETED' else w.state end,
                              updated_at = case when w.state in %1$s
                                            and w.succeeded + d.s + w.failed + d.f + w.cancelled + d.c >= w.image_count
                                      then now() else w.updated_at end,
                              version = case when w.state in %1$s
                                            and w.succeeded + d.s + w.failed + d.f + w.cancelled + d.c >= w.image_count
                                      then w.version + 1 else w.version end
                       from d where w.id = d.id
                       returning w.id, w.state)
            select u.id from u join sweep before on before.id = u.id
            where u.state = 'COMPLETED' and before.state <> 'COMPLETED'""".formatted(COMPLETED_FROM);

    private SweepCounters() {
    }

    /** Changes of one sweep's counters: images moved into or out of QUEUED, and finished by outcome. */
    public record Delta(long queued, long succeeded, long failed, long cancelled) {
        public static final Delta ZERO = new Delta(0, 0, 0, 0);

        public Delta plus(Delta o) {
            return new Delta(queued + o.queued, succeeded + o.succeeded, failed + o.failed, cancelled + o.cancelled);
        }

        boolean isZero() {
            return queued == 0 && succeeded == 0 && failed == 0 && cancelled == 0;
        }
    }

    /** Accumulates deltas per sweep, in sweep-id order. */
    public static final class Deltas {
        private final Map<UUID, Delta> bySweep = new TreeMap<>();

        public void add(UUID sweep, Delta d) {
            bySweep.merge(sweep, d, Delta::plus);
        }

        public boolean isEmpty() {
            return bySweep.values().stream().allMatch(Delta::isZero);
        }

        public Map<UUID, Delta> asMap() {
            return bySweep;
        }
    }

    /** Locks the sweep rows in id order (the order every writer uses, so writers never deadlock). */
    public static void lock(Connection c, java.util.Collection<UUID> sweeps) throws SQLException {
        if (sweeps.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "select id from sweep where id = any(?) order by id for no key update")) {
            ps.setArray(1, c.createArrayOf("uuid", sweeps.toArray()));
            ps.executeQuery().close();
        }
    }

    /** Applies the deltas; returns the sweeps that became COMPLETED. */
    public static List<UUID> apply(Connection c, Deltas deltas) throws SQLException {
        List<UUID> completed = new ArrayList<>();
        if (deltas.isEmpty()) {
            return completed;
        }
        Map<UUID, Delta> m = deltas.asMap();
        int n = m.size();
        Object[] ids = new Object[n];
        Long[] q = new Long[n];
        Long[] s = new Long[n];
        Long[] f = new Long[n];
        Long[] x = new Long[n];
        int i = 0;
        for (Map.Entry<UUID, Delta> e : m.entrySet()) {
            ids[i] = e.getKey();
            q[i] = e.getValue().queued();
            s[i] = e.getValue().succeeded();
            f[i] = e.getValue().failed();
            x[i] = e.getValue().cancelled();
            i++;
        }
        try (PreparedStatement ps = c.prepareStatement(APPLY)) {
            ps.setArray(1, c.createArrayOf("uuid", ids));
            ps.setArray(2, longs(c, q));
            ps.setArray(3, longs(c, s));
            ps.setArray(4, longs(c, f));
            ps.setArray(5, longs(c, x));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    completed.add(rs.getObject(1, UUID.class));
                }
            }
        }
        for (UUID id : completed) {
            Log.infof("Sweep %s COMPLETED: every image is final", id);
        }
        return completed;
    }

    /**
     * Moves a sweep's release cursor past {@code fresh} newly released ordinals and counts {@code released} more
     * images in flight (the fresh ones and any handed-back ones released again).
     */
    public static void advance(Connection c, UUID sweep, long fresh, long released) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "update sweep set release_cursor = release_cursor + ?, queued = queued + ? where id = ?")) {
            ps.setLong(1, fresh);
            ps.setLong(2, released);
            ps.setObject(3, sweep);
            ps.executeUpdate();
        }
    }

    private static Array longs(Connection c, Long[] values) throws SQLException {
        return c.createArrayOf("bigint", values);
    }
}
