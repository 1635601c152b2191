package io.sweepfarm.coordinator.sweep;

import static io.sweepfarm.coordinator.support.Sweeps.aSweep;

import io.sweepfarm.devstack.Ports;
import io.sweepfarm.devstack.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.Arrays;
import java.util.UUID;
import org.flywaydb.core.Flyway;

/**
 * Rows per second when a sweep's image rows are stored: JDBC batches (1000 rows, rewritten into multi-row inserts)
 * against {@code COPY … FROM STDIN}, side by side on devstack's PostgreSQL with the real schema (Flyway) and its
 * indexes. Each round stores one sweep in a transaction (the commit is timed too) on emptied tables, alternating the
 * two ways; medians are reported.
 *
 * <p>Run: {@code ./mvnw -q -pl coordinator -am -Pbench verify -DskipTests} (system properties {@code bench.rows},
 * {@code bench.rounds}).
 */
public final class SweepInsertBench {

    public static void main(String[] args) throws Exception {
        int rows = Integer.getInteger("bench.rows", 200_000);
        int rounds = Integer.getInteger("bench.rounds", 5);
        Path dir = Files.createTempDirectory("sweepfarm-insert-bench-");
        try (PostgresServer pg = PostgresServer.start(dir, Ports.free(), false, false)) {
            String url = pg.jdbcUrl() + (pg.jdbcUrl().contains("?") ? "&" : "?") + "reWriteBatchedInserts=true";
            Flyway.configure().dataSource(url, PostgresServer.USER, "postgres").load().migrate();
            SweepSpec spec = new SweepValidator(10_000_000).validate(aSweep()
                    .withPrompts("a red fox in the snow, watercolor", "a lighthouse at dusk, oil painting")
                    .withCfgScales(3.0, 5.0, 7.5, 9.0).withSeedRange(0, rows / 8).build());
            SweepExpander expander = new SweepExpander(spec);
            double[] batch = new double[rounds];
            double[] copy = new double[rounds];
            try (Connection c = DriverManager.getConnection(url, PostgresServer.USER, "postgres")) {
                c.setAutoCommit(false);
                run(c, expander, false);
                run(c, expander, true);
                for (int r = 0; r < rounds; r++) {
                    batch[r] = run(c, expander, false);
                    copy[r] = run(c, expander, true);
                }
            }
            double b = median(batch);
            double k = median(copy);
            System.out.printf("storing %d image rows, devstack PostgreSQL, %d rounds (rows/s)%n", expander.count(),
                    rounds);
            System.out.printf("JDBC batches of 1000 : %10.0f  %s%n", b, Arrays.toString(batch));
            System.out.printf("COPY FROM STDIN      : %10.0f  %s%n", k, Arrays.toString(copy));
            System.out.printf("COPY / batches       : %10.2f%n", k / b);
        }
    }

    /** Rows per second for one way, in a transaction rolled back afterwards. */
    private static double run(Connection c, SweepExpander expander, boolean useCopy) throws Exception {
        UUID sweep = UUID.randomUUID();
        try (PreparedStatement ps = c.prepareStatement("""
                insert into sweep (id, name, model, state, spec, image_count, created_at, updated_at)
                values (?, 'bench', 'bench', 'RUNNING', '{}', ?, now(), now())""")) {
            ps.setObject(1, sweep);
            ps.setLong(2, expander.count());
            ps.executeUpdate();
        }
        long t0 = System.nanoTime();
        if (useCopy) {
            ImageRows.copy(c, sweep, expander);
        } else {
            ImageRows.insert(c, sweep, expander, 1000);
        }
        c.commit();
        double seconds = (System.nanoTime() - t0) / 1e9;
        try (var st = c.createStatement()) {
            st.execute("truncate image, sweep"); // every round starts from empty tables and unbloated indexes
        }
        c.commit();
        return expander.count() / seconds;
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
