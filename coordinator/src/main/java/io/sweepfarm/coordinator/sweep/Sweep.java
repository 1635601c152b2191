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
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A sweep row. Its state only changes through {@link #moveTo}, which checks {@link Lifecycles#SWEEP}; {@code version}
 * makes a concurrent change (pause racing cancel on two coordinators) fail instead of being lost.
 */
@Entity
@Table(name = "sweep")
public class Sweep extends PanacheEntityBase {

    @Id
    public UUID id;

    public String name;

    public String model;

    @Enumerated(EnumType.STRING)
    public SweepState state;

    public int priority;

    /** The validated {@link SweepSpec} as JSON. */
    @JdbcTypeCode(SqlTypes.JSON)
    public String spec;

    @Column(name = "image_count")
    public long imageCount;

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
}
