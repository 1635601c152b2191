package io.sweepfarm.coordinator.messaging;

import io.quarkus.logging.Log;
import io.sweepfarm.common.api.ImageState;
import io.sweepfarm.common.api.SweepState;
import io.sweepfarm.common.json.Json;
import io.sweepfarm.common.messaging.RenderResult;
import io.sweepfarm.coordinator.state.Lifecycles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;
import org.hibernate.Session;

/**
 * Applies a {@link RenderResult} to its image, idempotently, and completes the sweep when its last image is
 * terminal.
 *
 * <ul>
 * <li>Guarded updates: {@code where id = ? and state = any(sources allowed by the image lifecycle)}. Terminal states
 * are final, so a repeated result, or any result for an image already SUCCEEDED, FAILED or CANCELLED, updates
 * nothing and is not counted twice.</li>
 * <li>A FAILED result only applies to the image's latest attempt ({@code attempts <= attempt}), so a stale failure
 * of an earlier delivery never overrides a re-release that may still succeed. A success from any attempt is
 * accepted: the object key is deterministic, the bytes are the same.</li>
 * <li>The sweep row is locked first ({@code FOR UPDATE}), so that two coordinators recording a sweep's last two
 * results cannot both miss the completion.</li>
 * </ul>
 */
@ApplicationScoped
public class ResultRecorder {

    private static final String[] SUCCEEDED_FROM = Lifecycles.IMAGE.sourceNamesOf(ImageState.SUCCEEDED);
    private static final String[] FAILED_FROM = Lifecycles.IMAGE.sourceNamesOf(ImageState.FAILED);
    private static final String[] CANCELLED_FROM = Lifecycles.IMAGE.sourceNamesOf(ImageState.CANCELLED);
    private static final String[] PENDING_FROM = Lifecycles.IMAGE.sourceNamesOf(ImageState.PENDING);
    private static final String[] COMPLETED_FROM = Lifecycles.SWEEP.sourceNamesOf(SweepState.COMPLETED);
    private static final String[] NOT_TERMINAL = Arrays.stream(ImageState.values()).filter(s -> !s.isTerminal())
            .map(Enum::name).toArray(String[]::new);

    @Inject
    EntityManager em;

    /** Records the result in the caller's transaction; true when it changed the image (false: duplicate/stale). */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean record(RenderResult r) {
        return em.unwrap(Session.class).doReturningWork(c -> apply(c, r));
    }

    private boolean apply(Connection c, RenderResult r) throws SQLException {
        UUID sweepId = lockSweepOf(c, r.imageId());
        if (sweepId == null) {
            Log.warnf("Result for unknown image %s (sweep %s) ignored; was its sweep deleted?", r.imageId(),
                    r.sweepId());
            return false;
        }
        if (r.outcome() == RenderResult.Outcome.DEFERRED || r.outcome() == RenderResult.Outcome.CANCELLED) {
            return applySkip(c, r, sweepId);
        }
        boolean success = r.outcome() == RenderResult.Outcome.SUCCEEDED;
        int updated;
        String sql = success ? """
                update image set state = 'SUCCEEDED', object_key = ?, sha256 = ?, worker = ?, render_ms = ?,
                       warnings = cast(? as jsonb), error = null, completed_at = ?
                where id = ? and state = any(?)"""
                : """
                update image set state = 'FAILED', object_key = ?, sha256 = ?, worker = ?, render_ms = ?,
                       warnings = cast(? as jsonb), error = ?, completed_at = ?
                where id = ? and state = any(?) and attempts <= ?""";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setString(i++, success ? r.objectKey() : null);
            ps.setString(i++, success ? r.sha256() : null);
            ps.setString(i++, r.worker());
            ps.setLong(i++, r.renderMillis());
            if (r.warnings() == null || r.warnings().isEmpty()) {
                ps.setNull(i++, Types.VARCHAR);
            } else {
                ps.setString(i++, Json.toString(r.warnings()));
            }
            if (!success) {
                ps.setString(i++, r.error() == null ? "the worker reported a failure without a reason" : r.error());
            }
            ps.setTimestamp(i++, Timestamp.from(r.finishedAt() == null ? Instant.now() : r.finishedAt()));
            ps.setObject(i++, r.imageId());
            ps.setArray(i++, c.createArrayOf("text", success ? SUCCEEDED_FROM : FAILED_FROM));
            if (!success) {
                ps.setInt(i, r.attempt());
            }
            updated = ps.executeUpdate();
        }
        if (updated == 0) {
            Log.debugf("Result %s of image %s attempt %d ignored: duplicate, stale, or image already final",
                    r.outcome(), r.imageId(), r.attempt());
            return false;
        }
        if (success) {
            Log.debugf("Image %s SUCCEEDED by %s in %d ms", r.imageId(), r.worker(), r.renderMillis());
        } else {
            Log.warnf("Image %s of sweep %s FAILED on %s attempt %d: %s", r.imageId(), sweepId, r.worker(),
                    r.attempt(), r.error());
        }
        completeIfDone(c, sweepId);
        return true;
    }

    /**
     * A worker skipped the task because the sweep was paused (DEFERRED: back to PENDING without spending an attempt,
     * released again on resume) or cancelled (CANCELLED). Only the current attempt's skip counts.
     */
    private boolean applySkip(Connection c, RenderResult r, UUID sweepId) throws SQLException {
        boolean deferred = r.outcome() == RenderResult.Outcome.DEFERRED;
        String sql = deferred ? """
                update image set state = 'PENDING', attempts = greatest(attempts - 1, 0), released_at = null
                where id = ? and state = any(?) and attempts = ?"""
                : """
                update image set state = 'CANCELLED', completed_at = now()
                where id = ? and state = any(?) and attempts = ?""";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, r.imageId());
            ps.setArray(2, c.createArrayOf("text", deferred ? PENDING_FROM : CANCELLED_FROM));
            ps.setInt(3, r.attempt());
            if (ps.executeUpdate() == 0) {
                Log.debugf("Skip %s of image %s attempt %d ignored: stale or already final", r.outcome(), r.imageId(),
                        r.attempt());
                return false;
            }
        }
        Log.debugf("Image %s of sweep %s %s by %s", r.imageId(), sweepId,
                deferred ? "handed back (sweep paused)" : "cancelled", r.worker());
        completeIfDone(c, sweepId);
        return true;
    }

    private static UUID lockSweepOf(Connection c, UUID imageId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                select s.id from sweep s where s.id = (select sweep_id from image where id = ?) for update""")) {
            ps.setObject(1, imageId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getObject(1, UUID.class) : null;
            }
        }
    }

    private static void completeIfDone(Connection c, UUID sweepId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                update sweep set state = 'COMPLETED', updated_at = now(), version = version + 1
                where id = ? and state = any(?)
                and not exists (select 1 from image where sweep_id = ? and state = any(?))""")) {
            ps.setObject(1, sweepId);
            ps.setArray(2, c.createArrayOf("text", COMPLETED_FROM));
            ps.setObject(3, sweepId);
            ps.setArray(4, c.createArrayOf("text", NOT_TERMINAL));
            if (ps.executeUpdate() == 1) {
                Log.infof("Sweep %s COMPLETED: every image is final", sweepId);
            }
        }
    }
}
