package io.sweepfarm.devstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jboss.logging.Logger;

/**
 * A real PostgreSQL server from zonky's embedded binaries, on a loopback port. With a persistent data directory
 * the data survives restarts (one-machine mode); tests use a fresh one with fsync off.
 */
public final class PostgresServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PostgresServer.class);
    public static final String USER = "postgres";
    public static final String DATABASE = "postgres";

    private final EmbeddedPostgres postgres;

    private PostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /**
     * Starts PostgreSQL with its data in {@code dataDir}.
     *
     * @param keepData reuse an existing data directory instead of wiping it
     * @param durable  keep fsync on (off is faster and fine for throw-away test data)
     */
    public static PostgresServer start(Path dataDir, int port, boolean keepData, boolean durable) {
        long t0 = System.nanoTime();
        try {
            Files.createDirectories(dataDir);
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(!keepData)
                    .setPort(port)
                    .setRegisterShutdownHook(true)
                    .setServerConfig("max_connections", "200")
                    .setOutputRedirector(java.lang.ProcessBuilder.Redirect.DISCARD);
            if (!durable) {
                builder.setServerConfig("fsync", "off").setServerConfig("synchronous_commit", "off")
                        .setServerConfig("full_page_writes", "off");
            }
            EmbeddedPostgres pg = builder.start();
            LOG.infof("PostgreSQL up on 127.0.0.1:%d (data %s) in %d ms", pg.getPort(), dataDir,
                    (System.nanoTime() - t0) / 1_000_000);
            return new PostgresServer(pg);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start embedded PostgreSQL in " + dataDir
                    + " on port " + port + ": " + e.getMessage(), e);
        }
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl(USER, DATABASE);
    }

    public int port() {
        return postgres.getPort();
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            LOG.warnf("PostgreSQL did not stop cleanly: %s", e.getMessage());
        }
    }
}
