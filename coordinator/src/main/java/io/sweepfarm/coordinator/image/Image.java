package io.sweepfarm.coordinator.image;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.sweepfarm.common.api.ImageState;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * An image row, read through Hibernate for the query API. Rows are written in bulk with JDBC
 * ({@code ImageRows}) and their state changes with guarded SQL updates ({@code TaskRelay}, {@code ResultRecorder}),
 * never through this entity, so the entity has no version.
 */
@Entity
@Table(name = "image")
public class Image extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "sweep_id")
    public UUID sweepId;

    public long ordinal;

    public String prompt;

    @Column(name = "negative_prompt")
    public String negativePrompt;

    @Column(name = "cfg_scale")
    public double cfgScale;

    public int steps;

    public String sampler;

    public long seed;

    public int width;

    public int height;

    @Column(name = "noise_source")
    public String noiseSource;

    @Column(name = "prompt_overflow")
    public String promptOverflow;

    @Column(name = "init_image")
    public String initImage;

    public Double strength;

    public String mask;

    @Enumerated(EnumType.STRING)
    public ImageState state;

    public int attempts;

    @Column(name = "object_key")
    public String objectKey;

    public String sha256;

    public String worker;

    @Column(name = "render_ms")
    public Long renderMs;

    /** JSON array of strings. */
    @JdbcTypeCode(SqlTypes.JSON)
    public String warnings;

    public String error;

    @Column(name = "released_at")
    public Instant releasedAt;

    @Column(name = "completed_at")
    public Instant completedAt;
}
