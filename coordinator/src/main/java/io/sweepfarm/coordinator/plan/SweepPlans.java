package io.sweepfarm.coordinator.plan;

import io.agroal.api.AgroalDataSource;
import io.sweepfarm.common.image.ImageIds;
import io.sweepfarm.common.image.ImageParameters;
import io.sweepfarm.common.json.Json;
import io.sweepfarm.common.messaging.RenderTask;
import io.sweepfarm.common.storage.ObjectKeys;
import io.sweepfarm.coordinator.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Compiled sweeps by id. A spec never changes, so its compiled {@link SweepPlan} is kept (least recently used first
 * out) and each sweep's spec is parsed once per coordinator, not once per task or query. Thread-safe.
 */
@ApplicationScoped
public class SweepPlans {

    private static final int CAPACITY = 10_000;

    /** A sweep's identity and its plan. */
    public record Compiled(UUID id, long seq, SweepPlan plan) {

        /** The image id of {@code ordinal}. */
        public UUID imageId(long ordinal) {
            return ImageIds.of(seq, ordinal);
        }

        /** The task of image {@code ordinal} at {@code attempt}. */
        public RenderTask task(long ordinal, int attempt) {
            UUID imageId = imageId(ordinal);
            ImageParameters params = plan.at(ordinal);
            return new RenderTask(imageId, id, ordinal, attempt, params, ObjectKeys.image(id, ordinal, imageId));
        }
    }

    @Inject
    AgroalDataSource dataSource;

    private final Map<Long, UUID> idBySeq = new java.util.HashMap<>();
    private final Map<UUID, Compiled> cache = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, Compiled> eldest) {
            if (size() > CAPACITY) {
                idBySeq.remove(eldest.getValue().seq());
                return true;
            }
            return false;
        }
    };

    /** The compiled sweep; 404 problem when no such sweep exists. */
    public Compiled get(UUID sweepId) {
        return find(sweepId).orElseThrow(() -> new ProblemException.NotFound("no sweep with id " + sweepId));
    }

    public Optional<Compiled> find(UUID sweepId) {
        synchronized (cache) {
            Compiled c = cache.get(sweepId);
            if (c != null) {
                return Optional.of(c);
            }
        }
        Optional<Compiled> loaded = load("select id, seq, spec::text from sweep where id = ?", sweepId);
        loaded.ifPresent(this::put);
        return loaded;
    }

    /** The sweep whose images carry sequence number {@code seq}. */
    public Optional<Compiled> bySeq(long seq) {
        synchronized (cache) {
            UUID id = idBySeq.get(seq);
            if (id != null && cache.containsKey(id)) {
                return Optional.of(cache.get(id));
            }
        }
        Optional<Compiled> loaded = load("select id, seq, spec::text from sweep where seq = ?", seq);
        loaded.ifPresent(this::put);
        return loaded;
    }

    /** Compiles a spec just stored, so the relay finds it warm. */
    public Compiled put(UUID id, long seq, SweepSpec spec) {
        Compiled c = new Compiled(id, seq, SweepPlan.of(spec));
        put(c);
        return c;
    }

    private void put(Compiled c) {
        synchronized (cache) {
            cache.put(c.id(), c);
            idBySeq.put(c.seq(), c.id());
        }
    }

    private Optional<Compiled> load(String sql, Object key) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                SweepSpec spec = Json.fromString(rs.getString(3), SweepSpec.class);
                return Optional.of(new Compiled(rs.getObject(1, UUID.class), rs.getLong(2), SweepPlan.of(spec)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the spec of sweep " + key + ": " + e.getMessage(), e);
        }
    }
}
