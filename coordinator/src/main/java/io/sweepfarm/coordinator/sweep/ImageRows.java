package io.sweepfarm.coordinator.sweep;

import io.sweepfarm.common.api.ImageState;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.UUID;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Writes the PENDING image rows of a new sweep on the caller's connection, so inside the sweep's transaction.
 *
 * <p>{@link #copy} streams them with PostgreSQL's {@code COPY … FROM STDIN} (text format), the fastest way in;
 * {@link #insert} uses JDBC batches (multi-row inserts with {@code reWriteBatchedInserts=true}) and works on any
 * connection. {@code SweepInsertBench} compares the two.
 */
final class ImageRows {

    static final String COLUMNS = "id, sweep_id, ordinal, prompt, negative_prompt, cfg_scale, steps, sampler, seed, "
            + "width, height, noise_source, prompt_overflow, init_image, strength, mask, state, attempts";

    private static final String INSERT = "insert into image (" + COLUMNS + ") "
            + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)";

    private static final int COPY_CHUNK = 1 << 20;

    private ImageRows() {
    }

    /** Streams every image row of the sweep with COPY; the connection must be (or wrap) a PostgreSQL one. */
    static void copy(Connection connection, UUID sweepId, SweepExpander expander) throws SQLException {
        CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI()
                .copyIn("copy image (" + COLUMNS + ") from stdin with (format text)");
        try {
            StringBuilder rows = new StringBuilder(COPY_CHUNK + 4096);
            String sweep = sweepId.toString();
            for (long k = 0; k < expander.count(); k++) {
                row(rows, sweep, expander.at(k));
                if (rows.length() >= COPY_CHUNK) {
                    write(copy, rows);
                }
            }
            write(copy, rows);
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    private static void row(StringBuilder out, String sweep, SweepExpander.ImageParams p) {
        out.append(Uuids.v7()).append('\t').append(sweep).append('\t').append(p.ordinal()).append('\t');
        text(out, p.prompt()).append('\t');
        text(out, p.negativePrompt()).append('\t');
        out.append(p.cfgScale()).append('\t').append(p.steps()).append('\t');
        text(out, p.sampler()).append('\t').append(p.seed()).append('\t').append(p.width()).append('\t')
                .append(p.height()).append('\t');
        text(out, p.noiseSource()).append('\t');
        text(out, p.promptOverflow()).append('\t');
        text(out, p.initImage()).append('\t');
        if (p.strength() == null) {
            out.append("\\N");
        } else {
            out.append(p.strength().doubleValue());
        }
        out.append('\t');
        text(out, p.mask()).append('\t').append(ImageState.PENDING.name()).append("\t0\n");
    }

    /** A value in COPY's text format: backslash escapes for the delimiters, {@code \N} for null. */
    private static StringBuilder text(StringBuilder out, String s) {
        if (s == null) {
            return out.append("\\N");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(c);
            }
        }
        return out;
    }

    private static void write(CopyIn copy, StringBuilder rows) throws SQLException {
        byte[] bytes = rows.toString().getBytes(StandardCharsets.UTF_8);
        copy.writeToCopy(bytes, 0, bytes.length);
        rows.setLength(0);
    }

    /** Inserts every image row with JDBC batches of {@code batchSize}. */
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
