package io.sweepfarm.coordinator.sweep;

import io.sweepfarm.common.api.ImageState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.UUID;

/**
 * Writes the PENDING image rows of a new sweep with JDBC batches on the caller's connection (so, inside the
 * sweep's transaction). With {@code reWriteBatchedInserts=true} the driver sends each batch as multi-row inserts;
 * 10⁵ rows take a few seconds, against minutes for one entity persist per row.
 */
final class ImageRows {

    private static final String INSERT = """
            insert into image (id, sweep_id, ordinal, prompt, negative_prompt, cfg_scale, steps, sampler, seed, width,
                               height, noise_source, prompt_overflow, init_image, strength, mask, state, attempts)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)""";

    private ImageRows() {
    }

    static void insert(Connection connection, UUID sweepId, SweepExpander expander, int batchSize)
            throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(INSERT)) {
            int inBatch = 0;
            for (long k = 0; k < expander.count(); k++) {
                SweepExpander.ImageParams p = expander.at(k);
                ps.setObject(1, Uuids.v7());
                ps.setObject(2, sweepId);
                ps.setLong(3, p.ordinal());
                ps.setString(4, p.prompt());
                ps.setString(5, p.negativePrompt());
                ps.setDouble(6, p.cfgScale());
                ps.setInt(7, p.steps());
                ps.setString(8, p.sampler());
                ps.setLong(9, p.seed());
                ps.setInt(10, p.width());
                ps.setInt(11, p.height());
                ps.setString(12, p.noiseSource());
                ps.setString(13, p.promptOverflow());
                ps.setString(14, p.initImage());
                if (p.strength() == null) {
                    ps.setNull(15, Types.DOUBLE);
                } else {
                    ps.setDouble(15, p.strength());
                }
                ps.setString(16, p.mask());
                ps.setString(17, ImageState.PENDING.name());
                ps.addBatch();
                if (++inBatch == batchSize) {
                    ps.executeBatch();
                    inBatch = 0;
                }
            }
            if (inBatch > 0) {
                ps.executeBatch();
            }
        }
    }
}
