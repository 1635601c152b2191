package io.sweepfarm.coordinator.sweep;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.sweepfarm.common.api.SweepState;
import io.sweepfarm.coordinator.state.Lifecycles;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.Generated;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A sweep row: its spec, state, release cursor and counters. Its state only changes through {@link #moveTo}, which
 * checks {@link Lifecycles#SWEEP}, on a row locked for update. The cursor and the counters are written only by SQL
 * that applies deltas in the same transaction as the change they count ({@code SweepCounters}, the relay), so they
 * are read-only here; {@code version} makes a concurrent change of the entity fail instead of being lost.
 */
@Entity
@Table(name = "sweep")
public class Sweep extends PanacheEntityBase {

    @Id
    public UUID id;

    /** Sequence number, part of every image id of the sweep. */
    @Generated
    @Column(insertable = false, updatable = false)
    public long seq;

    public String name;

    public String model;

    @Enumerated(EnumType.STRING)
    public SweepState state;

    public int priority;

    /** The validated {@link io.sweepfarm.coordinator.plan.SweepSpec} as JSON. */
    @JdbcTypeCode(SqlTypes.JSON)
    public String spec;

    @Column(name = "image_count")
    public long imageCount;

    @Column(name = "release_cursor", insertable = false, updatable = false)
    public long releaseCursor;

    @Column(insertable = false, updatable = false)
    public long queued;

    @Column(insertable = false, updatable = false)
    public long succeeded;

    @Column(insertable = false, updatable = false)
    public long failed;

    @Column(insertable = false, updatable = false)
    public long cancelled;

    /** The lowest and highest seed of the sweep's images (null for sweeps stored before they were kept). */
    @Column(name = "seed_lo")
    public Long seedLo;

    @Column(name = "seed_hi")
    public Long seedHi;

    @Column(name = "idempotency_key")
    public String idempotencyKey;

    /** SHA-256 of the validated spec, to tell a retried submission from another one under the same key. */
    @Column(name = "request_hash")
    public String requestHash;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Version
    public long version;

    /** Applies a transition allowed by the sweep lifecycle, or throws a 409 problem. */
    public void moveTo(SweepState target) {
        Lifecycles.SWEEP.check(state, target, id);
        state = target;
        updatedAt = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS); // as PostgreSQL stores it
    }

    /** Images still to be released or handed back: neither in flight nor finished. */
    public long pending() {
        return imageCount - queued - succeeded - failed - cancelled;
    }
}
